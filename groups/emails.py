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


# What the groups' notices inside Echo are about, and who may still read them:
# the rules of the pages they link to (members.models.register_notice_target).
def _group(group):
    return {"group": group}


def _message(message):
    return {"message": message, "group": message.group, "meeting": message.meeting}


def _register_targets():
    from members.models import register_notice_target

    from . import roles
    from .models import GroupMessage

    # A group one is in (its page); one leads (its roster).
    register_notice_target("groups.group", roles.groups_of, _group)
    register_notice_target("groups.led_group", roles.groups_led_by, _group)
    # A facilitator's message, while one is in its group.
    register_notice_target(
        "groups.groupmessage",
        lambda user: GroupMessage.objects.filter(group__in=roles.groups_of(user)).select_related(
            "group", "meeting"
        ),
        _message,
    )


_register_targets()
