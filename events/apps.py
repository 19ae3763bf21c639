from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Meetings")

    def ready(self):
        from echo.panels import provide
        from groups import signals as group
        from members import signals as member

        from . import emails, panels, services  # noqa: F401 (emails registers its kinds)

        member.member_paused.connect(services.release_member, dispatch_uid="events.paused")
        member.personal_data_requested.connect(
            services.personal_data, dispatch_uid="events.personal_data"
        )
        group.member_left_group.connect(services.release_member, dispatch_uid="events.left_group")
        group.group_archived.connect(
            services.cancel_meetings_of_archived_group, dispatch_uid="events.archived"
        )
        provide("group", panels.group_meetings)
        provide("facilitated_group", panels.next_meetings)
        provide("member_home.meetings", panels.home_meetings)
        provide("member_home.waiting", panels.attendance_waiting)
