from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = _("Message boards")

    def ready(self):
        from . import signals

        post_migrate.connect(signals.restore_shared_boards, sender=self)
