from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

SESSION_STARTED_KEY = "echo.session_started"
LAST_ACTIVITY_KEY = "echo.last_activity"


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
