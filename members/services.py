"""Business rules of joining, intake and leaving. Views and tasks call these."""

import logging
from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.utils import filter_users_by_email, user_pk_to_url_str
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from echo import audit
from echo.models import OutgoingEmail

from . import emails, roles, signals
from .models import IntakeMessage, IntakeNote, Member, StatusChange, User
from .notifications import notify

logger = logging.getLogger(__name__)

S = Member.Status

# Which states each state may move to; anything else is refused.
TRANSITIONS = {
    S.APPLIED: {S.IN_INTAKE, S.ACTIVE, S.ON_HOLD, S.DECLINED, S.WITHDRAWN},
    S.IN_INTAKE: {S.ACTIVE, S.ON_HOLD, S.DECLINED, S.WITHDRAWN},
    S.ON_HOLD: {S.IN_INTAKE, S.ACTIVE, S.DECLINED, S.WITHDRAWN},
    S.ACTIVE: {S.PAUSED, S.LEFT},
    S.PAUSED: {S.ACTIVE, S.LEFT},
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
    S.LEFT: set(),
}


class InvalidTransition(ValueError):
    pass


def _change_status(member, to_status, actor, reason=""):
    # Lock the row so that two coordinators deciding at once cannot both win.
    member = Member.objects.select_for_update().get(pk=member.pk)
    if to_status not in TRANSITIONS[member.status]:
        raise InvalidTransition(
            _("This cannot be done now: the status is “%(status)s”.")
            % {"status": member.get_status_display()}
        )
    StatusChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=to_status,
        actor=actor,
        reason=reason,
    )
    member.status = to_status
    member.status_changed_at = timezone.now()
    member.save(update_fields=["status", "status_changed_at"])
    return member


@transaction.atomic
def submit_application(user, *, pseudonym, region, contact_preference, phone, message):
    member = Member.objects.create(
        user=user,
        pseudonym=pseudonym,
        region=region,
        contact_preference=contact_preference,
        phone=phone if contact_preference == Member.Contact.PHONE else "",
        message_to_coordinator=message,
        privacy_version=settings.PRIVACY_STATEMENT_VERSION,
        privacy_agreed_at=timezone.now(),
    )
    StatusChange.objects.create(member=member, to_status=S.APPLIED, actor=user)
    audit.record(user, "members.application.submitted", member, region=region)
    return member


def _email_member(member, kind, **context):
    notify(member, f"members/notices/{kind.name.split('.')[1]}.txt", kind=kind, **context)


def _notify_decision(member):
    # The status of the decision, kept: the notice in Echo says what was decided then.
    _email_member(
        member, emails.STATUS_CHANGED, url=reverse("members:home"), status=str(member.status)
    )


@transaction.atomic
def _decide(coordinator, member, to_status, action, reason, *, message="", notify=True):
    member = _change_status(member, to_status, coordinator, reason)
    # Kind words to the person go into the intake conversation: they read
    # them on their own page, after the decision (see `words_since_decision`).
    if message.strip():
        IntakeMessage.objects.create(member=member, author=coordinator, text=message.strip())
    audit.record(coordinator, action, member, region=member.region)
    if notify:
        _notify_decision(member)
    return member


def start_intake(coordinator, member, reason=""):
    return _decide(coordinator, member, S.IN_INTAKE, "members.intake.started", reason, notify=False)


def approve_application(coordinator, member, reason=""):
    return _decide(coordinator, member, S.ACTIVE, "members.application.approved", reason)


def decline_application(coordinator, member, reason="", message=""):
    """`reason` is for the coordinators; `message`, optional, for the person."""
    return _decide(
        coordinator, member, S.DECLINED, "members.application.declined", reason, message=message
    )


def put_application_on_hold(coordinator, member, reason="", message=""):
    return _decide(
        coordinator, member, S.ON_HOLD, "members.application.on_hold", reason, message=message
    )


def words_since_decision(member):
    """What the coordinators wrote to the person since their application was
    last decided (declined, put on hold): their page shows it first."""
    return member.messages.filter(
        from_applicant=False, created_at__gte=member.status_changed_at
    ).order_by("created_at", "pk")


