from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = _("Message boards")

    def ready(self):
        from echo.panels import provide
        from members import signals as member

        from . import emails, lifecycle, panels, signals  # noqa: F401 (emails registers its kinds)

        member.account_erasing.connect(lifecycle.erase_author, dispatch_uid="boards.erasing")
        member.personal_data_requested.connect(
            lifecycle.personal_data, dispatch_uid="boards.personal_data"
        )
        provide("facilitated_group", panels.posts_to_review)
        provide("member_home.news", panels.news_on_boards)
        provide("member_home.waiting", panels.posts_waiting)
        post_migrate.connect(signals.restore_shared_boards, sender=self)
