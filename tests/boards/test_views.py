"""The member-facing board pages: boards, threads, posting, quoting, content
warnings, unread markers, keyset pages, one's own posts, reports, search."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import queries, services
from boards.models import Board, Post, PostRevision, Preferences, Report, Thread, WatchedWord

from ..factories import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"boards:{name}", args=args)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def english(member, other_member, facilitator, coordinator):
    """Pages and messages in English, so tests can read them."""
    for user in (member, other_member, facilitator, coordinator):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def reader(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def friend(group):
    """Another member of the member's group, whose posts are no longer held."""
    from ..factories import member_of

    user = member_of(group, user__language="en").user
    trust(user, group.board)
    return user


def trust(user, board):
    """Give the person the published posts after which nothing is held."""
    thread = ThreadFactory(board=board, author=user, title="Eerder")
    for _ in range(3):
        PostFactory(thread=thread, author=user)
    return thread


def conversation(board, author, *, posts=1, **fields):
    thread = ThreadFactory(board=board, author=author, **fields)
    for _ in range(posts):
        PostFactory(thread=thread, author=author)
    return thread


def content(response):
    return response.content.decode()


# Every page


def test_every_page_renders_for_a_member(reader, member, friend, group):
    thread = conversation(group.board, friend)
    theirs = thread.posts.get()
    mine = PostFactory(thread=thread, author=member)
    pages = [
        url("index"),
        url("board", group.board.code),
        url("new_thread", group.board.code),
        url("thread", thread.code),
        url("reply", thread.code),
        url("reply", thread.code) + f"?quote={theirs.code}",
        url("edit_post", mine.code),
        url("delete_post", mine.code),
        url("report_post", theirs.code),
        url("search") + "?q=Bericht",
        url("search"),
        url("preferences"),
    ]
    for page in pages:
        response = reader.get(page)
        assert response.status_code == 200, page
        assert "<title>Boards — Echo</title>" in content(response), page


def test_the_nav_links_to_the_boards(reader, client, coordinator):
    assert url("index") in content(reader.get(url("preferences")))
    client.force_login(coordinator)
    assert url("index") in content(client.get(reverse("groups:groups")))


def test_outsiders_get_a_404(reader, other_member, other_group):
    thread = conversation(other_group.board, other_member)
    post = thread.posts.get()
    for page in [
        url("board", other_group.board.code),
        url("new_thread", other_group.board.code),
        url("thread", thread.code),
        url("reply", thread.code),
        url("report_post", post.code),
        url("edit_post", post.code),
    ]:
        assert reader.get(page).status_code == 404, page
    assert reader.post(url("follow", thread.code), {"following": "1"}).status_code == 404


def test_one_cannot_change_or_delete_someone_elses_post(reader, friend, group):
    post = conversation(group.board, friend).posts.get()
    assert reader.get(url("edit_post", post.code)).status_code == 404
    assert reader.post(url("delete_post", post.code)).status_code == 404
    post.refresh_from_db()
    assert post.is_published


# The list of boards


def test_the_index_lists_ones_own_boards_only(reader, group, other_group):
    response = reader.get(url("index"))

    names = [str(board.name) for board in response.context["boards"]]
    assert names == ["Community board", group.name]
    assert other_group.name not in content(response)
    assert url("queue") not in content(response)
    assert url("search") in content(response)
    assert url("preferences") in content(response)


def test_facilitators_see_the_staff_room_and_the_moderation_links(client, facilitator, group):
    client.force_login(facilitator)

    response = client.get(url("index"))

    kinds = {board.kind for board in response.context["boards"]}
    assert kinds == {Board.Kind.COMMUNITY, Board.Kind.GROUP, Board.Kind.STAFF}
    assert url("queue") in content(response)
    assert url("log") in content(response)


