"""Who is who inside a group: its members and its facilitators. Built on
`members.roles`; every view, service, task, template and recipient list asks
here, so that a rule (say, that a facilitator needs a second factor and
drops out while paused or suspended) holds everywhere at once.

A facilitator of a group is an active member who leads it, has a second
factor and is not suspended; the group is not archived. Someone appointed
who lacks a second factor is only sent to set one up (`appointed_facilitator`).

As in `members.roles`, the recipient lists (`facilitating_memberships`,
`facilitators_of`) ask whether the account has a second factor, while what a
person may do in a request (`groups_led_by`, `leads`, `is_facilitator`) also
asks whether their session proved it.
"""

from django.db.models import Count, Exists, OuterRef, Q

from members import roles
from members.models import Member, User

from .models import Group, GroupMembership

FACILITATOR = GroupMembership.Role.FACILITATOR


def groups_of(user):
    """The current groups the person is in, as participant or facilitator,
    while their membership is active."""
    member = roles.active_member(user)
    if member is None:
        return Group.objects.none()
    return Group.objects.current().filter(
        Exists(GroupMembership.objects.filter(group=OuterRef("pk"), member=member))
    )


def is_in_group(user, group):
    return groups_of(user).filter(pk=group.pk).exists()


def members_of(group):
    """The active members of a group, its facilitators included."""
    return Member.objects.active().filter(
        Exists(GroupMembership.objects.filter(group=group, member=OuterRef("pk")))
    )


def facilitating_memberships():
    """The one rule of who facilitates what, as group memberships: the
    facilitator role, in a current group, held by an active member who is not
    suspended and has a second factor. Everything below is built on it."""
    return GroupMembership.objects.filter(
        role=FACILITATOR,
        group__archived_at__isnull=True,
        member__in=roles.acting_members(),
        member__user__in=roles.with_second_factor(User.objects.all()),
    )


def groups_led_by(user):
    """The current groups the person facilitates (in a request: with a
    session that proved the second factor)."""
    member = roles.active_member(user)
    if member is None or not roles.session_proves_second_factor(user):
        return Group.objects.none()
    return Group.objects.filter(
        Exists(facilitating_memberships().filter(group=OuterRef("pk"), member=member))
    )


def leads(user, group):
    """The person is a facilitator of this group."""
    return groups_led_by(user).filter(pk=group.pk).exists()


def _facilitation(user):
    """How many current groups the person is appointed to lead, and how many
    of those they may act in: one query, remembered for the request."""

    def count():
        member = roles.active_member(user)
        if member is None:
            return {"appointed": 0, "acting": 0}
        return GroupMembership.objects.filter(
            member=member, role=FACILITATOR, group__archived_at__isnull=True
        ).aggregate(
            appointed=Count("pk"),
            acting=Count("pk", filter=Q(pk__in=facilitating_memberships().values("pk"))),
        )

    if not user.is_authenticated:
        return {"appointed": 0, "acting": 0}
    return roles.remember(user, "facilitation", count)


def is_facilitator(user):
    """The person is a facilitator of at least one group (in a request: with a
    session that proved the second factor)."""
    return roles.session_proves_second_factor(user) and _facilitation(user)["acting"] > 0


def appointed_facilitator(user):
    """Holds the facilitator role in a current group, second factor or not:
    such a person is shown the way to their tools and asked to set up a
    second factor first."""
    return _facilitation(user)["appointed"] > 0


def facilitators_of(group):
    """The members who facilitate the group: the recipients of what is for its
    facilitators (join requests, safety concerns, the list of who is going)."""
    return Member.objects.filter(
        pk__in=facilitating_memberships().filter(group=group).values("member")
    )
