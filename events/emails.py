"""The kinds of email the meetings app sends (see echo.email_kinds)."""

from django.utils.translation import gettext_lazy as _

from echo.email_kinds import register

REMINDER = register("events.reminder", _("Meeting reminder"), prefix="reminder")
DIGEST = register("events.digest", _("Who is coming (for facilitators)"), prefix="digest")
CANCELLED = register("events.cancelled", _("Meeting cancelled"), prefix="meeting-cancelled")
CHANGED = register("events.changed", _("Meeting changed"), prefix="meeting-changed")
PROMOTED = register("events.promoted", _("Moved up from the waiting list"), prefix="promoted")


# What the meetings' notices inside Echo are about, and who may still read
# them: the rules of the meeting page (members.models.register_notice_target).
def _meeting(meeting):
    return {"meeting": meeting, "group": meeting.group}


def _register_targets():
    from groups import roles as group_roles
    from members.models import register_notice_target

    from .models import Meeting

    def of(groups):
        return lambda user: Meeting.objects.filter(group__in=groups(user)).select_related("group")

    # A meeting of a group one is in; of a group one leads (the list of who is coming).
    register_notice_target("events.meeting", of(group_roles.groups_of), _meeting)
    register_notice_target("events.led_meeting", of(group_roles.groups_led_by), _meeting)


_register_targets()