def test_the_list_of_boards_only_reads(client, member, facilitator, coordinator, group):
    """The community board and the staff room come from a data migration:
    showing them writes nothing."""
    for user in (member, facilitator, coordinator):
        client.force_login(user)
        with CaptureQueriesContext(connection) as done:
            response = client.get(url("index"))
        assert response.status_code == 200
        writes = ("INSERT", "UPDATE", "DELETE")
        assert [
            q["sql"] for q in done if q["sql"].startswith(writes) and "boards_" in q["sql"]
        ] == []
        assert Board.Kind.COMMUNITY in {board.kind for board in response.context["boards"]}


def test_unread_on_the_index_until_read(reader, member, friend, group):
    conversation(group.board, friend)

    boards = {board.pk: board.unread for board in reader.get(url("index")).context["boards"]}
    assert boards[group.board.pk] is True
    assert boards[services.community_board().pk] is False
    assert "unread" in content(reader.get(url("index")))

    for thread in Thread.objects.filter(board=group.board):
        reader.get(url("thread", thread.code))

    boards = {board.pk: board.unread for board in reader.get(url("index")).context["boards"]}
    assert boards[group.board.pk] is False


def test_ones_own_posts_are_never_unread(reader, member, group):
    conversation(group.board, member)

    boards = {board.pk: board.unread for board in reader.get(url("index")).context["boards"]}
    assert boards[group.board.pk] is False


# The thread list


def test_unread_in_the_thread_list_cleared_by_reading_and_by_mark_all(
    reader, member, friend, group
):
    first = conversation(group.board, friend, title="Eerste")
    second = conversation(group.board, friend, title="Tweede")

    unread = {t.pk: t.unread for t in reader.get(url("board", group.board.code)).context["threads"]}
    assert unread[first.pk] and unread[second.pk]

    reader.get(url("thread", first.code))
    unread = {t.pk: t.unread for t in reader.get(url("board", group.board.code)).context["threads"]}
    assert not unread[first.pk] and unread[second.pk]

    # A new reply makes the thread unread again.
    PostFactory(thread=first, author=friend)
    unread = {t.pk: t.unread for t in reader.get(url("board", group.board.code)).context["threads"]}
    assert unread[first.pk]

    response = reader.post(url("mark_board_read", group.board.code))
    assert response.status_code == 302
    assert messages_of(response) == ["Everything on this board is marked as read."]
    page = reader.get(url("board", group.board.code))
    assert not any(t.unread for t in page.context["threads"])
    assert "unread" not in content(page).split("<tbody>")[1]
    boards = {board.pk: board.unread for board in reader.get(url("index")).context["boards"]}
    assert boards[group.board.pk] is False


def test_the_thread_list_is_not_unread_for_ones_own_reply(reader, member, friend, group):
    thread = conversation(group.board, friend)
    reader.get(url("thread", thread.code))
    PostFactory(thread=thread, author=member)

    unread = {t.pk: t.unread for t in reader.get(url("board", group.board.code)).context["threads"]}
    assert unread[thread.pk] is False


def test_a_post_published_after_the_page_was_read_stays_unread(reader, friend, facilitator, group):
    """Written before the reader's visit but approved after it: not seen yet."""
    thread = conversation(group.board, friend)
    waiting = PostFactory(thread=thread, author=friend, state=Post.State.PENDING, published_at=None)
    reader.get(url("thread", thread.code))
    unread = {t.pk: t.unread for t in reader.get(url("board", group.board.code)).context["threads"]}
    assert unread[thread.pk] is False

    services.approve_post(facilitator, waiting)

    unread = {t.pk: t.unread for t in reader.get(url("board", group.board.code)).context["threads"]}
    assert unread[thread.pk] is True
    page = reader.get(url("thread", thread.code))
    assert [post.is_new for post in page.context["posts"]] == [False, True]


