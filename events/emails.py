"""The kinds of email the meetings app sends (see echo.email_kinds)."""

from django.utils.translation import gettext_lazy as _

from echo.email_kinds import register

REMINDER = register("events.reminder", _("Meeting reminder"), prefix="reminder")
DIGEST = register("events.digest", _("Who is coming (for facilitators)"), prefix="digest")
CANCELLED = register("events.cancelled", _("Meeting cancelled"), prefix="meeting-cancelled")
CHANGED = register("events.changed", _("Meeting changed"), prefix="meeting-changed")
PROMOTED = register("events.promoted", _("Moved up from the waiting list"), prefix="promoted")
