"""What the groups app shows on other apps' pages (see echo.panels)."""

from django.template.loader import render_to_string

from .models import GroupMembership


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