def test_the_thread_list_shows_pinned_first_then_by_last_activity(reader, friend, group):
    now = timezone.now()
    old = conversation(group.board, friend, title="Oud")
    recent = conversation(group.board, friend, title="Recent")
    pinned = conversation(group.board, friend, title="Vast", pinned=True, locked=True)
    Thread.objects.filter(pk=old.pk).update(last_activity_at=now - timedelta(days=3))
    Thread.objects.filter(pk=pinned.pk).update(last_activity_at=now - timedelta(days=9))
    Thread.objects.filter(pk=recent.pk).update(last_activity_at=now - timedelta(hours=1))

    response = reader.get(url("board", group.board.code))

    titles = [t.title for t in response.context["threads"] if t.title != "Eerder"]
    assert titles == ["Vast", "Recent", "Oud"]
    assert "pinned" in content(response)
    assert "closed" in content(response)
    assert "Start a new conversation" in content(response)


def test_waiting_threads_only_for_their_author_and_the_moderators(
    client, member, other_member, facilitator, friend, group
):
    waiting = ThreadFactory(board=group.board, author=member, published=False, title="Wacht")
    PostFactory(thread=waiting, author=member, state=Post.State.PENDING, published_at=None)

    client.force_login(member)
    mine = client.get(url("board", group.board.code))
    assert "Wacht" in content(mine)
    assert "waiting for approval" in content(mine)

    client.force_login(friend)
    assert "Wacht" not in content(client.get(url("board", group.board.code)))
    assert client.get(url("thread", waiting.code)).status_code == 404

    client.force_login(facilitator)
    response = client.get(url("board", group.board.code))
    assert "Wacht" in content(response)
    assert url("board_settings", group.board.code) in content(response)
    assert url("mute_member", group.board.code) in content(response)


def test_a_muted_member_is_told_why_instead_of_the_new_conversation_link(
    reader, member, facilitator, group
):
    services.mute_member(facilitator, group.board, member, days=3, reason="Even rust")

    response = reader.get(url("board", group.board.code))

    assert url("new_thread", group.board.code) not in content(response)
    assert "paused your posts" in content(response)


def test_keyset_pages_follow_each_other_without_overlap(reader, friend, group):
    start = timezone.now() - timedelta(days=1)
    for n in range(60):
        thread = ThreadFactory(board=group.board, author=friend, pinned=n < 3)
        # Some share their moment: the id breaks the tie.
        Thread.objects.filter(pk=thread.pk).update(
            last_activity_at=start + timedelta(minutes=n // 2)
        )
    expected = list(
        Thread.objects.filter(board=group.board)
        .order_by("-pinned", "-last_activity_at", "-id")
        .values_list("pk", flat=True)
    )

    seen, page_url, pages = [], url("board", group.board.code), 0
    while page_url:
        response = reader.get(page_url)
        seen += [t.pk for t in response.context["threads"]]
        cursor = response.context["next_cursor"]
        page_url = url("board", group.board.code) + f"?after={cursor}" if cursor else None
        if cursor:
            assert f"?after={cursor}" in content(response)
        pages += 1

    assert pages == 3
    assert seen == expected
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "1-2-3-4", "1-99999999999999999999-1", "2-1-1", "", "0-9999999999999999999-1"],
)
def test_a_bad_cursor_gives_the_first_page(reader, friend, group, cursor):
    for _ in range(30):
        ThreadFactory(board=group.board, author=friend)
    first = [t.pk for t in reader.get(url("board", group.board.code)).context["threads"]]

    response = reader.get(url("board", group.board.code), {"after": cursor})

    assert response.status_code == 200
    assert [t.pk for t in response.context["threads"]] == first


def test_the_cursor_survives_a_round_trip():
    thread = Thread(pk=7, pinned=True, last_activity_at=timezone.now())
    pinned, moment, pk = queries.parse_cursor(queries.make_cursor(thread))
    assert (pinned, moment, pk) == (True, thread.last_activity_at, 7)


# Posting