@transaction.atomic
def add_intake_note(coordinator, member, text):
    note = IntakeNote.objects.create(member=member, author=coordinator, text=text)
    audit.record(coordinator, "members.intake.note_added", member, region=member.region)
    return note


@transaction.atomic
def message_applicant(coordinator, member, text):
    """Write to an applicant through Echo: the email comes from Echo, and in
    discreet mode it only says there is news; the message waits in Echo."""
    message = IntakeMessage.objects.create(member=member, author=coordinator, text=text)
    # In Echo the notice points to the conversation; the text stays in the message.
    _email_member(member, emails.INTAKE_MESSAGE, url=reverse("members:status"), message=message)
    audit.record(coordinator, "members.intake.message_sent", member, region=member.region)
    return message


@transaction.atomic
def reply_to_coordinator(member, text):
    """An applicant answers in Echo, also after being declined; the
    coordinators of the region are told (a link, never the words) and read
    it on the intake page."""
    if not member.has_intake_conversation:
        raise InvalidTransition(_("Only open applications have a conversation."))
    message = IntakeMessage.objects.create(
        member=member, author=member.user, from_applicant=True, text=text
    )
    url = reverse("members:application", args=[member.code])
    for coordinator in roles.coordinators_of(member.region):
        notify(
            coordinator,
            "members/notices/intake_reply.txt",
            kind=emails.INTAKE_REPLY,
            key=emails.INTAKE_REPLY.key(member.code, message.pk, coordinator.code),
            url=url,
        )
    return message


@transaction.atomic
def show_confidential_intake(coordinator, member):
    """Record that a coordinator opened the intake notes and phone number."""
    audit.record(coordinator, "members.intake.viewed", member, region=member.region)
    if member.phone:
        audit.record(coordinator, "members.phone.viewed", member, region=member.region)


@transaction.atomic
def withdraw_application(member):
    member = _change_status(member, S.WITHDRAWN, member.user)
    audit.record(member.user, "members.application.withdrawn", member, region=member.region)
    return member


@transaction.atomic
def pause_membership(member):
    member = _change_status(member, S.PAUSED, member.user)
    signals.member_paused.send(Member, member=member)
    return member


@transaction.atomic
def resume_membership(member):
    return _change_status(member, S.ACTIVE, member.user)


@transaction.atomic
def leave_echo(member):
    member = _change_status(member, S.LEFT, member.user)
    signals.member_left.send(Member, member=member)
    audit.record(member.user, "members.membership.left", member, region=member.region)
    return member


def update_profile(
    member,
    *,
    language,
    time_zone,
    contact_preference,
    phone,
    reminder_offsets=None,
):
    """Save a person's preferences; `reminder_offsets` None leaves them as they are."""
    with transaction.atomic():
        member.user.language = language
        member.user.time_zone = time_zone
        member.user.save(update_fields=["language", "time_zone"])
        member.contact_preference = contact_preference
        member.phone = phone if contact_preference == Member.Contact.PHONE else ""
        if reminder_offsets is not None:
            member.reminder_offsets = sorted(set(reminder_offsets), reverse=True)
        member.save(
            update_fields=[
                "contact_preference",
                "phone",
                "reminder_offsets",
            ]
        )
    return member


@transaction.atomic
def choose_emails(member, emails):
    """What Echo's emails to the person say, or none at all (see Member.Emails)."""
    member.emails = Member.Emails(emails)
    member.save(update_fields=["emails"])
    return member


def send_password_reset(email):
    """Email a link to set a new password to the account of `email`, if there
    is one; nothing otherwise (an unknown address gets no email). Run by the
    worker, so that the request that asked takes as long either way."""
    users = filter_users_by_email(email, is_active=True, prefer_verified=True)
    for user in users:
        uid, key = user_pk_to_url_str(user), default_token_generator.make_token(user)
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": key})
        context = {"user": user, "password_reset_url": settings.SITE_URL + path}
        get_adapter().send_password_reset_mail(user, email, context)
    return len(users)


