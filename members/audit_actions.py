"""How the audit log reads the entries that members records (see echo.audit)."""

from django.utils.translation import gettext_lazy as _

from echo import audit

audit.describe(
    {
        "members.application.submitted": (
            _("Application sent in"),
            _("%(actor)s sent in an application"),
        ),
        "members.application.withdrawn": (
            _("Application withdrawn"),
            _("%(actor)s withdrew their application"),
        ),
        "members.application.approved": (
            _("Application approved"),
            _("%(actor)s approved the application of %(target)s"),
        ),
        "members.application.declined": (
            _("Application declined"),
            _("%(actor)s declined the application of %(target)s"),
        ),
        "members.application.on_hold": (
            _("Application put on hold"),
            _("%(actor)s put the application of %(target)s on hold"),
        ),
        "members.intake.started": (
            _("Intake started"),
            _("%(actor)s started the intake of %(target)s"),
        ),
        "members.intake.viewed": (
            _("Application viewed"),
            _("%(actor)s viewed the application of %(target)s"),
        ),
        "members.intake.note_added": (
            _("Intake note added"),
            _("%(actor)s added an intake note about %(target)s"),
        ),
        "members.intake.message_sent": (
            _("Message to an applicant"),
            _("%(actor)s sent a message to %(target)s"),
        ),
        "members.phone.viewed": (
            _("Phone number viewed"),
            _("%(actor)s viewed the phone number of %(target)s"),
        ),
        "members.membership.left": (
            _("Left Echo"),
            _("%(actor)s left Echo"),
        ),
        "members.data.exported": (
            _("Personal data downloaded"),
            _("%(actor)s downloaded the personal data of %(target)s"),
        ),
        "members.account.erased": (
            _("Account erased"),
            _("%(actor)s erased the account of %(target)s"),
        ),
        "members.role.changed": (
            _("Roles changed"),
            _("%(actor)s changed the roles of %(target)s"),
        ),
    }
)
