"""Every URL of the project, for every role: who gets what.

Each pattern must have a declared expectation; a new URL without one fails
here. Outsiders get 404 for things whose existence is private.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from boards.models import WatchedWord
from echo.models import Region
from groups.models import RevealingWord, SupportRequest
from members.models import Notice

from .factories import (
    ApplicantFactory,
    GroupFactory,
    JoinRequestFactory,
    MeetingFactory,
    PostFactory,
    SeriesFactory,
    ThreadFactory,
    facilitator_of,
)

# `member` and `facilitator` belong to the group whose URLs are tried;
# `other_member` and `other_facilitator` to another group of the same region.
# Also in that group: `facilitator_no_2fa` (appointed, no second factor: a
# plain member who is sent to set one up at every facilitator tool),
# `paused_facilitator` (paused: their own account pages only, no tools) and
# `suspended_member` (suspended from the boards: still reads them and keeps
# groups and meetings; cannot write, see tests/boards).
ROLES = [
    "visitor",
    "applicant",
    "member",
    "other_member",
    "facilitator",
    "other_facilitator",
    "facilitator_no_2fa",
    "paused_facilitator",
    "suspended_member",
    "coordinator",
    "other_coordinator",
    "admin",
]

OK, NOT_FOUND, NOT_ALLOWED = 200, 404, 405
LOGIN = "login"  # redirect to the login page
SECOND_FACTOR = "2fa"  # redirect to the page that asks for a second factor
REDIRECT = "redirect"  # any other redirect
OK_OR_REDIRECT = "ok-or-redirect"
REAUTH = "reauth"  # redirect to re-authentication first


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def signed_in(expected, *, visitor=LOGIN):
    return {"visitor": visitor} | dict.fromkeys(ROLES[1:], expected)


def only(roles, expected=OK, *, others=NOT_FOUND, visitor=LOGIN):
    return {
        role: (visitor if role == "visitor" else expected if role in roles else others)
        for role in ROLES
    }


PUBLIC = everyone(OK)
# Entrance pages send a signed-in person on to where they belong.
ENTRANCE = {"visitor": OK} | dict.fromkeys(ROLES[1:], REDIRECT)
COORDINATORS = ["coordinator", "other_coordinator"]
COORDINATOR = only(COORDINATORS)
WITH_2FA = ["facilitator", "other_facilitator", "paused_facilitator", *COORDINATORS, "admin"]
OWN_REGION = only(["coordinator"])
MEMBERS = [
    "member",
    "other_member",
    "facilitator",
    "other_facilitator",
    "facilitator_no_2fa",
    "suspended_member",
]
PEOPLE = ["applicant", *MEMBERS, "paused_facilitator"]
FACILITATORS = ["facilitator", "other_facilitator"]
IN_GROUP = ["member", "facilitator", "facilitator_no_2fa", "suspended_member"]
LEADS_GROUP = ["facilitator"]
READERS = [*MEMBERS, *COORDINATORS]
MODERATORS = [*FACILITATORS, *COORDINATORS]


def tool(expectations):
    """A facilitator's tool: an appointed facilitator without a second factor
    is sent to set one up (and is a plain member everywhere else)."""
    return expectations | {"facilitator_no_2fa": SECOND_FACTOR}


EXPECTATIONS = {
    "landing": PUBLIC,
    "help": PUBLIC,
    "privacy": PUBLIC,
    "browsing": PUBLIC,
    "guidelines": PUBLIC,
    # Signs out and leaves for QUICK_EXIT_URL, whoever uses it.
    "quick_exit": everyone(REDIRECT),
    "second_factor_required": PUBLIC,
    "set_language": everyone(REDIRECT),
    # How long the session has left (JSON), for the notice before the idle limit.
    "session": PUBLIC,
    "members:too_young": PUBLIC,
    # allauth
    "account_signup": ENTRANCE,
    "account_login": ENTRANCE,
    "account_logout": {"visitor": REDIRECT} | dict.fromkeys(ROLES[1:], OK),
    "account_inactive": PUBLIC,
    "account_reauthenticate": signed_in(OK),
    "account_request_reauthentication_code": signed_in(OK),
    "account_confirm_reauthentication_code": signed_in(REDIRECT),
    "account_email": signed_in(OK),
    "account_email_verification_sent": PUBLIC,
    "account_change_password": signed_in(OK),
    "account_set_password": signed_in(REDIRECT),
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": everyone(REDIRECT),
    "account_confirm_email": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "mfa_index": signed_in(OK),
    "mfa_authenticate": everyone(REDIRECT),
    "mfa_reauthenticate": only(WITH_2FA, OK, others=REAUTH),
    "mfa_activate_totp": signed_in(REAUTH),
    "mfa_deactivate_totp": only(WITH_2FA, REAUTH),
    # Nobody here has recovery codes yet.
    "mfa_view_recovery_codes": signed_in(NOT_FOUND),
    "mfa_generate_recovery_codes": signed_in(REAUTH),
    "mfa_download_recovery_codes": signed_in(NOT_FOUND),
    "mfa_list_webauthn": signed_in(OK),
    "mfa_add_webauthn": signed_in(REAUTH),
    "mfa_reauthenticate_webauthn": signed_in(REAUTH),
    "mfa_remove_webauthn": signed_in(REAUTH),
    "mfa_edit_webauthn": signed_in(REAUTH),
    "mfa_login_webauthn": {"visitor": LOGIN} | dict.fromkeys(ROLES[1:], REDIRECT),
    "usersessions_list": signed_in(OK),
    # members
    "members:home": signed_in(REDIRECT),
    "members:member_home": only(MEMBERS),
    "members:status": only(PEOPLE, OK_OR_REDIRECT),
    "members:profile": only(PEOPLE),
    "members:withdraw": only(PEOPLE),
    "members:pause": only(PEOPLE),
    "members:resume": only(PEOPLE, NOT_ALLOWED),
    "members:leave": only(PEOPLE),
    # Where leaving and erasure end, signed out: the same page for everyone.
    "members:farewell": PUBLIC,
    "members:export": signed_in(REAUTH),
    "members:erase": only(PEOPLE, REAUTH),
    "members:security": signed_in(OK),
    # POST only; a notice of someone else's gets a 404 (tests/members/test_sessions.py).
    "members:sign_out_everywhere": signed_in(NOT_ALLOWED),
    "members:read_notice": signed_in(NOT_ALLOWED),
    # Everyone signed in has notices; one notice only for its own person
    # (someone else's is a 404, tests/members/test_inbox.py).
    "members:notices": signed_in(OK),
    "members:notice": only(["member"]),
    # POST only: they act on one's own notices.
    "members:read_all_notices": signed_in(NOT_ALLOWED),
    "members:clear_notices": signed_in(NOT_ALLOWED),
    "members:emails": only(PEOPLE),
    "members:intake_queue": COORDINATOR,
    # growth: coordinators see their own region's figures, administrators all.
    "growth:dashboard": only([*COORDINATORS, "admin"]),
    "growth:report": only([*COORDINATORS, "admin"]),
    "growth:report_csv": only([*COORDINATORS, "admin"]),
    "members:application": OWN_REGION,
    # POST only; a POST from another region gets a 404 (tested below).
    "members:add_note": only(COORDINATORS, NOT_ALLOWED),
    "members:decide": only(COORDINATORS, NOT_ALLOWED),
    # Declining and putting on hold ask first, on a page of their own.
    "members:decline": OWN_REGION,
    "members:hold": OWN_REGION,
    "members:send_message": only(COORDINATORS, NOT_ALLOWED),
    "members:audit_log": COORDINATOR,
    "failed_deliveries": COORDINATOR,
    # POST only; a POST for an email of another region gets a 404 (tests/echo).
    "retry_delivery": only(COORDINATORS, NOT_ALLOWED),
    "groups:facilitator_home": tool(only(FACILITATORS)),
    # groups: `code` is the group of `member` and `facilitator`
    "groups:groups": only([*MEMBERS, *COORDINATORS]),
    "groups:create_group": COORDINATOR,
    # One list for every region: any coordinator keeps it.
    "groups:revealing_words": COORDINATOR,
    "groups:remove_revealing_word": only(COORDINATORS, NOT_ALLOWED),
    "groups:group": only([*IN_GROUP, "coordinator"]),
    "groups:edit_group": tool(only([*LEADS_GROUP, "coordinator"])),
    "groups:archive_group": OWN_REGION,
    # Those already in the group are sent to it.
    "groups:join_group": only(["other_member", "other_facilitator"])
    | dict.fromkeys(IN_GROUP, REDIRECT),
    "groups:leave_group": only(IN_GROUP),
    "groups:roster": tool(only([*LEADS_GROUP, "coordinator"])),
    "groups:write_to_group": tool(only(LEADS_GROUP)),
    # POST only; a POST for a group one does not lead gets a 404 (tested below).
    "groups:place_member": only(COORDINATORS, NOT_ALLOWED),
    "groups:set_group_role": only(COORDINATORS, NOT_ALLOWED),
    # `member_code` is `member`: the page asks first, with words for them.
    "groups:remove_from_group": tool(only([*LEADS_GROUP, "coordinator"])),
    # Telling one's facilitators or coordinator privately; `code` is a
    # request of `member` to the facilitators of the group: they alone read it.
    "groups:ask_for_support": only(MEMBERS),
    "groups:support_request": tool(only(LEADS_GROUP)),
    "groups:decide_join_request": tool(only([*FACILITATORS, *COORDINATORS], NOT_ALLOWED)),
    "groups:withdraw_join_request": only(MEMBERS, NOT_ALLOWED),
    # meetings: `code` is a future meeting (or series) of that group
    "events:my_meetings": only(MEMBERS),
    "events:history": only(MEMBERS),
    "events:plan_meeting": tool(only(LEADS_GROUP)),
    "events:meeting": only(IN_GROUP),
    "events:rsvp": only(MEMBERS, NOT_ALLOWED),
    "events:edit_meeting": tool(only(LEADS_GROUP)),
    "events:cancel_meeting": tool(only(LEADS_GROUP)),
    # Before the meeting has started the facilitator is sent back to it.
    "events:record_attendance": tool(only(LEADS_GROUP, OK_OR_REDIRECT)),
    "events:edit_series": tool(only(LEADS_GROUP)),
    "events:write_to_going": tool(only(LEADS_GROUP)),
    "events:calendar": only(MEMBERS),
    # A feed with an unknown token does not exist.
    "events:feed": everyone(NOT_FOUND),
    # boards: `code` is the group's board, a thread on it and its opening post,
    # written by `member`; the community board and the staff room are below.
    "boards:index": only(READERS),
    "boards:search": only(READERS),
    "boards:preferences": only(READERS),
    "boards:board": only([*IN_GROUP, "coordinator"]),
    "boards:new_thread": only([*IN_GROUP, "coordinator"]),
    # POST only: a reader of no board may not even learn that.
    "boards:mark_board_read": only(READERS, NOT_ALLOWED),
    "boards:thread": only([*IN_GROUP, "coordinator"]),
    "boards:reply": only([*IN_GROUP, "coordinator"]),
    "boards:follow": only(READERS, NOT_ALLOWED),
    # Only its author changes or deletes a post; moderators have their own tools.
    "boards:edit_post": only(["member"]),
    "boards:delete_post": only(["member"]),
    # Its author is sent back to the thread: one does not report oneself.
    # Suspended members still report: it is a safety function, not a post.
    "boards:report_post": only(
        ["facilitator", "facilitator_no_2fa", "suspended_member", "coordinator"]
    )
    | {"member": REDIRECT},
    "boards:queue": tool(only(MODERATORS)),
    "boards:log": tool(only(MODERATORS)),
    "boards:review": tool(only([*LEADS_GROUP, "coordinator"])),
    "boards:decide": tool(only(MODERATORS, NOT_ALLOWED)),
    "boards:moderator_edit": tool(only([*LEADS_GROUP, "coordinator"])),
    "boards:moderate_thread": tool(only(MODERATORS, NOT_ALLOWED)),
    "boards:move_thread": tool(only([*LEADS_GROUP, "coordinator"])),
    "boards:board_settings": tool(only([*LEADS_GROUP, "coordinator"])),
    "boards:mute_member": tool(only([*LEADS_GROUP, "coordinator"])),
    # `code` is the member: a coordinator of their region suspends them.
    "boards:suspend_member": OWN_REGION,
    "boards:watched_words": COORDINATOR,
    "boards:remove_watched_word": only(COORDINATORS, NOT_ALLOWED),
}

# Which object a URL's `code` names; the intake application otherwise.
CODE_OF = {
    **dict.fromkeys(
        [
            "groups:group",
            "groups:edit_group",
            "groups:archive_group",
            "groups:join_group",
            "groups:leave_group",
            "groups:roster",
            "groups:write_to_group",
            "groups:place_member",
            "groups:set_group_role",
            "groups:remove_from_group",
        ],
        "group",
    ),
    "groups:decide_join_request": "join_request",
    "groups:support_request": "support_request",
    "groups:withdraw_join_request": "join_request",
    **dict.fromkeys(
        [
            "events:meeting",
            "events:rsvp",
            "events:edit_meeting",
            "events:cancel_meeting",
            "events:record_attendance",
            "events:write_to_going",
        ],
        "meeting",
    ),
    "events:edit_series": "series",
    **dict.fromkeys(
        [
            "boards:board",
            "boards:new_thread",
            "boards:mark_board_read",
            "boards:board_settings",
            "boards:mute_member",
        ],
        "board",
    ),
    **dict.fromkeys(
        [
            "boards:thread",
            "boards:reply",
            "boards:follow",
            "boards:moderate_thread",
            "boards:move_thread",
        ],
        "thread",
    ),
    **dict.fromkeys(
        [
            "boards:edit_post",
            "boards:delete_post",
            "boards:report_post",
            "boards:review",
            "boards:decide",
            "boards:moderator_edit",
        ],
        "post",
    ),
    "boards:suspend_member": "member",
    "members:read_notice": "notice",
    "members:notice": "notice",
    "boards:remove_watched_word": "watched_word",
    "groups:remove_revealing_word": "revealing_word",
}
# Django's admin, followed to the end of its redirects: administrators with a
# second factor only; visitors end at the login page, everyone else at a 404.
ADMIN = {"visitor": LOGIN, "admin": "admin"} | dict.fromkeys(ROLES[1:-1], NOT_FOUND)


def url_patterns(patterns=None, namespace=None, params=()):
    """(name, parameter names) of every URL pattern, walking includes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = (*params, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from url_patterns(pattern.url_patterns, full, here)
        elif isinstance(pattern, URLPattern):
            # Only the admin has an unnamed pattern: its catch-all.
            name = pattern.name or "catch_all"
            yield f"{namespace}:{name}" if namespace else name, here


def all_url_names():
    return sorted({name for name, _ in url_patterns()})


@pytest.fixture
def url_for(role_users, coordinator, group):
    application = ApplicantFactory(region=coordinator.coordinator_region)
    thread = ThreadFactory(board=group.board, author=role_users["member"])
    post = PostFactory(thread=thread)
    admin = role_users["admin"]
    codes = {
        "application": application.code,
        "group": group.code,
        "meeting": MeetingFactory(group=group).code,
        "series": SeriesFactory(group=group).code,
        "join_request": JoinRequestFactory(group=group).code,
        "board": group.board.code,
        "thread": post.thread.code,
        "post": post.code,
        "member": role_users["member"].member.code,
        "watched_word": WatchedWord.objects.create(word="x", action="hold").code,
        "revealing_word": RevealingWord.objects.create(word="xyzzy").code,
        "notice": Notice.objects.create(user=role_users["member"], kind="new_sign_in").code,
        "support_request": SupportRequest.objects.create(
            member=role_users["member"].member, group=group, region=group.region, note="x"
        ).code,
    }

    def build(name, params):
        kwargs = {}
        for key in params:
            kwargs[key] = {
                "code": codes[CODE_OF.get(name, "application")],
                "group_code": group.code,
                "member_code": role_users["member"].member.code,
                "key": "Mg:1t3st:bad-key",
                "uidb36": "2",
                "pk": 999999,
                "object_id": str(admin.pk),
                "app_label": "members",
                "content_type_id": "1",
                "id": str(admin.pk),
            }.get(key, "x")
        if name == "admin:catch_all":
            return reverse("admin:index") + "no-such-page/"
        if name.startswith("admin:"):
            kwargs = _admin_kwargs(name, kwargs, admin, application)
        return reverse(name, kwargs=kwargs)

    return build


def _admin_kwargs(name, kwargs, admin, application):
    # Point object URLs at an object that exists for the model in the name.
    if "object_id" in kwargs:
        model = name.split(":")[1].rsplit("_", 1)[0]
        kwargs["object_id"] = str(application.pk if model == "members_member" else admin.pk)
    return kwargs


def check(response, expected):
    if expected == "admin":
        return response.status_code < 500 and "/accounts/login/" not in response.url
    if expected == OK_OR_REDIRECT:
        return response.status_code in (200, 302)
    if expected == LOGIN:
        return response.status_code in (200, 302) and "/accounts/login/" in response.url
    if expected == SECOND_FACTOR:
        return response.status_code == 302 and reverse("second_factor_required") in response.url
    if expected == REAUTH:
        return response.status_code == 302 and "/accounts/reauthenticate/" in response.url
    if expected == REDIRECT:
        return response.status_code == 302
    return response.status_code == expected


@pytest.mark.django_db
def test_every_url_has_the_expected_answer_for_every_role(client, role_users, url_for):
    patterns = dict(url_patterns())
    undeclared = [
        name
        for name in all_url_names()
        if name not in EXPECTATIONS and not name.startswith("admin:")
    ]
    assert not undeclared, f"Declare who may reach these URLs: {undeclared}"

    failures = []
    for name in all_url_names():
        url = url_for(name, patterns[name])
        expectations = ADMIN if name.startswith("admin:") else EXPECTATIONS[name]
        for role, expected in expectations.items():
            client.logout()
            if role_users[role]:
                client.force_login(role_users[role])
            if name.startswith("admin:"):
                response = client.get(url, follow=True)
                response.url = response.redirect_chain[-1][0] if response.redirect_chain else url
            else:
                response = client.get(url)
            if not check(response, expected):
                failures.append(
                    f"{name} {url} as {role}: expected {expected}, got "
                    f"{response.status_code} {getattr(response, 'url', '')}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_no_page_a_signed_in_person_sees_is_kept_in_the_browser_cache(client, role_users, url_for):
    """Whatever the answer (a page, a redirect, a 404), the browser must not
    store it: a shared computer, or the back button after the quick exit,
    would show it again (confidentiality rule 5)."""
    patterns = dict(url_patterns())
    failures = []
    for name in all_url_names():
        url = url_for(name, patterns[name])
        for role, user in role_users.items():
            if user is None:
                continue
            client.force_login(user)
            response = client.get(url)
            directives = {
                part.strip() for part in response.get("Cache-Control", "").lower().split(",")
            }
            if not {"no-store", "private"} <= directives:
                failures.append(
                    f"{name} {url} as {role}: {response.status_code} "
                    f"Cache-Control: {response.get('Cache-Control')!r}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["add_note", "send_message", "decide"])
def test_coordinator_of_another_region_cannot_act_on_an_application(
    client, other_coordinator, action
):
    application = ApplicantFactory(region=Region.ANTWERPEN)
    client.force_login(other_coordinator)

    response = client.post(
        reverse(f"members:{action}", args=[application.code]),
        {"text": "x", "action": "approve", "grant": "1"},
    )

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "applied"
    assert not application.intake_notes.exists()
    assert not application.messages.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "facilitator", "admin"])
def test_staff_tools_ask_for_a_second_factor_first(client, role, coordinator):
    from allauth.mfa.models import Authenticator

    from .factories import UserFactory

    user = {
        "coordinator": lambda: UserFactory(coordinator_region=Region.ANTWERPEN),
        "facilitator": lambda: facilitator_of(GroupFactory(), user__second_factor=False).user,
        "admin": lambda: UserFactory(is_staff=True, is_superuser=True),
    }[role]()
    assert not Authenticator.objects.filter(user=user).exists()
    client.force_login(user)
    tool = {
        "coordinator": reverse("members:intake_queue"),
        "facilitator": reverse("groups:facilitator_home"),
        "admin": reverse("admin:index"),
    }[role]

    response = client.get(tool, follow=True)

    assert response.redirect_chain[-1][0] == reverse("second_factor_required")
    assert reverse("mfa_index").encode() in response.content


def answer(client, name, url):
    """(status, where it leads) of a GET, the admin's followed to the end."""
    if name.startswith("admin:"):
        response = client.get(url, follow=True)
        return response.status_code, [url for url, _status in response.redirect_chain]
    response = client.get(url)
    return response.status_code, getattr(response, "url", None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["facilitator", "coordinator", "admin"])
def test_a_session_that_did_not_prove_the_second_factor_is_one_of_an_account_without_it(
    client, role_users, url_for, role
):
    """Signed in with the password alone (before the account had a second
    factor, say), a facilitator, coordinator or administrator gets on every
    page what an account without a second factor gets: no tool, no staff
    room, no confidential page. Only allauth's own pages about the account's
    second factors differ."""
    from members.roles import has_second_factor

    from .conftest import sign_in_with_password_only
    from .factories import CoordinatorFactory, UserFactory

    user = role_users[role]
    assert has_second_factor(user)
    without = {
        "facilitator": role_users["facilitator_no_2fa"],
        "coordinator": CoordinatorFactory(second_factor=False),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }[role]
    patterns = dict(url_patterns())
    differences = []
    for name in all_url_names():
        if name.startswith("mfa_"):
            continue
        url = url_for(name, patterns[name])
        client.logout()
        sign_in_with_password_only(client, user)
        password_only = answer(client, name, url)
        client.logout()
        client.force_login(without)
        if password_only != (expected := answer(client, name, url)):
            differences.append(f"{name} {url}: {password_only} instead of {expected}")
    assert not differences, "\n".join(differences)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "readers"),
    [
        ("community", READERS),
        ("staff", [*FACILITATORS, *COORDINATORS]),
    ],
)
def test_the_community_board_and_the_staff_room_are_for_their_people_only(
    client, role_users, kind, readers
):
    from boards import services

    board = services.community_board() if kind == "community" else services.staff_room()
    thread = ThreadFactory(board=board, author=role_users["coordinator"])
    PostFactory(thread=thread)
    urls = [
        reverse("boards:board", args=[board.code]),
        reverse("boards:thread", args=[thread.code]),
        reverse("boards:new_thread", args=[board.code]),
    ]
    for role, user in role_users.items():
        client.logout()
        if user:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            expected = 200 if role in readers else 302 if role == "visitor" else 404
            assert response.status_code == expected, (role, url)
        if user and role in READERS:
            # A board one may not read is not even listed.
            listed = board.code in client.get(reverse("boards:index")).content.decode()
            assert listed == (role in readers), role


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["other_member", "other_facilitator", "other_coordinator"])
def test_outsiders_cannot_act_on_a_groups_board(client, role_users, group, outsider):
    """POSTs from another group or region get a 404 and change nothing."""
    from boards.models import Post, Thread

    thread = ThreadFactory(board=group.board, author=role_users["member"])
    post = PostFactory(thread=thread, body="Binnen de groep")
    client.force_login(role_users[outsider])

    answers = [
        client.post(reverse("boards:reply", args=[thread.code]), {"body": "Hallo"}),
        client.post(reverse("boards:report_post", args=[post.code]), {"reason": "spam"}),
        client.post(reverse("boards:decide", args=[post.code]), {"action": "hide"}),
        client.post(reverse("boards:moderate_thread", args=[thread.code]), {"action": "lock"}),
        client.post(
            reverse("boards:new_thread", args=[group.board.code]), {"title": "x", "body": "y"}
        ),  # fmt: skip
        client.get(reverse("boards:search"), {"q": "Binnen"}),
    ]

    assert [a.status_code for a in answers] == [404] * 5 + [200]
    assert b"Binnen de groep" not in answers[-1].content
    assert Post.objects.get().state == "published"
    assert not post.reports.exists()
    assert not Thread.objects.get().locked
    assert Thread.objects.count() == 1
