"""Business rules of peer groups: creating them, who is in them, who leads them."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echo import audit
from members import roles as person
from members.models import Member
from members.notifications import notify, notify_each

from . import emails, roles, signals
from .models import (
    Group,
    GroupMembership,
    GroupMessage,
    JoinRequest,
    RevealingWord,
    SupportRequest,
)

Role = GroupMembership.Role


class GroupError(ValueError):
    """A rule of groups refuses the change; the message says why."""


GROUP_FIELDS = [
    "name",
    "description",
    "format",
    "cadence",
    "max_size",
    "accepts_members",
    "show_attendance",
]
# What a facilitator of the group may change; the rest is the coordinator's.
FACILITATOR_FIELDS = ["description", "accepts_members", "show_attendance"]


def name_problem(name):
    """Why a group cannot be called `name`, or None: a name is read in emails
    and calendars, where it must not say what the group is about."""
    for word in RevealingWord.objects.all():
        if word.occurs_in(name):
            return _(
                "A group's name cannot hold “%(word)s”: emails and calendars would "
                "tell what the group is about. Choose a plain name, such as a weekday."
            ) % {"word": word.word}
    return None


def _check_name(fields):
    if "name" in fields and (problem := name_problem(fields["name"])):
        raise GroupError(problem)


def coordinates(user, group):
    """The person is a coordinator of the group's region."""
    return person.is_coordinator(user, group.region)


@transaction.atomic
def create_group(coordinator, **fields):
    region = person.coordinated_region(coordinator)
    if not region:
        raise GroupError(_("Only a coordinator creates groups."))
    _check_name(fields)
    group = Group.objects.create(region=region, **fields)
    audit.record(coordinator, "groups.created", group, region=group.region)
    return group


@transaction.atomic
def update_group(actor, group, **fields):
    """A coordinator of the region changes anything; a facilitator of the
    group only what members read and whether it takes requests."""
    if group.is_archived:
        raise GroupError(_("An archived group cannot be changed."))
    allowed = GROUP_FIELDS if coordinates(actor, group) else FACILITATOR_FIELDS
    if set(fields) - set(allowed):
        raise GroupError(_("Only a coordinator can change these settings."))
    if not fields:
        return group
    _check_name(fields)
    for name, value in fields.items():
        setattr(group, name, value)
    group.save(update_fields=list(fields))
    audit.record(actor, "groups.updated", group, region=group.region, fields=sorted(fields))
    return group


