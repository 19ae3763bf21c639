from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

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
    so that it is never gone before the limit is reached."""

    idle = settings.SESSION_IDLE_LIMIT.total_seconds()
    absolute = settings.SESSION_ABSOLUTE_LIMIT.total_seconds()
    interval = settings.SESSION_ACTIVITY_WRITE_INTERVAL.total_seconds()

    def middleware(request):
        session = request.session
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = session.setdefault(SESSION_STARTED_KEY, now)
            last = session.get(LAST_ACTIVITY_KEY, now)
            if now - started > absolute or now - last > idle:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if LAST_ACTIVITY_KEY not in session or now - last >= interval:
                session[LAST_ACTIVITY_KEY] = now
        return get_response(request)

    return middleware


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
