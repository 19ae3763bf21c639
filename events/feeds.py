"""A member's private calendar feed: the settings page and the feed itself.

The secret token is in the feed's URL; only its hash is stored, so the URL is
shown once, in the answer to the request that made it. Renewing replaces the
hash (the old URL stops working at once); stopping deletes the feed.
"""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from echo import audit
from members.access import member_required

from . import calendar
from .models import CalendarFeed


def _audit(request, member, action):
    # Never the token: the entry says only that it happened.
    audit.record(request.user, f"events.calendar_feed.{action}", member, region=member.region)


def feed_urls(token):
    """The secret URL, and the same as webcal:// (opens the calendar app)."""
    url = settings.SITE_URL + reverse("events:feed", args=[token])
    _scheme, _sep, rest = url.partition("://")
    return url, f"webcal://{rest}"


@member_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    member = request.user.member
    feed = CalendarFeed.objects.filter(member=member).first()
    context = {"member": member, "feed": feed}
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("create", "renew"):
            token = CalendarFeed.issue(member)
            _audit(request, member, "renewed" if feed else "created")
            feed_url, webcal_url = feed_urls(token)
            context.update(
                feed=CalendarFeed.objects.get(member=member),
                renewed=feed is not None,
                feed_url=feed_url,
                webcal_url=webcal_url,
            )
            # Rendered here, not after a redirect: this is the only time the
            # URL exists outside the member's calendar app.
            return render(request, "events/calendar.html", context)
        if action == "stop" and feed is not None:
            feed.delete()
            _audit(request, member, "stopped")
            messages.success(
                request, _("Your calendar link is stopped. It no longer shows your meetings.")
            )
        return redirect("events:calendar")
    return render(request, "events/calendar.html", context)


# Two reads, nothing written: no transaction around them.
@transaction.non_atomic_requests
@require_safe
def calendar_feed(request, token):
    # Unknown, renewed or stopped token, or a member who is not active: the
    # same 404 for all.
    feed = CalendarFeed.for_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(
        calendar.feed_for(feed.member), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
