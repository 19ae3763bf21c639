"""What the groups app shows on other apps' pages (see echo.panels)."""

from django.db.models import Count
from django.template.loader import render_to_string

from . import roles
from .models import GroupMembership, JoinRequest


def your_groups(request, *, member, **objects):
    """The member home: one's groups and the way to others."""
    memberships = (
        GroupMembership.objects.filter(member=member, group__archived_at__isnull=True)
        .select_related("group")
        .order_by("group__name", "group__pk")
    )
    return render_to_string(
        "groups/panels/member_home.html", {"memberships": memberships}, request=request
    )


def join_requests_waiting(request, *, member, **objects):
    """The member home, for facilitators: requests to join their groups that
    wait for an answer, per group."""
    if not roles.is_facilitator(request.user):
        return ""
    groups = list(
        JoinRequest.objects.filter(
            state=JoinRequest.State.PENDING, group__in=roles.groups_led_by(request.user)
        )
        .values("group__code", "group__name")
        .annotate(waiting=Count("pk"))
        .order_by("group__name", "group__code")
    )
    if not groups:
        return ""
    return render_to_string(
        "groups/panels/join_requests_waiting.html", {"groups": groups}, request=request
    )
