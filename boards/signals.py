from django.db.models.signals import post_save
from django.dispatch import receiver

from groups.models import Group


@receiver(post_save, sender=Group)
def give_new_group_a_board(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import board_of

        board_of(instance)
