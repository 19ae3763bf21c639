"""The kinds of email the groups app sends (see echo.email_kinds)."""

from django.utils.translation import gettext_lazy as _

from echo.email_kinds import register

PLACED = register("groups.placed", _("Placed in a group"), prefix="placed")
JOIN_REQUEST = register("groups.join_request", _("Request to join a group"), prefix="join-request")
JOIN_DECISION = register(
    "groups.join_decision", _("Answer to a request to join"), prefix="join-decision"
)
MESSAGE = register("groups.message", _("Message from a facilitator"), prefix="group-message")
REMOVED = register("groups.removed", _("No longer in a group"), prefix="removed")
SUPPORT_REQUEST = register(
    "groups.support_request", _("A member asks for support"), prefix="support"
)