def test_a_new_members_first_thread_waits_then_is_published_after_approval(
    client, member, friend, facilitator, group
):
    client.force_login(member)
    response = client.post(
        url("new_thread", group.board.code),
        {"title": "Hallo allemaal", "body": "Ik ben nieuw hier.", "content_warning": ""},
    )

    thread = Thread.objects.get(title="Hallo allemaal")
    post = thread.posts.get()
    assert response.status_code == 302
    assert response.url == url("thread", thread.code) + f"?from={post.code}#post-{post.code}"
    [message] = messages_of(response)
    assert "waiting for approval" in message
    assert "first posts of a new member" in message
    page = client.get(url("thread", thread.code))
    assert "Ik ben nieuw hier." in content(page)
    assert "Only you and the moderators see this message" in content(page)

    client.force_login(friend)
    assert client.get(url("thread", thread.code)).status_code == 404

    services.approve_post(facilitator, post)
    page = client.get(url("thread", thread.code))
    assert "Ik ben nieuw hier." in content(page)
    assert "waiting" not in content(page)


def test_a_trusted_members_reply_is_published_at_once(reader, member, friend, group):
    trust(member, group.board)
    thread = conversation(group.board, friend)

    response = reader.post(url("reply", thread.code), {"body": "Dank je wel.", "quote": ""})

    post = Post.objects.get(body="Dank je wel.")
    assert post.is_published
    assert messages_of(response) == ["Your message is published."]


def test_contact_details_wait_and_the_author_is_told_why(reader, member, friend, group):
    trust(member, group.board)
    thread = conversation(group.board, friend)

    response = reader.post(
        url("reply", thread.code), {"body": "Bel me gerust op 0470 12 34 56.", "quote": ""}
    )

    post = Post.objects.get(thread=thread, author=member)
    assert post.is_pending
    text = " ".join(messages_of(response))
    assert "contact details" in text
    assert "protect people from being identified" in text


def test_a_blocked_word_refuses_the_post_and_keeps_the_text(reader, member, group):
    WatchedWord.objects.create(word="verboden", action=WatchedWord.Action.BLOCK)
    data = {
        "title": "Mijn titel",
        "body": "Een verboden woord en veel tekst.",
        "content_warning": "zwaar",
    }

    response = reader.post(url("new_thread", group.board.code), data)

    assert response.status_code == 200
    assert not Thread.objects.filter(title="Mijn titel").exists()
    page = content(response)
    assert "cannot be published as it is" in page
    assert "Een verboden woord en veel tekst." in page
    assert 'value="Mijn titel"' in page
    assert 'value="zwaar"' in page


def test_a_safety_concern_shows_the_author_the_help_lines(reader, member, friend, group):
    WatchedWord.objects.create(word="opgeven", action=WatchedWord.Action.SAFETY)
    trust(member, group.board)
    thread = conversation(group.board, friend)

    response = reader.post(
        url("reply", thread.code), {"body": "Ik wil alles opgeven.", "quote": ""}
    )

    assert "1813" in " ".join(messages_of(response))
    page = content(reader.get(url("thread", thread.code)))
    # The help-lines card (templates/boards/help_lines.html), with a line to call.
    assert 'class="card help-now"' in page and 'href="tel:1813"' in page

    reader.force_login(friend)
    page = content(reader.get(url("thread", thread.code)))
    assert 'class="card help-now"' not in page


def test_a_locked_thread_refuses_replies_but_not_from_moderators(
    client, member, facilitator, friend, group
):
    thread = conversation(group.board, friend, locked=True)
    client.force_login(member)

    page = client.get(url("thread", thread.code))
    assert "This conversation is closed" in content(page)
    assert f'action="{url("reply", thread.code)}"' not in content(page)
    response = client.post(url("reply", thread.code), {"body": "Toch nog iets.", "quote": ""})
    assert response.status_code == 200
    assert not Post.objects.filter(body="Toch nog iets.").exists()
    assert "This conversation is closed" in content(response)
    assert "Toch nog iets." in content(response)

    client.force_login(facilitator)
    page = client.get(url("thread", thread.code))
    assert f'action="{url("reply", thread.code)}"' in content(page)
    assert 'value="unlock"' in content(page)
    assert 'value="pin"' in content(page)
    assert url("move_thread", thread.code) in content(page)
    client.post(url("reply", thread.code), {"body": "Een woord van de begeleider.", "quote": ""})
    assert Post.objects.get(body="Een woord van de begeleider.").is_published


