"""How the audit log reads the entries that groups records (see echo.audit)."""

from django.utils.translation import gettext_lazy as _

from echo import audit

audit.describe(
    {
        "groups.created": (
            _("Group created"),
            _("%(actor)s created group %(target)s"),
        ),
        "groups.updated": (
            _("Group changed"),
            _("%(actor)s changed group %(target)s"),
        ),
        "groups.archived": (
            _("Group archived"),
            _("%(actor)s archived group %(target)s"),
        ),
        "groups.member_placed": (
            _("Placed in a group"),
            _("%(actor)s placed %(target)s in a group"),
        ),
        "groups.member_left": (
            _("Left a group"),
            _("%(actor)s took %(target)s out of a group at their request"),
        ),
        "groups.member_removed": (
            _("Removed from a group"),
            _("%(actor)s removed %(target)s from a group"),
        ),
        "groups.facilitator_appointed": (
            _("Facilitator appointed"),
            _("%(actor)s made %(target)s a facilitator"),
        ),
        "groups.facilitator_removed": (
            _("Facilitator role ended"),
            _("%(actor)s ended the facilitator role of %(target)s"),
        ),
        "groups.join_request.accepted": (
            _("Join request accepted"),
            _("%(actor)s accepted the request of %(target)s to join a group"),
        ),
        "groups.join_request.declined": (
            _("Join request declined"),
            _("%(actor)s declined the request of %(target)s to join a group"),
        ),
        "groups.message_sent": (
            _("Message to a group"),
            _("%(actor)s wrote to group %(target)s"),
        ),
        "groups.revealing_word.added": (
            _("Word added to the list"),
            _("%(actor)s added a word to the list of revealing words"),
        ),
        "groups.revealing_word.removed": (
            _("Word removed from the list"),
            _("%(actor)s removed a word from the list of revealing words"),
        ),
        "groups.support_request.viewed": (
            _("Request for support read"),
            _("%(actor)s read the request for support of member %(target)s"),
        ),
    }
)
