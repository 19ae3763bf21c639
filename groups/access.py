"""Who may reach which group page. The person is inside the query: an
outsider gets a 404 and learns nothing, not even that the group exists."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from members import roles as person
from members.access import tool_of

from . import roles
from .models import Group, JoinRequest, SupportRequest


def _facilitates_or_may_set_up(user):
    # A paused or suspended facilitator gets in no further than the page:
    # every group they might act on comes from `roles.groups_led_by`, empty for them.
    return roles.appointed_facilitator(user)


# Facilitation pages; an appointed facilitator without a second factor is sent to set one up.
facilitator_required = tool_of(_facilitates_or_may_set_up)

facilitator_or_coordinator_required = tool_of(
    lambda user: _facilitates_or_may_set_up(user) or person.is_coordinator_account(user)
)


def groups_managed_by(user):
    """A coordinator's region's groups, archived ones included; otherwise the
    groups the person facilitates."""
    region = person.coordinated_region(user)
    if region:
        return Group.objects.filter(region=region)
    return roles.groups_led_by(user)


def group_for_member(user, code):
    """A current group the person is in (as member or facilitator), or a 404."""
    return get_object_or_404(roles.groups_of(user), code=code)


def group_led_by(user, code):
    """A current group the person facilitates, or a 404."""
    return get_object_or_404(roles.groups_led_by(user), code=code)


def group_for_coordinator(user, code):
    """A group of the coordinator's region, archived ones included, or a 404."""
    return get_object_or_404(Group, code=code, region=person.coordinated_region(user) or None)


def group_for_roster(user, code):
    """The roster is for the group's facilitators and its region's coordinators."""
    return get_object_or_404(groups_managed_by(user), code=code)


def join_request_to_decide(user, code):
    """A pending request to a group the person leads or coordinates, or a 404."""
    return get_object_or_404(
        JoinRequest.objects.select_related("group", "member"),
        code=code,
        group__in=groups_managed_by(user),
        state=JoinRequest.State.PENDING,
    )


def support_request_for(user, code):
    """A request for support that reached the person (as a facilitator of its
    group now, or as a coordinator of its region when it was for them), or a
    404: nobody else reads it, coordinators of requests to a group included."""
    reached = Q(group__in=roles.groups_led_by(user))
    region = person.coordinated_region(user)
    if region:
        reached |= Q(group__isnull=True, region=region)
    return get_object_or_404(
        SupportRequest.objects.filter(reached)
        .exclude(member__user=user)
        .select_related("member", "group"),
        code=code,
    )