def test_quoting_a_post(reader, member, friend, group):
    trust(member, group.board)
    thread = conversation(group.board, friend)
    quoted = PostFactory(thread=thread, author=friend, body="Wat een **mooie** dag.")

    form = reader.get(url("reply", thread.code), {"quote": quoted.code})
    assert "<strong>mooie</strong>" in content(form)
    assert form.context["form"]["quote"].value() == quoted.code

    reader.post(url("reply", thread.code), {"body": "Inderdaad!", "quote": quoted.code})

    post = Post.objects.get(body="Inderdaad!")
    assert post.quote == quoted
    page = content(reader.get(url("thread", thread.code)))
    assert '<blockquote class="quote"' in page
    assert page.count("<strong>mooie</strong>") == 2
    assert f"?quote={quoted.code}" in page


def test_a_quote_from_another_thread_is_ignored(reader, member, friend, group):
    trust(member, group.board)
    thread = conversation(group.board, friend)
    elsewhere = conversation(group.board, friend).posts.get()

    reader.post(url("reply", thread.code), {"body": "Antwoord", "quote": elsewhere.code})

    assert Post.objects.get(body="Antwoord").quote is None


# Content warnings


def warned_post(board, author):
    thread = ThreadFactory(board=board, author=author)
    PostFactory(thread=thread, author=author, content_warning="over vroeger", body="Moeilijk.")
    return thread


def details_of(response):
    page = content(response)
    start = page.index('<details class="content-warning"')
    return page[start : page.index(">", start) + 1]


def test_a_warned_post_is_folded_while_new_then_open(reader, friend, group):
    thread = warned_post(group.board, friend)

    assert " open" not in details_of(reader.get(url("thread", thread.code)))
    assert " open" in details_of(reader.get(url("thread", thread.code)))


def test_a_warned_post_is_always_folded_if_one_chooses(reader, member, friend, group):
    services.save_preferences(member, fold_warnings=True)
    thread = warned_post(group.board, friend)

    reader.get(url("thread", thread.code))
    response = reader.get(url("thread", thread.code))

    assert " open" not in details_of(response)
    assert "Content warning: over vroeger" in content(response)


def test_new_posts_are_marked_new_once(reader, friend, group):
    thread = conversation(group.board, friend)

    assert '<span class="badge badge-new">new</span>' in content(
        reader.get(url("thread", thread.code))
    )
    assert '<span class="badge badge-new">new</span>' not in content(
        reader.get(url("thread", thread.code))
    )


# One's own posts


def test_editing_ones_post_keeps_the_history(reader, member, group):
    thread = trust(member, group.board)
    post = thread.posts.first()

    form = reader.get(url("edit_post", post.code))
    assert "moderators keep the earlier version" in content(form)
    response = reader.post(
        url("edit_post", post.code), {"body": "Nieuwe tekst", "content_warning": ""}
    )

    post.refresh_from_db()
    assert post.body == "Nieuwe tekst"
    assert PostRevision.objects.filter(post=post).exists()
    assert messages_of(response) == ["Your message is changed."]
    assert "edited" in content(reader.get(url("thread", thread.code)))


def test_deleting_ones_post_leaves_a_placeholder_for_others(reader, client, member, friend, group):
    thread = conversation(group.board, friend)
    trust(member, group.board)
    mine = PostFactory(thread=thread, author=member, body="Spijt van dit bericht")

    confirm = reader.get(url("delete_post", mine.code))
    assert "Delete your message?" in content(confirm)
    response = reader.post(url("delete_post", mine.code))

    mine.refresh_from_db()
    assert mine.state == Post.State.DELETED
    assert messages_of(response) == ["Your message is deleted."]
    client.force_login(friend)
    page = content(client.get(url("thread", thread.code)))
    assert "Spijt van dit bericht" not in page
    assert "deleted by its author" in page


