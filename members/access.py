"""Who may reach what. Outsiders get a 404 and learn nothing."""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from .models import Group, Member


def _with_second_factor(view):
    """Tools of facilitators, coordinators and admins need a second factor first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_mfa_enabled(request.user):
            return redirect("second_factor_required")
        return view(request, *args, **kwargs)

    return wrapped


def _requires(test):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def own_member(user):
    return getattr(user, "member", None)


def _is_active_member(user):
    member = own_member(user)
    return bool(member and member.is_active_member)


# Only active members reach groups, meetings and boards.
member_required = _requires(_is_active_member)

applicant_or_member_required = _requires(own_member)


def coordinator_required(view):
    return _requires(lambda user: user.is_coordinator)(_with_second_factor(view))


def coordinator_or_admin_required(view):
    return _requires(lambda user: user.is_coordinator or user.is_staff)(_with_second_factor(view))


def facilitator_required(view):
    return _requires(lambda user: user.is_facilitator)(_with_second_factor(view))


def application_for_coordinator(coordinator, code):
    """An application in the coordinator's own region, or a 404."""
    return get_object_or_404(
        Member.objects.select_related("user"),
        code=code,
        region=coordinator.coordinator_region,
    )


def facilitator_or_coordinator_required(view):
    return _requires(lambda user: user.is_facilitator or user.is_coordinator)(
        _with_second_factor(view)
    )


def group_for_member(user, code):
    """A current group the person is in (as member or facilitator), or a 404."""
    return get_object_or_404(Group.objects.current().of(own_member(user)).distinct(), code=code)


def group_led_by(user, code):
    """A current group the person leads, or a 404."""
    return get_object_or_404(Group.objects.current().led_by(own_member(user)), code=code)


def group_for_coordinator(user, code):
    """A group of the coordinator's region, archived ones included, or a 404."""
    return get_object_or_404(Group, code=code, region=user.coordinator_region)


def group_for_roster(user, code):
    """The roster is for the group's facilitators and its region's coordinators."""
    if user.is_coordinator:
        return group_for_coordinator(user, code)
    return group_led_by(user, code)