def _coordinators_texts(member):
    """What the coordinators wrote about a person for themselves (intake
    notes, the reasons of decisions) is not handed to whoever knows the
    person's password: the export says only that it exists, and where to ask."""
    notes = member.intake_notes.count()
    reasons = member.history.exclude(reason="").count()
    return {
        "intake_notes": notes,
        "decision_reasons": reasons,
        "about": gettext(
            "The coordinators' intake notes and the reasons they wrote for their "
            "decisions are not part of this download. You can ask the coordinator "
            "of your region for them."
        ),
    }


def export_personal_data(user):
    """Everything a person gave or wrote to Echo, decrypted, as plain data;
    of what the coordinators wrote about them, only how much there is."""
    member = getattr(user, "member", None)
    data = {
        "account": {
            "email": user.email,
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": address.email, "verified": address.verified}
                for address in user.emailaddress_set.all()
            ],
            "second_factors": [a.type for a in user.authenticator_set.all()],
            "notices": [
                {
                    "kind": notice.kind,
                    **notice.params,
                    "at": notice.created_at.isoformat(),
                    "read_at": notice.read_at.isoformat() if notice.read_at else None,
                }
                for notice in user.notices.all()
            ],
        },
    }
    if member:
        data["membership"] = {
            "pseudonym": member.pseudonym,
            "region": member.region,
            "status": member.status,
            "applied_at": member.applied_at.isoformat(),
            "contact_preference": member.contact_preference,
            "phone": member.phone,
            "message_to_coordinator": member.message_to_coordinator,
            "privacy_statement_version": member.privacy_version,
            "privacy_agreed_at": member.privacy_agreed_at.isoformat(),
            "emails": member.emails,
            "reminder_offsets": member.reminder_offsets,  # minutes before a meeting
            "history": [
                {"from": change.from_status, "to": change.to_status, "at": change.at.isoformat()}
                for change in member.history.all()
            ],
            "written_by_coordinators": _coordinators_texts(member),
            "intake_messages": [
                {
                    "from": "you" if message.from_applicant else "coordinator",
                    "text": message.text,
                    "at": message.created_at.isoformat(),
                }
                for message in member.messages.all()
            ],
        }
    # Groups, meetings and boards add what they hold about the person.
    for _receiver, sections in signals.personal_data_requested.send(User, user=user, member=member):
        data.update(sections)
    audit.record(
        user, "members.data.exported", member or user, region=member.region if member else ""
    )
    return data


@transaction.atomic
def erase_account(user, actor=None, *, delete_posts=False):
    """Remove every personal detail; the audit log keeps only that it happened.
    Posts on the boards stay, signed "former member", unless the person chose
    to delete them. All or nothing: a failure part-way leaves the account as
    it was, and no entry saying it was erased."""
    member = getattr(user, "member", None)
    region = member.region if member else ""
    status = member.status if member else ""
    # Seats they held go to the waiting list before the answers vanish.
    signals.account_erasing.send(User, user=user, member=member, delete_posts=delete_posts)
    # Signed out everywhere, and no email to the address is left behind.
    for session in UserSession.objects.filter(user=user):
        session.end()
    OutgoingEmail.objects.filter(to__iexact=user.email).delete()
    audit.record(
        actor or user, "members.account.erased", member or user, region=region, status=status
    )
    user.delete()


def erase_stale_applications(now=None):
    """Erase declined and withdrawn applications after the retention period,
    each in its own transaction: one that fails is logged and tried again
    the next night, and does not hold back the others."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.STALE_APPLICATION_DAYS)
    stale = User.objects.filter(
        member__status__in=Member.CLOSED_APPLICATION,
        member__status_changed_at__lt=cutoff,
    )
    erased = 0
    for user in stale.select_related("member"):
        try:
            erase_account(user, actor=None)
        except Exception:
            logger.exception("Could not erase the stale application of account %s.", user.code)
        else:
            erased += 1
    return erased
