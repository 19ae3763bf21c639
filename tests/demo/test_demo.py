import pytest
from django.core.management import CommandError, call_command

from boards.models import Board, Post, Thread
from groups.models import Group
from members.models import User

pytestmark = pytest.mark.django_db


def test_demo_loads_people_groups_and_living_boards(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")

    assert Group.objects.count() == 2
    assert User.objects.filter(coordinator_region="antwerpen").exists()
    assert Board.objects.filter(kind__in=["community", "staff"]).count() == 2
    assert Thread.objects.filter(published=True, board__kind="community").count() >= 2
    assert Thread.objects.filter(published=True, board__kind="group").exists()
    # Something waits in the review queue, so that moderation can be tried at once.
    assert Post.objects.filter(state="pending").exists()
    assert Post.objects.filter(reports__isnull=False).exists()
    assert "admin@example.org" in capsys.readouterr().out


def test_demo_is_refused_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.exists()
