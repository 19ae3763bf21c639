"""The moderators' pages: the review queue, decisions on posts and threads,
mutes, suspensions, watched words and the moderation log."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from boards import moderation_views, services
from boards.models import ModerationAction, Mute, Post, WatchedWord
from members.models import Suspension

from ..factories import PostFactory, ThreadFactory, facilitator_of, member_of

pytestmark = pytest.mark.django_db

Log = ModerationAction.Action


def url(name, *args):
    return reverse(f"boards:{name}", args=args)


def page(response):
    return response.content.decode()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def english(
    member,
    facilitator,
    other_member,
    other_facilitator,
    coordinator,
    other_coordinator,
):
    """Pages and messages in English, so tests can read them."""
    for user in (member, facilitator, other_member, other_facilitator, coordinator):
        user.language = "en"
        user.save(update_fields=["language"])
    other_coordinator.language = "en"
    other_coordinator.save(update_fields=["language"])


@pytest.fixture
def thread(group, member):
    return ThreadFactory(board=group.board, author=member, title="Een lange week")


@pytest.fixture
def post(thread, member):
    return PostFactory(thread=thread, author=member, body="Het was *zwaar* deze week.")


def held(thread, author, *, minutes_ago=60, reasons=(Post.Hold.FIRST_POSTS,), **fields):
    """A post waiting for approval since `minutes_ago`."""
    return PostFactory(
        thread=thread,
        author=author,
        state=Post.State.PENDING,
        published_at=None,
        hold_reasons=list(reasons),
        review_since=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def reporters(group, count):
    return [member_of(group).user for _ in range(count)]


# The queue


def test_the_queue_shows_a_newer_safety_concern_before_older_posts(
    client, facilitator, group, thread, member
):
    old = held(thread, member, minutes_ago=120, body="Mijn eerste bericht")
    concern = PostFactory(thread=thread, author=member, body="Ik zie het niet meer zitten")
    reporter = member_of(group).user
    services.report_post(reporter, concern, reason="safety", note="Ik maak me zorgen")
    client.force_login(facilitator)

    response = client.get(url("queue"))

    assert response.status_code == 200
    assert list(response.context["posts"]) == [concern, old]
    content = page(response)
    assert content.index("Safety concern") < content.index("the first posts of a new member")
    assert "1 report" in content
    assert "I am worried about someone&#x27;s safety" in content
    assert "Een lange week" in content and group.name in content
    assert member.member.pseudonym in content
    assert url("review", concern.code) in content
    assert "<title>Review — Echo</title>" in content
    assert "Ik maak me zorgen" not in content  # the note is for the review page


def test_the_queue_says_when_nothing_waits(client, facilitator):
    client.force_login(facilitator)

    response = client.get(url("queue"))

    assert "Nothing is waiting for you" in page(response)


def test_the_queue_shows_its_limit_and_says_there_are_more(
    client, facilitator, thread, member, monkeypatch
):
    monkeypatch.setattr(moderation_views, "QUEUE_SHOWN", 2)
    for minutes in (30, 20, 10):
        held(thread, member, minutes_ago=minutes)
    client.force_login(facilitator)

    response = client.get(url("queue"))

    assert len(response.context["posts"]) == 2
    assert "More posts are waiting: the 2 first are shown" in page(response)


def test_the_queue_names_a_coordinator_and_a_former_member(client, coordinator, thread):
    held(thread, coordinator, minutes_ago=20)
    held(thread, None, minutes_ago=10)
    client.force_login(coordinator)

    content = page(client.get(url("queue")))

    assert "Coordinator (Antwerp)" in content
    assert "former member" in content


def test_the_queue_shows_only_the_boards_one_moderates(
    client, other_facilitator, other_coordinator, thread, member
):
    held(thread, member)
    for person in (other_facilitator, other_coordinator):
        client.force_login(person)
        assert list(client.get(url("queue")).context["posts"]) == []


# Reviewing one post


def test_the_review_page_shows_the_post_reports_and_history_without_naming_reporters(
    client, facilitator, group, post
):
    services.edit_post(post.author, post, body="Het was zwaar.", content_warning="verdriet")
    alice, bob = reporters(group, 2)
    services.report_post(alice, post, reason="hurtful", note="Dit kwetst")
    services.report_post(bob, post, reason="no_warning")
    client.force_login(facilitator)

    response = client.get(url("review", post.code))

    assert response.status_code == 200
    content = page(response)
    assert "<title>Review — Echo</title>" in content
    assert post.body_html in content
    assert "verdriet" in content
    assert "Het was *zwaar* deze week." in content  # the text before the edit
    assert "it is hurtful" in content and "Dit kwetst" in content
    assert content.count("a member") >= 2
    assert alice.member.pseudonym not in content
    assert bob.member.pseudonym not in content
    assert set(response.context["forms"]) == {"approve", "reject", "hide"}
    assert "Keep it up" in content
    assert url("moderator_edit", post.code) in content
    assert url("moderate_thread", post.thread.code) in content
    assert url("move_thread", post.thread.code) in content
    assert f"{url('mute_member', group.board.code)}?member={post.author.member.code}" in content
    assert url("suspend_member", post.author.member.code) not in content  # coordinators only


def test_a_coordinator_of_the_region_may_suspend_the_author_and_learns_who_reported(
    client, coordinator, group, post
):
    reporter = member_of(group).user
    services.report_post(reporter, post, reason="spam")
    client.force_login(coordinator)

    content = page(client.get(url("review", post.code)))

    assert url("suspend_member", post.author.member.code) in content
    assert reporter.member.pseudonym in content


def test_a_moderator_of_the_board_is_not_offered_for_muting(client, coordinator, group, thread):
    own = PostFactory(thread=thread, author=facilitator_of(group).user)
    client.force_login(coordinator)

    response = client.get(url("review", own.code))

    assert response.status_code == 200
    assert url("mute_member", group.board.code) not in page(response)
    queryset = client.get(url("mute_member", group.board.code)).context["form"].fields["member"]
    assert own.author.member not in queryset.queryset


def test_a_waiting_post_can_be_approved_rejected_or_hidden_and_a_hidden_one_restored(
    client, facilitator, thread, member
):
    waiting = held(thread, member)
    hidden = PostFactory(thread=thread, author=member, state=Post.State.HIDDEN)
    client.force_login(facilitator)

    waiting_forms = client.get(url("review", waiting.code)).context["forms"]
    hidden_forms = client.get(url("review", hidden.code)).context["forms"]

    assert set(waiting_forms) == {"approve", "reject", "hide"}
    assert set(hidden_forms) == {"approve", "reject", "restore"}
    assert "Approve and publish" in page(client.get(url("review", waiting.code)))


# Deciding


def test_approving_publishes_the_post_and_writes_the_log(client, facilitator, thread, member):
    waiting = held(thread, member)
    client.force_login(facilitator)

    response = client.post(url("decide", waiting.code), {"action": "approve", "reason": ""})

    assert response.status_code == 302
    assert response.url == url("queue")
    assert messages_of(response) == ["The post is approved."]
    waiting.refresh_from_db()
    assert waiting.state == Post.State.PUBLISHED
    assert waiting.review_since is None
    entry = ModerationAction.objects.get(post=waiting)
    assert (entry.action, entry.actor) == (Log.APPROVED, facilitator)


def test_rejecting_needs_a_reason_and_keeps_what_was_typed(client, facilitator, thread, member):
    waiting = held(thread, member)
    client.force_login(facilitator)

    response = client.post(url("decide", waiting.code), {"action": "reject", "reason": "   "})

    assert response.status_code == 200
    content = page(response)
    assert "Tell the author why: they will read it." in content
    assert "Please check what you entered" in content  # the error summary
    form = response.context["forms"]["reject"]
    assert form.errors and form.data["reason"] == "   "
    waiting.refresh_from_db()
    assert waiting.state == Post.State.PENDING
    assert not ModerationAction.objects.exists()


def test_rejecting_with_a_reason_tells_the_author_and_writes_the_log(
    client, facilitator, thread, member
):
    waiting = held(thread, member)
    client.force_login(facilitator)

    response = client.post(
        url("decide", waiting.code), {"action": "reject", "reason": "Geen namen, alsjeblieft."}
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == Post.State.REJECTED
    assert waiting.reject_reason == "Geen namen, alsjeblieft."
    entry = ModerationAction.objects.get(post=waiting)
    assert (entry.action, entry.reason) == (Log.REJECTED, "Geen namen, alsjeblieft.")


def test_hiding_and_restoring_a_post(client, facilitator, post):
    client.force_login(facilitator)

    client.post(url("decide", post.code), {"action": "hide", "reason": "Even weg"})
    post.refresh_from_db()
    assert post.state == Post.State.HIDDEN

    client.post(url("decide", post.code), {"action": "restore", "reason": ""})
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED
    assert list(
        ModerationAction.objects.filter(post=post).order_by("pk").values_list("action", "reason")
    ) == [(Log.HIDDEN, "Even weg"), (Log.RESTORED, "")]


def test_a_decision_that_no_longer_fits_the_post_is_refused(client, facilitator, post):
    client.force_login(facilitator)

    response = client.post(url("decide", post.code), {"action": "restore", "reason": ""})

    assert response.url == url("review", post.code)
    assert messages_of(response) == ["This cannot be done with the post as it is now."]
    assert not ModerationAction.objects.exists()


def test_a_refusal_of_the_service_is_shown_on_the_review_page(
    client, facilitator, thread, member, monkeypatch
):
    waiting = held(thread, member)

    def refuse(moderator, post):
        raise services.BoardError("Its author has deleted this post.")

    monkeypatch.setattr(services, "approve_post", refuse)
    client.force_login(facilitator)

    response = client.post(url("decide", waiting.code), {"action": "approve"})

    assert response.url == url("review", waiting.code)
    assert messages_of(response) == ["Its author has deleted this post."]


def test_decide_takes_only_a_post(client, facilitator, post):
    client.force_login(facilitator)

    assert client.get(url("decide", post.code)).status_code == 405


# Editing


def test_a_moderator_edits_a_post_with_a_reason(client, facilitator, post):
    client.force_login(facilitator)
    assert "Het was *zwaar* deze week." in page(client.get(url("moderator_edit", post.code)))

    response = client.post(
        url("moderator_edit", post.code),
        {"body": "Het was zwaar.", "content_warning": "rouw", "reason": "Een naam weggehaald"},
    )

    assert response.url == url("review", post.code)
    post.refresh_from_db()
    assert (post.body, post.content_warning) == ("Het was zwaar.", "rouw")
    revision = post.revisions.get()
    assert (revision.body, revision.edited_by, revision.reason) == (
        "Het was *zwaar* deze week.",
        facilitator,
        "Een naam weggehaald",
    )
    assert ModerationAction.objects.get(post=post).action == Log.EDITED


def test_an_edit_without_a_reason_is_refused_and_keeps_the_new_text(client, facilitator, post):
    client.force_login(facilitator)

    response = client.post(
        url("moderator_edit", post.code),
        {"body": "Mijn nieuwe tekst", "content_warning": "", "reason": ""},
    )

    assert response.status_code == 200
    assert "Mijn nieuwe tekst" in page(response)
    assert response.context["form"].errors["reason"]
    post.refresh_from_db()
    assert post.body == "Het was *zwaar* deze week."


# Threads and boards


@pytest.mark.parametrize(
    ("action", "field", "value", "logged"),
    [
        ("lock", "locked", True, Log.LOCKED),
        ("pin", "pinned", True, Log.PINNED),
    ],
)
def test_locking_and_pinning_a_thread(client, facilitator, thread, action, field, value, logged):
    client.force_login(facilitator)

    response = client.post(url("moderate_thread", thread.code), {"action": action})

    assert response.url == url("thread", thread.code)
    thread.refresh_from_db()
    assert getattr(thread, field) is value
    assert ModerationAction.objects.get(thread=thread).action == logged

    client.post(url("moderate_thread", thread.code), {"action": f"un{action}"})
    thread.refresh_from_db()
    assert getattr(thread, field) is not value


def test_an_unknown_thread_action_changes_nothing(client, facilitator, thread):
    client.force_login(facilitator)

    response = client.post(url("moderate_thread", thread.code), {"action": "delete"})

    assert response.url == url("thread", thread.code)
    assert messages_of(response) == ["Choose what to do with the conversation."]
    assert not ModerationAction.objects.exists()


def test_a_coordinator_moves_a_thread_to_another_board_they_moderate(
    client, coordinator, group, thread
):
    community = services.community_board()
    client.force_login(coordinator)

    form = client.get(url("move_thread", thread.code)).context["form"]
    assert group.board not in form.fields["board"].queryset
    assert community in form.fields["board"].queryset

    response = client.post(
        url("move_thread", thread.code), {"board": community.code, "reason": "Voor iedereen"}
    )

    assert response.url == url("thread", thread.code)
    thread.refresh_from_db()
    assert thread.board == community
    assert set(ModerationAction.objects.values_list("board", "action")) == {
        (group.board.pk, Log.MOVED),
        (community.pk, Log.MOVED),
    }


def test_a_facilitator_cannot_move_a_thread_to_a_board_they_do_not_moderate(
    client, facilitator, group, other_group, thread
):
    client.force_login(facilitator)

    response = client.post(url("move_thread", thread.code), {"board": other_group.board.code})

    assert response.status_code == 200
    assert response.context["form"].errors["board"]
    thread.refresh_from_db()
    assert thread.board == group.board
    assert "You moderate no other board" in page(client.get(url("move_thread", thread.code)))


def test_a_moderator_sets_a_board_to_approve_every_post(client, facilitator, group):
    board = group.board
    client.force_login(facilitator)
    assert client.get(url("board_settings", board.code)).status_code == 200

    response = client.post(url("board_settings", board.code), {"approve_every_post": "on"})

    assert response.url == url("board", board.code)
    board.refresh_from_db()
    assert board.approve_every_post
    assert ModerationAction.objects.get(board=board).action == Log.SETTINGS


# Muting


def test_a_moderator_mutes_someone_who_wrote_on_the_board(client, facilitator, group, post):
    author = post.author.member
    client.force_login(facilitator)

    response = client.get(url("mute_member", group.board.code), {"member": author.code})
    form = response.context["form"]
    assert form["member"].value() == author.code
    assert facilitator.member not in form.fields["member"].queryset
    assert "a week" in page(response)

    response = client.post(
        url("mute_member", group.board.code),
        {"member": author.code, "days": "7", "reason": "Even rust"},
    )

    assert response.url == url("board", group.board.code)
    mute = Mute.objects.get()
    assert (mute.user, mute.board) == (post.author, group.board)
    assert timedelta(days=6) < mute.until - timezone.now() <= timedelta(days=7)
    entry = ModerationAction.objects.get(action=Log.MUTED)
    assert (entry.subject, entry.reason) == (author.user, "Even rust")


def test_the_mute_form_never_reaches_a_member_of_another_board(
    client, facilitator, group, other_member, other_facilitator
):
    client.force_login(facilitator)

    for outsider in (other_member, other_facilitator):
        response = client.post(
            url("mute_member", group.board.code), {"member": outsider.member.code, "days": "1"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["member"]
    assert not Mute.objects.exists()
    assert other_member.member.pseudonym not in page(
        client.get(url("mute_member", group.board.code), {"member": other_member.member.code})
    )


# The log


def test_the_log_shows_who_did_what_and_filters_by_board(
    client, coordinator, facilitator, group, post
):
    services.hide_post(facilitator, post, reason="Te persoonlijk")
    flagged = PostFactory(thread=post.thread, author=post.author)
    services.flag_safety_concern(flagged)
    community = services.community_board()
    other_thread = ThreadFactory(board=community, author=coordinator, title="Welkom")
    services.pin_thread(coordinator, other_thread)
    client.force_login(coordinator)

    response = client.get(url("log"))

    assert response.status_code == 200
    content = page(response)
    assert "hid a post" in content and "Te persoonlijk" in content
    assert facilitator.member.pseudonym in content
    assert "safety concern raised" in content
    assert "<td>Echo</td>" in content
    assert "Coordinator (Antwerp)" in content and "Welkom" in content
    assert len(response.context["page"].object_list) == 3

    response = client.get(url("log"), {"board": community.code})

    assert [entry.action for entry in response.context["page"].object_list] == [Log.PINNED]


def test_a_facilitator_reads_the_log_of_their_own_boards_only(
    client, facilitator, other_facilitator, post
):
    services.hide_post(facilitator, post)
    client.force_login(other_facilitator)

    response = client.get(url("log"))

    assert list(response.context["page"].object_list) == []
    assert "Nothing recorded yet." in page(response)


def test_the_log_is_paged_by_50(client, facilitator, group, thread):
    ModerationAction.objects.bulk_create(
        ModerationAction(board=group.board, thread=thread, actor=facilitator, action=Log.PINNED)
        for _ in range(51)
    )
    client.force_login(facilitator)

    first = client.get(url("log"), {"board": group.board.code})
    second = client.get(url("log"), {"board": group.board.code, "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert f"board={group.board.code}&amp;page=2" in page(first)
    assert len(second.context["page"].object_list) == 1


# Coordinators only


def test_a_coordinator_suspends_a_member_of_their_region(client, coordinator, member):
    client.force_login(coordinator)
    assert client.get(url("suspend_member", member.member.code)).status_code == 200

    response = client.post(
        url("suspend_member", member.member.code), {"length": "3", "reason": "Herhaald kwetsend"}
    )

    assert response.url == url("queue")
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.reason) == (member, "Herhaald kwetsend")
    entry = ModerationAction.objects.get(action=Log.SUSPENDED)
    assert (entry.actor, entry.subject) == (coordinator, member)


def test_a_suspension_needs_a_reason(client, coordinator, member):
    client.force_login(coordinator)

    response = client.post(url("suspend_member", member.member.code), {"length": "3"})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Suspension.objects.exists()


@pytest.mark.parametrize("who", ["facilitator", "other_coordinator", "member"])
def test_only_a_coordinator_of_the_region_suspends(client, member, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("suspend_member", member.member.code)).status_code == 404
    response = client.post(
        url("suspend_member", member.member.code), {"length": "1", "reason": "x"}
    )
    assert response.status_code == 404
    assert not Suspension.objects.exists()


def test_a_coordinator_manages_the_watched_words(client, coordinator):
    client.force_login(coordinator)

    response = client.post(url("watched_words"), {"word": "adres", "action": "hold"})

    assert response.url == url("watched_words")
    word = WatchedWord.objects.get()
    assert (word.word, word.action, word.created_by) == ("adres", "hold", coordinator)
    content = page(client.get(url("watched_words")))
    assert "adres" in content and "hold for approval" in content

    response = client.post(url("watched_words"), {"word": "ADRES", "action": "block"})
    assert response.status_code == 200
    assert "This word is already watched." in page(response)
    assert 'value="ADRES"' in page(response)

    client.post(url("remove_watched_word", word.code))
    assert not WatchedWord.objects.exists()


@pytest.mark.parametrize("who", ["facilitator", "member"])
def test_watched_words_are_for_coordinators_only(client, coordinator, who, request):
    word = services.add_watched_word(coordinator, word="adres", action="hold")
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("watched_words")).status_code == 404
    assert client.post(url("watched_words"), {"word": "x", "action": "hold"}).status_code == 404
    assert client.post(url("remove_watched_word", word.code)).status_code == 404
    assert WatchedWord.objects.count() == 1


# Outsiders


@pytest.mark.parametrize("who", ["other_facilitator", "member", "other_coordinator"])
def test_outsiders_get_a_404_on_every_moderation_page_of_a_board(client, who, group, post, request):
    client.force_login(request.getfixturevalue(who))
    thread, board = post.thread, group.board
    gets = [
        url("review", post.code),
        url("moderator_edit", post.code),
        url("move_thread", thread.code),
        url("board_settings", board.code),
        url("mute_member", board.code),
    ]
    posts = [
        (url("decide", post.code), {"action": "hide", "reason": ""}),
        (url("moderator_edit", post.code), {"body": "x", "reason": "x"}),
        (url("moderate_thread", thread.code), {"action": "lock"}),
        (url("move_thread", thread.code), {"board": services.community_board().code}),
        (url("board_settings", board.code), {"approve_every_post": "on"}),
        (url("mute_member", board.code), {"member": post.author.member.code, "days": "1"}),
    ]

    for path in gets:
        assert client.get(path).status_code == 404, path
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path
    assert not ModerationAction.objects.exists()
    assert not Mute.objects.exists()
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED


def test_the_moderation_pages_render_for_the_group_s_facilitator(client, facilitator, group, post):
    client.force_login(facilitator)
    for path in (
        url("queue"),
        url("review", post.code),
        url("moderator_edit", post.code),
        url("move_thread", post.thread.code),
        url("board_settings", group.board.code),
        url("mute_member", group.board.code),
        url("log"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "style=" not in page(response) and "<script>" not in page(response)


# Query counts

# Every page: the session, the user with their member row (one join), the
# second factor, the unread notices of the menu (one count): 4 for a
# coordinator, 5 for a facilitator (whether they lead a group). No
# transaction around the view; the session is written at most once a minute.
# Queue, for a facilitator: 5 + the posts (with thread, board, group and
# author in one join) + their open reports (one prefetch).
QUEUE_QUERIES = 7
# Log, for a coordinator: 4 + the count for the pages + the boards for the
# filter + one page of entries (with board, group, thread and actor joined).
LOG_QUERIES = 7


def _queue_posts(board, count):
    for n in range(count):
        thread = ThreadFactory(board=board, author=member_of(board.group).user)
        waiting = held(thread, thread.author, minutes_ago=n + 1)
        if n % 2:
            reporter = member_of(board.group).user
            PostFactory(thread=thread, author=reporter)
            waiting.reports.create(reporter=reporter, reason="hurtful")


def test_the_queue_costs_the_same_for_1_or_50_posts(
    client, facilitator, group, django_assert_num_queries
):
    client.force_login(facilitator)
    _queue_posts(group.board, 1)
    client.get(url("queue"))  # the session notes its first activity
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get(url("queue")).status_code == 200

    _queue_posts(group.board, 49)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(url("queue"))

    assert len(response.context["posts"]) == 50


def test_the_log_costs_the_same_for_1_or_50_entries(
    client, coordinator, group, django_assert_num_queries
):
    def entries(count):
        for n in range(count):
            thread = ThreadFactory(board=group.board, author=member_of(group).user)
            actor = [coordinator, None, member_of(group).user][n % 3]
            ModerationAction.objects.create(
                board=group.board, thread=thread, actor=actor, action=Log.LOCKED
            )

    client.force_login(coordinator)
    entries(1)
    client.get(url("log"))  # the session notes its first activity
    with django_assert_num_queries(LOG_QUERIES):
        assert client.get(url("log")).status_code == 200

    entries(49)
    with django_assert_num_queries(LOG_QUERIES):
        response = client.get(url("log"))

    assert len(response.context["page"].object_list) == 50


def test_the_author_reads_why_a_moderator_changed_their_post(
    client, facilitator, member, thread, post
):
    services.moderator_edit_post(
        facilitator, post, body="Het was zwaar.", content_warning="", reason="Naam weggelaten"
    )
    client.force_login(member)

    answer = page(client.get(url("thread", thread.code)))

    assert "A moderator changed this message:" in answer
    assert "Naam weggelaten" in answer
    services.edit_post(member, post, body="Het was zwaar, echt.")
    assert "Naam weggelaten" not in page(client.get(url("thread", thread.code)))
