"""What the main pages cost in SQL statements, pinned: the same for a few
items as for many, so that a page never costs a query per row. The
benchmark (bench/) measures the time; these only count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import MeetingFactory, PostFactory, ThreadFactory, member_of

pytestmark = pytest.mark.django_db


def cost(client, path):
    """Statements of one GET, after a first one that writes the session."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def grow_thread(thread, author, count):
    for _ in range(count):
        PostFactory(thread=thread, author=author)


def test_a_long_thread_costs_what_a_short_one_costs_on_its_first_and_last_page(
    client, member, group
):
    thread = ThreadFactory(board=group.board, author=member)
    grow_thread(thread, member, 20)
    client.force_login(member)
    first = reverse("boards:thread", args=[thread.code])
    last = first + "?last=1"
    short = (cost(client, first), cost(client, last))

    grow_thread(thread, member, 100)

    # No more than the short thread (reading an early page again moves no read mark).
    long = (cost(client, first), cost(client, last))
    assert all(n <= m for n, m in zip(long, short, strict=True)), (long, short)
    assert max(short) <= 7  # besides the session: see tests/boards/test_views.py
    # A page shows at most 20 posts, whatever the thread's length.
    assert len(client.get(last).context["posts"]) <= 20


def test_the_meetings_page_costs_the_same_for_1_or_12_meetings(client, member, group):
    MeetingFactory(group=group)
    client.force_login(member)
    path = reverse("events:my_meetings")
    few = cost(client, path)

    for _ in range(11):
        MeetingFactory(group=group)

    assert cost(client, path) == few


def test_the_member_home_costs_the_same_for_1_or_8_groups(client, member, group):
    from .factories import GroupFactory

    client.force_login(member)
    path = reverse("members:member_home")
    few = cost(client, path)

    for _ in range(7):
        other = GroupFactory()
        from groups.models import GroupMembership

        GroupMembership.objects.create(group=other, member=member.member)
        member_of(other)

    assert cost(client, path) == few
