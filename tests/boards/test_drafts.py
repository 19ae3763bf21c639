"""Nothing written on a board is lost: a reply sent after the session ended is
kept and offered again after signing in (echo.kept_text), and drafts keep a
long message across a closed tab (boards.drafts), for their author alone."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.admin.sites import site as default_admin_site
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from boards.models import Draft, Post
from echo import kept_text
from echo.models import KeptText
from members import services as member_services
from members.admin_site import EchoAdminSite

from ..factories import PASSWORD, PostFactory, ThreadFactory, member_of

pytestmark = pytest.mark.django_db

WRITTEN = "Ik heb er lang over gedaan om dit op te schrijven."


@pytest.fixture(autouse=True)
def english(member, facilitator):
    for user in (member, facilitator):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def thread(group, facilitator):
    thread = ThreadFactory(board=group.board, author=facilitator, title="Deze week")
    PostFactory(thread=thread, author=facilitator)
    return thread


def reply_url(thread):
    return reverse("boards:reply", args=[thread.code])


def writer_field(response):
    """The hidden field of the form that says who opened it."""
    match = re.search(r'name="echo_writer" value="([^"]+)"', response.content.decode())
    assert match, "the form has no writer field"
    return match.group(1)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def sign_in(client, user):
    """Through allauth's sign-in page, as a person does."""
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def raw_rows(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        return [row[0] for row in cursor.fetchall()]


def write_then_lose_the_session(client, member, thread, body=WRITTEN):
    client.force_login(member)
    writer = writer_field(client.get(reply_url(thread)))
    Session.objects.all().delete()  # the session is over, on the server
    return client.post(
        reply_url(thread),
        {"body": body, "content_warning": "", "echo_writer": writer},
        headers={"Accept-Language": "en"},  # signed out: no language of the account
    )


# Sent after the session ended


def test_a_reply_sent_after_the_session_ended_is_kept_and_sent_after_signing_in(
    client, member, thread
):
    response = write_then_lose_the_session(client, member, thread)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "not sent" in " ".join(messages_of(response))
    assert not Post.objects.filter(body=WRITTEN).exists()
    # Kept encrypted: the text is nowhere in the table as written.
    assert KeptText.objects.count() == 1
    assert not any(WRITTEN in value for value in raw_rows("echo_kepttext", "data"))
    assert WRITTEN not in response.cookies[kept_text.COOKIE].value

    signed_in = sign_in(client, member)
    assert signed_in.url == reply_url(thread)
    form_page = client.get(reply_url(thread))
    assert form_page.context["form"].initial["body"] == WRITTEN
    assert WRITTEN in form_page.content.decode()
    assert "filled in again" in " ".join(messages_of(form_page))

    sent = client.post(reply_url(thread), {"body": WRITTEN, "content_warning": ""})

    assert sent.status_code == 302
    assert Post.objects.filter(thread=thread, author=member, body=WRITTEN).exists()
    assert not KeptText.objects.exists()


def test_a_reply_sent_after_the_idle_limit_is_kept(client, member, thread):
    client.force_login(member)
    writer = writer_field(client.get(reply_url(thread)))

    later = timezone.now() + settings.SESSION_IDLE_LIMIT + timedelta(minutes=2)
    with time_machine.travel(later):
        response = client.post(reply_url(thread), {"body": WRITTEN, "echo_writer": writer})
        assert response.url.startswith(reverse("account_login"))
        assert "_auth_user_id" not in client.session
        assert sign_in(client, member).url == reply_url(thread)
        assert client.get(reply_url(thread)).context["form"].initial["body"] == WRITTEN


def test_the_kept_text_of_one_account_is_discarded_when_another_signs_in(client, member, thread):
    write_then_lose_the_session(client, member, thread)
    someone_else = member_of(thread.board.group, user__language="en").user

    response = sign_in(client, someone_else)

    assert response.url != reply_url(thread)
    assert not KeptText.objects.exists()
    page = client.get(reply_url(thread))
    assert WRITTEN not in page.content.decode()


def test_kept_text_is_for_this_browser_only(client, member, thread):
    write_then_lose_the_session(client, member, thread)

    elsewhere = Client()
    sign_in(elsewhere, member)

    assert WRITTEN not in elsewhere.get(reply_url(thread)).content.decode()
    assert KeptText.objects.count() == 1


def test_kept_text_is_gone_after_an_hour(client, member, thread):
    write_then_lose_the_session(client, member, thread)

    with time_machine.travel(timezone.now() + kept_text.KEPT_FOR + timedelta(minutes=1)):
        sign_in(client, member)
        assert WRITTEN not in client.get(reply_url(thread)).content.decode()
        assert kept_text.purge() == 1
    assert not KeptText.objects.exists()


def test_a_form_without_its_writer_keeps_nothing(client, member, thread):
    client.force_login(member)
    Session.objects.all().delete()

    response = client.post(reply_url(thread), {"body": WRITTEN})

    assert response.url.startswith(reverse("account_login"))
    assert not KeptText.objects.exists()


def test_a_forged_writer_keeps_nothing(client, member, thread):
    response = client.post(reply_url(thread), {"body": WRITTEN, "echo_writer": "0" * 64})

    assert response.url.startswith(reverse("account_login"))
    assert not KeptText.objects.exists()


def test_a_form_refused_for_its_changed_csrf_token_keeps_the_text(member, thread):
    """Signing in again in another tab changes the CSRF token: the form of
    the first tab is refused, but its text comes back on the form."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    page = client.get(reply_url(thread)).content.decode()
    writer = re.search(r'name="echo_writer" value="([^"]+)"', page).group(1)
    old_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    # Signed in again in another tab: the browser holds a new CSRF secret.
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    data = {"body": WRITTEN, "echo_writer": writer, "csrfmiddlewaretoken": old_token}

    # A post from another site is refused as always, and nothing is kept.
    refused = client.post(reply_url(thread), data, headers={"Origin": "https://elsewhere.example"})
    assert refused.status_code == 403
    assert not KeptText.objects.exists()

    response = client.post(reply_url(thread), data, headers={"Origin": "http://testserver"})

    assert response.status_code == 302 and response.url == reply_url(thread)
    form_page = client.get(reply_url(thread))
    assert form_page.context["form"].initial["body"] == WRITTEN
    assert not Post.objects.filter(body=WRITTEN).exists()


def test_kept_text_goes_with_the_account_and_is_in_its_export(client, member, thread):
    write_then_lose_the_session(client, member, thread)

    export = member_services.export_personal_data(member)
    assert export["kept_after_session_ended"][0]["text"]["body"] == WRITTEN

    member_services.erase_account(member)
    assert not KeptText.objects.exists()


# Drafts


def test_a_saved_draft_is_restored_encrypted_and_deleted_once_sent(client, member, thread):
    client.force_login(member)
    response = client.post(
        reply_url(thread), {"body": WRITTEN, "content_warning": "zwaar", "save_draft": "1"}
    )

    assert response.status_code == 302
    assert not Post.objects.filter(body=WRITTEN).exists()
    draft = Draft.objects.get(author=member, thread=thread)
    assert (draft.body, draft.content_warning) == (WRITTEN, "zwaar")
    assert not any(WRITTEN in value for value in raw_rows("boards_draft", "body"))

    # The tab was closed; the person opens the form again, even in a new session.
    client.logout()
    client.force_login(member)
    page = client.get(reply_url(thread))
    assert page.context["form"].initial["body"] == WRITTEN
    assert "draft" in " ".join(messages_of(page))
    # The reply form under the conversation has it too.
    thread_page = client.get(reverse("boards:thread", args=[thread.code]))
    assert WRITTEN in thread_page.content.decode()

    client.post(reply_url(thread), {"body": WRITTEN, "content_warning": "zwaar"})

    assert Post.objects.filter(thread=thread, author=member, body=WRITTEN).exists()
    assert not Draft.objects.exists()


def test_the_script_saves_a_draft_without_leaving_the_page(client, member, thread):
    client.force_login(member)

    response = client.post(
        reply_url(thread),
        {"body": WRITTEN, "save_draft": "1"},
        headers={"X-Echo-Autosave": "1"},
    )

    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert response.json()["remaining"] > 0
    assert Draft.objects.get(author=member).body == WRITTEN


def test_a_draft_saved_after_the_session_ended_is_refused_not_lost(client, member, thread):
    client.force_login(member)
    Session.objects.all().delete()

    response = client.post(
        reply_url(thread), {"body": WRITTEN, "save_draft": "1"}, headers={"X-Echo-Autosave": "1"}
    )

    assert response.status_code == 401
    assert response.json() == {"signed_in": False}
    assert not Draft.objects.exists()


def test_nobody_else_sees_a_draft_not_even_a_moderator(client, member, facilitator, thread):
    client.force_login(member)
    client.post(reply_url(thread), {"body": WRITTEN, "save_draft": "1"})

    client.force_login(facilitator)
    assert WRITTEN not in client.get(reply_url(thread)).content.decode()
    assert WRITTEN not in client.get(reverse("boards:thread", args=[thread.code])).content.decode()
    # Not in the administration either.
    assert Draft not in EchoAdminSite()._registry
    assert Draft not in default_admin_site._registry


def test_a_draft_can_be_deleted(client, member, thread):
    client.force_login(member)
    client.post(reply_url(thread), {"body": WRITTEN, "save_draft": "1"})

    client.post(reply_url(thread), {"discard_draft": "1"})

    assert not Draft.objects.exists()
    assert WRITTEN not in client.get(reply_url(thread)).content.decode()


def test_a_new_conversation_and_a_change_keep_drafts_too(client, member, group):
    client.force_login(member)
    new = reverse("boards:new_thread", args=[group.board.code])
    client.post(new, {"title": "Een titel", "body": WRITTEN, "save_draft": "1"})
    own = PostFactory(thread=ThreadFactory(board=group.board, author=member), author=member)
    edit = reverse("boards:edit_post", args=[own.code])
    client.post(edit, {"body": "Nieuwe tekst", "save_draft": "1"})

    new_form = client.get(new).context["form"]
    assert (new_form.initial["title"], new_form.initial["body"]) == ("Een titel", WRITTEN)
    assert client.get(edit).context["form"].initial["body"] == "Nieuwe tekst"

    client.post(new, {"title": "Een titel", "body": WRITTEN})
    assert not Draft.objects.filter(board=group.board).exists()
    assert Draft.objects.filter(post=own).exists()


def test_drafts_are_exported_and_erased_with_the_account(client, member, thread):
    client.force_login(member)
    client.post(reply_url(thread), {"body": WRITTEN, "save_draft": "1"})

    assert member_services.export_personal_data(member)["board_drafts"][0]["text"] == WRITTEN

    member_services.erase_account(member)
    assert not Draft.objects.exists()
