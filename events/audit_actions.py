"""How the audit log reads the entries that events records (see echo.audit)."""

from django.utils.translation import gettext_lazy as _

from echo import audit

audit.describe(
    {
        "events.meeting.planned": (
            _("Meeting planned"),
            _("%(actor)s planned meeting %(target)s"),
        ),
        "events.series.planned": (
            _("Meetings planned"),
            _("%(actor)s planned the series of meetings %(target)s"),
        ),
        "events.series.updated": (
            _("Series changed"),
            _("%(actor)s changed the series of meetings %(target)s"),
        ),
        "events.meeting.reinstated": (
            _("Meeting reinstated"),
            _("%(actor)s reinstated meeting %(target)s"),
        ),
        "events.meeting.updated": (
            _("Meeting changed"),
            _("%(actor)s changed meeting %(target)s"),
        ),
        "events.meeting.cancelled": (
            _("Meeting cancelled"),
            _("%(actor)s cancelled meeting %(target)s"),
        ),
        "events.attendance.recorded": (
            _("Attendance recorded"),
            _("%(actor)s recorded who came to meeting %(target)s"),
        ),
        "events.calendar_feed.created": (
            _("Calendar link made"),
            _("%(actor)s made a calendar link"),
        ),
        "events.calendar_feed.renewed": (
            _("Calendar link renewed"),
            _("%(actor)s renewed their calendar link"),
        ),
        "events.calendar_feed.stopped": (
            _("Calendar link stopped"),
            _("%(actor)s stopped their calendar link"),
        ),
    }
)
