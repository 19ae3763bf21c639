"""Reads the group pages share. Writes are in `services`, who is who in `roles`."""

from django.db.models import Count, F, OuterRef, Q

from echo.queries import count_per_row

from .models import Group, GroupMembership, JoinRequest


def pending_requests_count():
    """Annotation: how many requests to join wait for each group."""
    return count_per_row(
        JoinRequest.objects.filter(group=OuterRef("pk"), state=JoinRequest.State.PENDING), "group"
    )


def groups_of_region(region):
    """A coordinator's list: every group of the region, archived ones last,
    with its counts."""
    return (
        Group.objects.filter(region=region)
        .annotate(
            members_count=Count("memberships", distinct=True),
            facilitators_count=Count(
                "memberships",
                filter=Q(memberships__role=GroupMembership.Role.FACILITATOR),
                distinct=True,
            ),
            pending_requests=pending_requests_count(),
        )
        .order_by(F("archived_at").asc(nulls_first=True), "name", "pk")
    )