def test_moderators_see_removed_posts_in_full(client, facilitator, friend, group):
    thread = conversation(group.board, friend)
    post = PostFactory(thread=thread, author=friend, body="Iets kwetsends")
    services.hide_post(facilitator, post, reason="Kwetsend")

    client.force_login(friend)
    page = content(client.get(url("thread", thread.code)))
    assert "Iets kwetsends" not in page
    assert "removed by a moderator" in page

    client.force_login(facilitator)
    page = content(client.get(url("thread", thread.code)))
    assert "Iets kwetsends" in page
    assert "hidden by a moderator" in page
    assert url("review", post.code) in page


def test_a_rejected_post_shows_its_author_the_reason(reader, member, facilitator, group):
    thread = ThreadFactory(board=group.board, author=member, published=False)
    post = PostFactory(thread=thread, author=member, state=Post.State.PENDING, published_at=None)
    services.reject_post(facilitator, post, "Er staat een naam in.")

    page = content(reader.get(url("thread", thread.code)))

    assert "not approved" in page
    assert "Er staat een naam in." in page


# Reports


def test_reporting_a_post(reader, member, friend, group):
    post = conversation(group.board, friend).posts.get()

    form = reader.get(url("report_post", post.code))
    assert 'type="radio"' in content(form)
    response = reader.post(url("report_post", post.code), {"reason": "hurtful", "note": "Au"})

    assert response.status_code == 302
    assert "The moderators will look at this message" in messages_of(response)[0]
    report = Report.objects.get(post=post)
    assert (report.reporter, report.reason, report.note) == (member, "hurtful", "Au")

    again = reader.post(url("report_post", post.code), {"reason": "spam", "note": ""})
    assert again.status_code == 200
    assert "already reported this post" in content(again)


def test_one_cannot_report_ones_own_post(reader, member, group):
    post = trust(member, group.board).posts.first()

    response = reader.post(url("report_post", post.code), {"reason": "spam"}, follow=True)

    assert response.redirect_chain[-1][0] == url("thread", post.thread.code)
    assert "cannot report your own post" in content(response)
    assert not Report.objects.exists()


# Following


def test_following_and_unfollowing(reader, member, friend, group):
    thread = conversation(group.board, friend)

    reader.post(url("follow", thread.code), {"following": "1"})
    assert "Stop following" in content(reader.get(url("thread", thread.code)))
    reader.post(url("follow", thread.code), {"following": "0"})
    assert "Follow this conversation" in content(reader.get(url("thread", thread.code)))
    assert reader.post(url("follow", thread.code), {"following": "x"}).status_code == 400
    assert reader.get(url("follow", thread.code)).status_code == 405


# Search


def test_search_finds_only_readable_boards(
    reader, member, friend, other_member, group, other_group
):
    mine = ThreadFactory(board=group.board, author=friend, title="Tuin")
    PostFactory(thread=mine, author=friend, body="Over de zonnebloem <script>x</script> in de tuin")
    theirs = ThreadFactory(board=other_group.board, author=other_member, title="Elders")
    PostFactory(thread=theirs, author=other_member, body="Ook een zonnebloem")

    response = reader.get(url("search"), {"q": "zonnebloem"})

    page = content(response)
    assert [hit.thread for hit in response.context["page"].object_list] == [mine]
    assert "Tuin" in page and "Elders" not in page
    assert group.name in page
    assert "&lt;script&gt;" in page
    assert "<script>x" not in page


def test_an_empty_search_shows_just_the_form(reader):
    response = reader.get(url("search"), {"q": "  "})
    assert response.context["page"] is None
    assert 'name="q"' in content(response)


# Preferences


def test_preferences_are_saved(reader, member):
    response = reader.post(url("preferences"), {"fold_warnings": "on", "emails": "digest"})

    assert response.status_code == 302
    preferences = Preferences.of(member)
    assert preferences.fold_warnings is True
    assert preferences.emails == "digest"
    form = reader.get(url("preferences")).context["form"]
    assert form["emails"].value() == "digest"


# Query counts