@transaction.atomic
def archive_group(coordinator, group):
    """An archived group takes no members and plans no meetings; its future
    meetings are cancelled and everyone going is told."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.is_archived:
        return group
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at"])
    signals.group_archived.send(Group, group=group, actor=coordinator)
    group.join_requests.filter(state=JoinRequest.State.PENDING).update(
        state=JoinRequest.State.WITHDRAWN, decided_at=timezone.now()
    )
    audit.record(coordinator, "groups.archived", group, region=group.region)
    return group


def membership_of(member, group):
    return GroupMembership.objects.filter(member=member, group=group).first()


def _check_can_join(member, group):
    if group.is_archived:
        raise GroupError(_("This group no longer meets."))
    if not member.is_active_member:
        raise GroupError(_("Only active members can be in a group."))
    if member.region != group.region:
        raise GroupError(_("Groups take members of their own region."))


def _add(member, group, role=Role.MEMBER):
    _check_can_join(member, group)
    membership, created = GroupMembership.objects.get_or_create(
        member=member, group=group, defaults={"role": role}
    )
    if not created and role == Role.FACILITATOR and not membership.is_facilitator:
        membership.role = role
        membership.save(update_fields=["role"])
    # A pending request is answered by being placed.
    group.join_requests.filter(member=member, state=JoinRequest.State.PENDING).update(
        state=JoinRequest.State.ACCEPTED, decided_at=timezone.now()
    )
    return membership


@transaction.atomic
def place_member(coordinator, group, member):
    """A coordinator puts an approved member of the region in a group."""
    if membership_of(member, group):
        raise GroupError(_("%(name)s is already in this group.") % {"name": member.pseudonym})
    membership = _add(member, group)
    notify(
        member,
        "groups/notices/placed.txt",
        kind=emails.PLACED,
        url=reverse("groups:group", args=[group.code]),
        target=group,
        group=group,
    )
    audit.record(coordinator, "groups.member_placed", member, region=group.region, group=group.code)
    return membership


@transaction.atomic
def appoint_facilitator(coordinator, group, member):
    """Facilitators need a second factor before they can act; the facilitation
    pages send them to set one up."""
    membership = _add(member, group, Role.FACILITATOR)
    audit.record(
        coordinator, "groups.facilitator_appointed", member, region=group.region, group=group.code
    )
    return membership


@transaction.atomic
def remove_facilitator(coordinator, group, member):
    updated = GroupMembership.objects.filter(
        group=group, member=member, role=Role.FACILITATOR
    ).update(role=Role.MEMBER)
    if not updated:
        raise GroupError(_("%(name)s does not lead this group.") % {"name": member.pseudonym})
    audit.record(
        coordinator, "groups.facilitator_removed", member, region=group.region, group=group.code
    )


@transaction.atomic
def ask_to_join(member, group, note=""):
    _check_can_join(member, group)
    if not group.accepts_members:
        raise GroupError(_("This group does not take new members at the moment."))
    if membership_of(member, group):
        raise GroupError(_("You are already in this group."))
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(group=group, member=member, note=note)
    except IntegrityError:
        raise GroupError(_("You have already asked to join this group.")) from None
    for facilitator in roles.facilitators_of(group).select_related("user"):
        notify(
            facilitator,
            "groups/notices/join_request.txt",
            kind=emails.JOIN_REQUEST,
            key=emails.JOIN_REQUEST.key(request.code, facilitator.code),
            url=reverse("groups:roster", args=[group.code]),
            target=group,
            target_type="groups.led_group",
            group=group,
        )
    return request


@transaction.atomic
def withdraw_join_request(member, request):
    JoinRequest.objects.filter(
        pk=request.pk, member=member, state=JoinRequest.State.PENDING
    ).update(state=JoinRequest.State.WITHDRAWN, decided_at=timezone.now())


@transaction.atomic
def decide_join_request(actor, request, accept):
    """A facilitator of the group accepts or declines; the member is told."""
    request = (
        JoinRequest.objects.select_for_update().select_related("group", "member").get(pk=request.pk)
    )
    if request.state != JoinRequest.State.PENDING:
        raise GroupError(_("This request has already been answered."))
    if accept:
        _add(request.member, request.group)
    request.state = JoinRequest.State.ACCEPTED if accept else JoinRequest.State.DECLINED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.save(update_fields=["state", "decided_at", "decided_by"])
    audit.record(
        actor,
        "groups.join_request.accepted" if accept else "groups.join_request.declined",
        request.member,
        region=request.group.region,
        group=request.group.code,
    )
    notify(
        request.member,
        "groups/notices/join_decision.txt",
        kind=emails.JOIN_DECISION,
        key=emails.JOIN_DECISION.key(request.code),
        url=reverse("groups:group", args=[request.group.code])
        if accept
        else reverse("groups:groups"),
        # Declined: inside Echo the notice names no group it cannot show.
        target=request.group if accept else None,
        group=request.group,
        accepted=accept,
    )
    return request


def _leave(group, member):
    deleted, _count = GroupMembership.objects.filter(group=group, member=member).delete()
    if not deleted:
        raise GroupError(_("%(name)s is not in this group.") % {"name": member.pseudonym})
    # Their answers to its future meetings are withdrawn, so the waiting list moves up.
    signals.member_left_group.send(Group, group=group, member=member)


@transaction.atomic
def leave_group(actor, group, member):
    """The member leaves a group and frees their seats at its meetings."""
    _leave(group, member)
    audit.record(actor, "groups.member_left", member, region=group.region, group=group.code)


@transaction.atomic
def remove_from_group(actor, group, member, message=""):
    """A coordinator of the region removes anyone; a facilitator of the group
    removes a participant, not a fellow facilitator (that is a role change,
    which is the coordinator's). The member is told, with `message` if the
    remover wrote one."""
    if not coordinates(actor, group):
        membership = membership_of(member, group)
        if membership is not None and membership.is_facilitator:
            raise GroupError(_("Only a coordinator can remove a facilitator from a group."))
    _leave(group, member)
    audit.record(actor, "groups.member_removed", member, region=group.region, group=group.code)
    notify(
        member,
        "groups/notices/removed.txt",
        kind=emails.REMOVED,
        url=reverse("groups:groups"),
        group=group,
        message=message.strip(),
    )


@transaction.atomic
def leave_all_groups(member):
    """The member leaves every group, archived ones included (they may be
    leaving Echo or erasing their account)."""
    for group in Group.objects.filter(memberships__member=member):
        leave_group(member.user, group, member)


@transaction.atomic
def write_to_group(facilitator, group, text, *, meeting=None, recipients=None, url=None):
    """Store a facilitator's message and queue it for every recipient: the
    whole group, or those `recipients` (a queryset of members) that another
    app chose, such as those going to one `meeting`. No address is shown to anyone."""
    if group.is_archived:
        raise GroupError(_("This group no longer meets."))
    text = text.strip()
    if not text:
        raise GroupError(_("Write a message first."))
    if recipients is None:
        recipients = roles.members_of(group)
    recipients = list(
        recipients.filter(pk__in=roles.members_of(group).values("pk"))
        .exclude(pk=facilitator.pk)
        .select_related("user")
    )
    message = GroupMessage.objects.create(
        group=group, meeting=meeting, author=facilitator, text=text, recipients=len(recipients)
    )
    notify_each(
        recipients,
        "groups/notices/group_message.txt",
        kind=emails.MESSAGE,
        key_of=lambda member: emails.MESSAGE.key(message.code, member.code),
        url=url or reverse("groups:group", args=[group.code]),
        # Inside Echo the text is read from the message, not copied.
        target=message,
        group=group,
        message=message,
        meeting=meeting,
    )
    audit.record(
        facilitator.user,
        "groups.message_sent",
        group,
        region=group.region,
        recipients=len(recipients),
    )
    return message


# Asking for support privately

# More than this in a day is not sent: the recipients already know, and the
# help lines are there for the moments in between.
SUPPORT_REQUESTS_PER_DAY = 3


def groups_to_ask_for_support(member):
    """The member's current groups with a facilitator other than themselves
    who can be reached (not paused, not suspended: see `roles`)."""
    return roles.groups_of(member.user).filter(
        Exists(roles.facilitating_memberships().filter(group=OuterRef("pk")).exclude(member=member))
    )


def support_recipients(support_request):
    """Who a request for support reaches: the group's facilitators (not the
    member themselves), or the coordinators of the member's region."""
    if support_request.group is None:
        return list(person.coordinators_of(support_request.region))
    return list(
        roles.facilitators_of(support_request.group)
        .exclude(pk=support_request.member_id)
        .select_related("user")
    )


