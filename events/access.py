"""Who may reach which meeting. The person is inside the query: an outsider
gets a 404 and learns nothing, not even that the meeting exists."""

from django.shortcuts import get_object_or_404

from groups import roles as group_roles

from .models import Meeting, Series


def _meeting_of(groups, code):
    """A meeting of one of these groups, or a 404."""
    return get_object_or_404(
        Meeting.objects.select_related("group", "series"), code=code, group__in=groups.values("pk")
    )


def meeting_for_member(user, code):
    """A meeting of a group the person is in."""
    return _meeting_of(group_roles.groups_of(user), code)


def meeting_led_by(user, code):
    """A meeting of a group the person facilitates."""
    return _meeting_of(group_roles.groups_led_by(user), code)


def series_led_by(user, code):
    """A series of a group the person facilitates."""
    return get_object_or_404(
        Series.objects.select_related("group"),
        code=code,
        group__in=group_roles.groups_led_by(user).values("pk"),
    )
