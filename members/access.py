"""Who may reach which page. Outsiders get a 404 and learn nothing; the roles
themselves are worked out in `roles`."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from . import roles
from .models import Member


def second_factor_first(view):
    """Tools of facilitators, coordinators and admins need a second factor first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.has_second_factor(request.user):
            return redirect("second_factor_required")
        return view(request, *args, **kwargs)

    return wrapped


def paused_page(request):
    """What a paused member reaches instead of members' pages: a way back,
    not "page not found". Still a 404, as for anyone who may not see the
    page, and the same whatever the page was: it tells nothing of it."""
    return render(request, "members/paused.html", status=404)


def requires(test):
    """Signed in and passing `test(user)`, or a 404 (for a paused member, the
    page that offers to come back)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                if roles.paused_member(request.user):
                    return paused_page(request)
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def tool_of(test):
    """A tool of people passing `test`, which they reach with a second factor only."""

    def decorator(view):
        return requires(test)(second_factor_first(view))

    return decorator


# Only active members reach groups, meetings and boards.
member_required = requires(roles.active_member)

applicant_or_member_required = requires(roles.own_member)

coordinator_required = tool_of(roles.is_coordinator_account)

coordinator_or_admin_required = tool_of(
    lambda user: roles.is_coordinator_account(user) or user.is_staff
)


def application_for_coordinator(coordinator, code):
    """An application in the coordinator's own region, or a 404."""
    return get_object_or_404(
        Member.objects.select_related("user"),
        code=code,
        region=roles.coordinated_region(coordinator) or None,
    )
