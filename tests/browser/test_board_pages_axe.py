"""Every page of the boards passes axe-core, for readers, facilitators and
coordinators, in Dutch and in French, with content in every state."""

import pytest
from django.urls import reverse

from boards import services
from boards.models import Report

from ..factories import (
    CoordinatorFactory,
    GroupFactory,
    PostFactory,
    ThreadFactory,
    facilitator_of,
    member_of,
)
from .conftest import check_accessibility
from .test_accessibility import sign_in_as, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_board_page_passes_axe(browser, live_server, language):
    context = browser.new_context(base_url=live_server.url, locale=language)
    page = context.new_page()
    group = GroupFactory()
    GroupFactory()
    facilitator = facilitator_of(group, user__language=language).user
    member = member_of(group, user__language=language).user
    other = member_of(group, user__language=language).user
    coordinator = CoordinatorFactory(language=language)
    board = group.board
    thread = ThreadFactory(board=board, author=other, title="Een rustige avond")
    opening = PostFactory(thread=thread, body="# Kop\n\nTekst met een [link](https://example.org).")
    PostFactory(thread=thread, author=member, body="Zwaar verhaal", content_warning="verlies")
    PostFactory(thread=thread, author=other, body="> geciteerd\n\nAntwoord", quote=opening)
    waiting = services.reply(member, thread, body="Bel me op 0470 12 34 56")
    rejected = services.reply(member, thread, body="Iets anders")
    services.reject_post(facilitator, rejected, "Liever niet hier.")
    services.edit_post(other, opening, body="# Kop\n\nAangepaste tekst.")
    Report.objects.create(post=opening, reporter=member, reason="hurtful", note="Dit deed pijn")
    services.flag_safety_concern(opening)
    services.pin_thread(facilitator, thread)
    services.community_board()
    services.staff_room()

    sign_in_as(context, member, live_server)
    for url in [
        reverse("boards:index"),
        reverse("boards:board", args=[board.code]),
        reverse("boards:thread", args=[thread.code]),
        reverse("boards:new_thread", args=[board.code]),
        reverse("boards:reply", args=[thread.code]) + f"?quote={opening.code}",
        reverse("boards:edit_post", args=[waiting.code]),
        reverse("boards:delete_post", args=[waiting.code]),
        reverse("boards:report_post", args=[opening.code]),
        reverse("boards:search") + "?q=tekst",
        reverse("boards:preferences"),
    ]:
        visit(page, url)
    # A form showing its errors: nothing filled in.
    visit(page, reverse("boards:new_thread", args=[board.code]))
    # The first button sends; the next one saves a draft.
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert page.locator(".errorlist").count() >= 1
    check_accessibility(page)

    sign_in_as(context, facilitator, live_server)
    for url in [
        reverse("boards:thread", args=[thread.code]),
        reverse("boards:queue"),
        reverse("boards:review", args=[opening.code]),
        reverse("boards:review", args=[waiting.code]),
        reverse("boards:moderator_edit", args=[opening.code]),
        reverse("boards:move_thread", args=[thread.code]),
        reverse("boards:board_settings", args=[board.code]),
        reverse("boards:mute_member", args=[board.code]),
        reverse("boards:log"),
    ]:
        visit(page, url)

    sign_in_as(context, coordinator, live_server)
    services.add_watched_word(coordinator, word="adres", action="hold")
    for url in [
        reverse("boards:index"),
        reverse("boards:queue"),
        reverse("boards:watched_words"),
        reverse("boards:suspend_member", args=[member.member.code]),
        reverse("boards:log"),
    ]:
        visit(page, url)
    context.close()
