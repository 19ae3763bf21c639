from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Peer groups")

    def ready(self):
        from echo.panels import provide
        from members import signals as member

        from . import emails, panels, services  # noqa: F401 (emails registers its kinds)

        member.member_left.connect(services.release_member, dispatch_uid="groups.left")
        member.account_erasing.connect(services.release_member, dispatch_uid="groups.erasing")
        member.personal_data_requested.connect(
            services.personal_data, dispatch_uid="groups.personal_data"
        )
        provide("member_home.groups", panels.your_groups)
        provide("member_home.waiting", panels.join_requests_waiting)
