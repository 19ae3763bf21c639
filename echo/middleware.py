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


# The header's language menu, on a page whose form must survive a change of
# language (the sign-up form), belongs to that form: its "Change" button
# posts what was typed along with the language (templates/language_menu.html).
SWITCH_LANGUAGE_FIELD = "switch_language"
SWITCH_LANGUAGE_BUTTON = "switch_language_button"
CARRIED_FORM_KEY = "echo.carried_form"
# Never carried: the token, the switch itself, passwords (not kept in the session).
_NOT_CARRIED = {"csrfmiddlewaretoken", SWITCH_LANGUAGE_FIELD, SWITCH_LANGUAGE_BUTTON, "language"}


class switch_language_in_form:  # noqa: N801 (a middleware, named like the others)
    """Change the language when the menu's button was pressed with another
    language chosen; keep what was typed and show the page again in the new
    language. The switch runs after the CSRF check (process_view).

    Enter in a field presses the form's first button, which is the menu's:
    with the language unchanged, the form is simply submitted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or SWITCH_LANGUAGE_BUTTON not in request.POST:
            return None
        language = request.POST.get(SWITCH_LANGUAGE_FIELD)
        if not translation.check_for_language(language) or language == translation.get_language():
            return None
        request.session[CARRIED_FORM_KEY] = {
            "path": request.path,
            "data": {
                name: request.POST.getlist(name)
                for name in request.POST
                if name not in _NOT_CARRIED and "password" not in name
            },
        }
        remember_language(request, language)
        response = redirect(request.get_full_path())
        response.status_code = 303
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


def remember_language(request, language):
    """A signed-in person's choice of language is kept in their profile."""
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])


def carried_form(request, fields):
    """What was typed in a form of this page before the language changed, as
    initial values for the form's `fields` (once; passwords are never carried)."""
    carried = request.session.get(CARRIED_FORM_KEY)
    if request.method != "GET" or not carried or carried.get("path") != request.path:
        return {}
    del request.session[CARRIED_FORM_KEY]
    initial = {}
    for name, field in fields.items():
        values = carried["data"].get(name)
        if values is None:
            continue
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        initial[name] = values if multiple else values[-1]
    return initial