def count_for_1_and_100(client, path, add, django_assert_num_queries):
    add(1)
    client.get(path)  # the boards that are made on first use
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    made = len(one)  # now: the next request empties the query log
    add(99)
    client.get(path)  # a thread page marks what it shows as read, once (one upsert)
    with django_assert_num_queries(made):
        response = client.get(path)
    return made, response


# Measured (SQLite and PostgreSQL alike), besides reading the session:
# 1. the user with their member (one join, members.backends),
# 2. the board, or the thread, with everything the page asks about the person
#    folded in as subqueries (moderating, suspended, muted; for a thread also
#    following, read marks, folding, first, last and first unread post),
# 3. one page of threads or posts, authors and quotes joined,
# 4. the facilitator check of the menu,
# 5. the unread notices of the menu (one count, members.inbox),
# and on the thread page 6. its read mark, one upsert, only when the page
# shows something published after it (reading a page again writes nothing),
# 7. on the page with the reply form, one's draft of a reply (boards.drafts).
# No transaction around the view, and the session is written at most once a
# minute.
BOARD_LIST_QUERIES = 6
THREAD_PAGE_QUERIES = 7


def test_the_thread_list_costs_the_same_for_1_or_100_threads(
    reader, friend, group, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            conversation(group.board, friend, posts=1)

    queries_made, response = count_for_1_and_100(
        reader, url("board", group.board.code), add, django_assert_num_queries
    )

    assert len(response.context["threads"]) == 25
    assert queries_made == BOARD_LIST_QUERIES
    print(f"thread list: {queries_made} queries for 1 and for 100 threads")


def test_a_thread_page_costs_the_same_for_1_or_100_posts(
    reader, member, friend, facilitator, group, django_assert_num_queries
):
    thread = ThreadFactory(board=group.board, author=friend)
    earlier = PostFactory(thread=thread, author=friend)

    def add(count):
        for n in range(count):
            PostFactory(
                thread=thread,
                author=[friend, member, facilitator][n % 3],
                quote=earlier,
                content_warning="zwaar" if n % 2 else "",
            )

    path = url("thread", thread.code)
    queries_made, response = count_for_1_and_100(reader, path, add, django_assert_num_queries)
    assert len(response.context["posts"]) == queries.POSTS_PER_PAGE
    assert queries_made == THREAD_PAGE_QUERIES
    print(f"thread page: {queries_made} queries for 1 and for 100 posts")


def test_a_quote_of_a_removed_post_is_no_longer_shown(reader, friend, facilitator, group):
    thread = conversation(group.board, friend)
    quoted = PostFactory(thread=thread, author=friend, body="Wordt verborgen")
    PostFactory(thread=thread, author=friend, body="Antwoord erop", quote=quoted)
    services.hide_post(facilitator, quoted, reason="Kwetsend")

    page = content(reader.get(url("thread", thread.code)))

    assert "Antwoord erop" in page
    assert "Wordt verborgen" not in page
    assert '<blockquote class="quote"' not in page


def test_titles_and_warnings_are_shown_as_text(reader, friend, group):
    thread = ThreadFactory(board=group.board, author=friend, title="<script>alert(1)</script>")
    PostFactory(thread=thread, author=friend, content_warning='<img src=x onerror="alert(2)">')

    for page in (url("board", group.board.code), url("thread", thread.code)):
        html = content(reader.get(page))
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html


def test_a_later_page_costs_what_the_first_page_costs(reader, friend, group):
    """Keyset, not offset: the third page is one indexed range, like the first."""
    for _ in range(3 * queries.THREADS_PER_PAGE):
        conversation(group.board, friend)
    path = url("board", group.board.code)
    reader.get(path)
    cursor = None
    for _ in range(2):
        cursor = reader.get(path, {"after": cursor} if cursor else {}).context["next_cursor"]

    with CaptureQueriesContext(connection) as third:
        response = reader.get(path, {"after": cursor})

    assert len(response.context["threads"]) == queries.THREADS_PER_PAGE
    assert len(third) == BOARD_LIST_QUERIES
    assert not any(re.search(r"\bOFFSET\b", q["sql"], re.I) for q in third.captured_queries)
