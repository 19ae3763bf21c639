from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_save
from django.dispatch import receiver

from echo.models import random_code
from groups.models import Group

from .services import board_of

SHARED_BOARDS = ("community", "staff")


@receiver(post_save, sender=Group)
def give_new_group_a_board(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        board_of(instance)


def restore_shared_boards(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """The data migration makes the community board and the staff room once.
    `flush` (a test with transaction=True, a developer starting afresh)
    empties the tables without running migrations again, then sends
    post_migrate as `migrate` does: the two boards come back here, as
    django.contrib.sites brings back its site. Never on a request."""
    try:
        Board = apps.get_model("boards", "Board")
    except LookupError:  # The boards app is migrated back to zero.
        return
    boards = Board.objects.using(using)
    for kind in SHARED_BOARDS:
        if not boards.filter(kind=kind).exists():
            boards.create(kind=kind, code=random_code())
