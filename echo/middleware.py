from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .kept_text import keeps_text_at

SESSION_STARTED_KEY = "echo.session_started"
LAST_ACTIVITY_KEY = "echo.last_activity"


def database_free_pages(get_response):
    """On a page that needs no database (`echo.sessions.needs_no_database`,
    and an address that leads nowhere),
    a session the database cannot be asked for reads as empty, so that the
    page still answers while the database is down (see echo.sessions)."""

    def middleware(request):
        try:
            needs_none = getattr(resolve(request.path_info).func, "needs_no_database", False)
        except Resolver404:
            needs_none = True  # "page not found" needs none either
        if needs_none:
            request.session.empty_without_database = True
        return get_response(request)

    return middleware


def session_limits(get_response):
    """End a session after `SESSION_IDLE_LIMIT` without a request, and at the
    latest `SESSION_ABSOLUTE_LIMIT` after login, however active it is.

    The last activity is written to the session at most once every
    `SESSION_ACTIVITY_WRITE_INTERVAL`, not on every request: a page read
    within that time costs no session write. The idle limit is checked here
    against that moment, so it holds to within the interval; the session row
    itself expires an interval later than the limit (`SESSION_COOKIE_AGE`),
    so that it is never gone before the limit is reached.

    The session page (`echo.views.session`) asks without counting as activity
    and, posted to, counts as activity at once. A form with free text that
    arrives after the limit goes on to its view without a session, which
    keeps the text (`echo.kept_text`); any other request goes to sign in."""

    def ended_message(request):
        messages.info(
            request,
            _(
                "Your session has ended. For your safety Echo signs you out "
                "after a while without activity."
            ),
        )

    def middleware(request):
        session = request.session
        if (
            not request.user.is_authenticated
            and request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and session.is_empty()
            and request.method == "GET"
            and request.path_info != reverse("session")
        ):
            # The browser's session is gone on the server: the idle limit had
            # passed when its row expired, or it was ended there. Said once:
            # SessionMiddleware removes the cookie of an empty session.
            ended_message(request)
        if request.user.is_authenticated:
            idle = settings.SESSION_IDLE_LIMIT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_LIMIT.total_seconds()
            interval = settings.SESSION_ACTIVITY_WRITE_INTERVAL.total_seconds()
            status_page = request.path_info == reverse("session")
            now = timezone.now().timestamp()
            started = session.setdefault(SESSION_STARTED_KEY, now)
            last = session.get(LAST_ACTIVITY_KEY, now)
            if now - started > absolute or now - last > idle:
                logout(request)
                if status_page or (request.method == "POST" and keeps_text_at(request)):
                    return get_response(request)
                ended_message(request)
                if request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                return redirect(settings.LOGIN_URL)
            if status_page:
                if request.method == "POST":
                    session[LAST_ACTIVITY_KEY] = now
            elif LAST_ACTIVITY_KEY not in session or now - last >= interval:
                session[LAST_ACTIVITY_KEY] = now
        return get_response(request)

    return middleware


def session_remaining(request):
    """Seconds until this session ends if nothing happens (0 if it has)."""
    if not request.user.is_authenticated:
        return 0
    session = request.session
    now = timezone.now().timestamp()
    idle_end = session.get(LAST_ACTIVITY_KEY, now) + settings.SESSION_IDLE_LIMIT.total_seconds()
    absolute_end = (
        session.get(SESSION_STARTED_KEY, now) + settings.SESSION_ABSOLUTE_LIMIT.total_seconds()
    )
    return max(0, int(min(idle_end, absolute_end) - now))


def activate_user_language(get_response):
    """A signed-in person sees Echo in the language they chose in their profile."""

    def middleware(request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return get_response(request)

    return middleware


def activate_user_time_zone(get_response):
    """Times are shown in the time zone a signed-in person chose (default Brussels)."""

    def middleware(request):
        user = request.user
        if user.is_authenticated and user.time_zone:
            timezone.activate(user.time_zone)
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware


def no_browser_cache(get_response):
    """Tell the browser to keep no copy of any page: a shared computer, or the
    back button after the quick exit, must not show it again. Every answer
    Echo renders (pages, redirects, errors, a sign-up form with what was typed)
    is covered, signed in or not; static files are served before this
    middleware and stay cacheable."""

    def middleware(request):
        response = get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