@transaction.atomic
def ask_for_support(member, group=None, note=""):
    """Tell the facilitators of `group`, or the region's coordinators (no
    group), that the member is having a hard time: an email with a link,
    never the note, as a safety concern on a board."""
    # One request at a time per member, so that the count below holds.
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.is_active_member:
        raise GroupError(_("Only active members can ask for support here."))
    if group is not None and not groups_to_ask_for_support(member).filter(pk=group.pk).exists():
        raise GroupError(
            _("The facilitators of this group cannot be reached right now. Ask the coordinator.")
        )
    since = timezone.now() - timedelta(days=1)
    if member.support_requests.filter(created_at__gte=since).count() >= SUPPORT_REQUESTS_PER_DAY:
        raise GroupError(
            _(
                "You have asked several times today: they know, and will get back to you. "
                "If you need someone now, the help lines are there for you."
            )
        )
    support_request = SupportRequest.objects.create(
        member=member, group=group, region=member.region, note=note.strip()
    )
    url = reverse("groups:support_request", args=[support_request.code])
    for recipient in support_recipients(support_request):
        notify(
            recipient,
            "groups/notices/support_request.txt",
            kind=emails.SUPPORT_REQUEST,
            key=emails.SUPPORT_REQUEST.key(support_request.code, recipient.code),
            url=url,
        )
    return support_request


@transaction.atomic
def read_support_request(reader, support_request):
    """Reading the member's note is a view of confidential words: logged."""
    audit.record(
        reader,
        "groups.support_request.viewed",
        support_request.member,
        region=support_request.region,
    )


def release_member(member, **kwargs):
    """A member leaves Echo or erases their account: out of every group (the
    meetings app frees their seats as each group lets them go)."""
    if member is not None:
        leave_all_groups(member)


def personal_data(member, **kwargs):
    """The groups part of a person's export."""
    if member is None:
        return {}
    return {
        "groups": [
            {"group": m.group.name, "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in member.memberships.select_related("group")
        ],
        "join_requests": [
            {"group": r.group.name, "note": r.note, "state": r.state}
            for r in member.join_requests.select_related("group")
        ],
        "support_requests": [
            {
                "to": r.group.name if r.group else "coordinators",
                "note": r.note,
                "at": r.created_at.isoformat(),
            }
            for r in member.support_requests.select_related("group")
        ],
        "group_messages_written": [
            {"group": m.group.name, "text": m.text, "at": m.created_at.isoformat()}
            for m in GroupMessage.objects.filter(author=member).select_related("group")
        ],
    }


# The words a group's name may not hold


def _require_coordinator(user):
    if not person.is_coordinator(user):
        raise GroupError(_("Only coordinators keep the list of words."))


@transaction.atomic
def add_revealing_word(coordinator, word):
    _require_coordinator(coordinator)
    word = " ".join(word.split())
    if not word:
        raise GroupError(_("Enter a word."))
    if RevealingWord.objects.filter(word__iexact=word).exists():
        raise GroupError(_("This word is already on the list."))
    added = RevealingWord.objects.create(word=word, created_by=coordinator)
    audit.record(
        coordinator, "groups.revealing_word.added", added, region=coordinator.coordinator_region
    )
    return added


@transaction.atomic
def remove_revealing_word(coordinator, word):
    _require_coordinator(coordinator)
    audit.record(
        coordinator, "groups.revealing_word.removed", word, region=coordinator.coordinator_region
    )
    word.delete()


def groups_with_revealing_names(region):
    """The current groups of a region whose name holds a word of the list."""
    words = list(RevealingWord.objects.all())
    return [
        group
        for group in Group.objects.current().filter(region=region)
        if any(word.occurs_in(group.name) for word in words)
    ]
