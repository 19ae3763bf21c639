"""The boards' business rules, through boards.services: who reads and who
moderates which board, what waits for a moderator and why, reports, safety
concerns, edits, every moderation action and its log, and erasure."""

import importlib
from datetime import timedelta

import pytest
import time_machine
from django.core.management.sql import emit_post_migrate_signal
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from boards import access, services
from boards.models import (
    Board,
    ModerationAction,
    Mute,
    Post,
    PostRevision,
    Report,
    Thread,
    WatchedWord,
)
from boards.services import BoardError
from echo.models import OutgoingEmail, Region
from members.models import Member, Suspension

from ..factories import (
    GroupFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    facilitator_of,
    member_of,
)

pytestmark = pytest.mark.django_db

Hold = Post.Hold
State = Post.State
Log = ModerationAction.Action


@pytest.fixture(autouse=True)
def no_first_posts_held(settings):
    """Most tests are about other rules: members here are not new unless a
    test says so (settings.BOARDS_FIRST_POSTS_HELD = 3)."""
    settings.BOARDS_FIRST_POSTS_HELD = 0
    settings.BOARDS_REPORTS_TO_HIDE = 3


@pytest.fixture
def community(db):
    return services.community_board()


@pytest.fixture
def staff(db):
    return services.staff_room()


@pytest.fixture
def limburg_group(db):
    return GroupFactory(name="Hasseltgroep", region=Region.LIMBURG)


@pytest.fixture
def thread(group, member):
    """A published thread on the group's board, opened by `member`."""
    thread, _post = services.start_thread(
        member, group.board, title="Slapen", body="Hoe slapen jullie?"
    )
    thread.refresh_from_db()
    assert thread.published
    return thread


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def reply(author, thread, body="Dank je om dit te delen."):
    return services.reply(author, thread, body=body)


def logs(action=None, **filters):
    rows = ModerationAction.objects.filter(**filters)
    if action:
        rows = rows.filter(action=action)
    return list(rows)


def emails(kind):
    return sorted(OutgoingEmail.objects.filter(kind=kind).values_list("to", flat=True))


# Who reads and who moderates which board


def boards_of(queryset):
    return set(queryset)


def test_a_member_reads_their_group_board_and_the_community_board(
    member, group, other_group, community, staff
):
    assert boards_of(Board.objects.readable_by(member)) == {group.board, community}
    assert boards_of(Board.objects.moderated_by(member)) == set()


def test_a_member_of_the_other_group_reads_only_that_board_and_the_community(
    other_member, group, other_group, community, staff
):
    assert boards_of(Board.objects.readable_by(other_member)) == {other_group.board, community}


def test_a_facilitator_also_reads_the_staff_room_and_moderates_only_their_group_board(
    facilitator, group, other_group, community, staff
):
    assert boards_of(Board.objects.readable_by(facilitator)) == {group.board, community, staff}
    assert boards_of(Board.objects.moderated_by(facilitator)) == {group.board}


def test_a_coordinator_reads_and_moderates_the_boards_of_their_region(
    coordinator, group, other_group, limburg_group, community, staff
):
    expected = {group.board, other_group.board, community, staff}
    assert boards_of(Board.objects.readable_by(coordinator)) == expected
    assert boards_of(Board.objects.moderated_by(coordinator)) == expected


def test_a_coordinator_of_another_region_does_not_reach_antwerp_group_boards(
    other_coordinator, group, other_group, limburg_group, community, staff
):
    expected = {limburg_group.board, community, staff}
    assert boards_of(Board.objects.readable_by(other_coordinator)) == expected
    assert boards_of(Board.objects.moderated_by(other_coordinator)) == expected


@pytest.mark.parametrize("status", [Member.Status.PAUSED, Member.Status.LEFT])
def test_paused_and_departed_members_read_nothing(member, facilitator, status, community, staff):
    for user in (member, facilitator):
        user.member.status = status
        user.member.save()
        user = refreshed(user)
        assert not Board.objects.readable_by(user).exists()
        assert not Board.objects.moderated_by(user).exists()


def test_applicants_and_admins_without_a_member_read_nothing(
    applicant, admin_user, group, community, staff
):
    for user in (applicant, admin_user):
        assert not Board.objects.readable_by(user).exists()
        assert not Board.objects.moderated_by(user).exists()


def test_an_archived_groups_board_is_gone_for_its_members(
    member, facilitator, group, community, staff
):
    group.archived_at = timezone.now()
    group.save()
    assert boards_of(Board.objects.readable_by(member)) == {community}
    facilitator = refreshed(facilitator)
    assert group.board not in Board.objects.readable_by(facilitator)
    assert not Board.objects.moderated_by(facilitator).exists()


def test_every_group_gets_a_board_and_boards_have_names(group, community, staff):
    new = GroupFactory(name="Woensdaggroep")
    assert new.board.kind == Board.Kind.GROUP
    assert new.board.name == "Woensdaggroep"
    assert services.board_of(new) == new.board
    assert services.community_board() == community
    assert services.staff_room() == staff
    assert Board.objects.count() == 4


def test_the_community_board_and_the_staff_room_are_made_once_by_a_migration(db, community, staff):
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("boards.migrations.0004_community_board_and_staff_room")
    staff.delete()
    # Looked up, never made on use: a page that shows it writes nothing.
    with pytest.raises(Board.DoesNotExist):
        services.staff_room()
    migration.create_shared_boards(apps, connection.schema_editor())
    migration.create_shared_boards(apps, connection.schema_editor())
    assert Board.objects.get(kind=Board.Kind.COMMUNITY) == community
    assert Board.objects.filter(kind=Board.Kind.STAFF).count() == 1
    assert services.staff_room().kind == Board.Kind.STAFF


def test_the_shared_boards_come_back_after_a_flush(db, community, staff):
    """`flush` empties the tables and sends post_migrate, as after `migrate`."""
    Board.objects.filter(pk__in=[community.pk, staff.pk]).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert {board.kind for board in Board.objects.all()} >= {
        Board.Kind.COMMUNITY,
        Board.Kind.STAFF,
    }


def test_outsiders_get_404_for_boards_threads_and_posts(member, other_member, group, thread):
    post = thread.posts.get()
    with pytest.raises(Http404):
        access.board_for_reader(other_member, group.board.code)
    with pytest.raises(Http404):
        access.thread_for_reader(other_member, thread.code)
    with pytest.raises(Http404):
        access.post_for_reader(other_member, post.code)
    with pytest.raises(Http404):
        access.post_for_moderator(member, post.code)
    assert access.thread_for_reader(member, thread.code) == thread


def test_a_waiting_thread_is_seen_only_by_its_author_and_the_moderators(
    settings, group, member, facilitator, coordinator, other_facilitator
):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    thread, post = services.start_thread(member, group.board, title="Nieuw", body="Hallo")
    reader = member_of(group).user
    for user in (member, facilitator, coordinator):
        assert access.thread_for_reader(user, thread.code) == thread
        assert access.post_for_reader(user, post.code) == post
    for user in (reader, other_facilitator):
        with pytest.raises(Http404):
            access.thread_for_reader(user, thread.code)
        with pytest.raises(Http404):
            access.post_for_reader(user, post.code)


# Pre-moderation


def test_a_new_members_first_posts_wait_for_approval(settings, group, member, facilitator):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    thread, first = services.start_thread(member, group.board, title="Hallo", body="Ik ben nieuw")
    assert (first.state, first.hold_reasons) == (State.PENDING, [Hold.FIRST_POSTS])
    assert first.review_since is not None
    assert (refreshed(thread).published, thread.post_count) == (False, 0)

    services.approve_post(facilitator, first)
    second = reply(member, thread)
    assert second.hold_reasons == [Hold.FIRST_POSTS]
    services.approve_post(facilitator, second)
    third = reply(member, thread)
    assert third.is_pending
    # Waiting posts do not count: only published ones do.
    fourth = reply(member, thread)
    assert fourth.is_pending
    services.approve_post(facilitator, third)

    fifth = reply(member, thread)
    assert (fifth.state, fifth.hold_reasons, fifth.review_since) == (State.PUBLISHED, [], None)
    assert refreshed(thread).post_count == 4


def test_how_many_first_posts_wait_is_a_setting(settings, group, member):
    settings.BOARDS_FIRST_POSTS_HELD = 1
    thread, first = services.start_thread(member, group.board, title="Hallo", body="Nieuw")
    PostFactory(thread=thread, author=member)
    assert first.is_pending
    assert reply(member, thread).is_published


def test_moderators_posts_never_wait(settings, group, facilitator, coordinator, community):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    group.board.approve_every_post = True
    group.board.save()
    _thread, post = services.start_thread(facilitator, group.board, title="Welkom", body="Dag")
    assert post.is_published
    # Not even with contact details: they would approve it themselves.
    _thread, post = services.start_thread(
        coordinator, community, title="Hulp", body="Bel 03 231 45 67 of kijk op www.1712.be"
    )
    assert (post.state, post.hold_reasons) == (State.PUBLISHED, [])


def test_a_facilitator_is_a_new_member_on_a_board_they_do_not_moderate(
    settings, facilitator, community
):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    _thread, post = services.start_thread(facilitator, community, title="Hallo", body="Dag")
    assert post.hold_reasons == [Hold.FIRST_POSTS]


def test_a_board_can_hold_every_post_of_its_members(group, member, facilitator, thread):
    services.set_approve_every_post(facilitator, group.board, True)
    post = reply(member, thread)
    assert (post.state, post.hold_reasons) == (State.PENDING, [Hold.EVERY_POST])
    assert reply(facilitator, thread).is_published
    services.set_approve_every_post(facilitator, group.board, False)
    assert reply(member, thread).is_published
    assert len(logs(Log.SETTINGS, board=group.board)) == 2


def test_approving_publishes_the_post_and_moves_the_thread_up(settings, group, member, facilitator):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    with time_machine.travel("2027-03-01 10:00Z", tick=False):
        thread, post = services.start_thread(member, group.board, title="Hallo", body="Dag")
    with time_machine.travel("2027-03-01 12:00Z", tick=False):
        services.approve_post(facilitator, post)
    thread, post = refreshed(thread), refreshed(post)
    assert (post.state, post.review_since) == (State.PUBLISHED, None)
    assert post.published_at.isoformat() == "2027-03-01T12:00:00+00:00"
    assert thread.published
    assert thread.post_count == 1
    assert thread.last_activity_at == post.published_at
    assert [(a.action, a.actor) for a in logs(post=post)] == [(Log.APPROVED, facilitator)]


def test_a_moderators_reply_does_not_publish_a_waiting_thread(settings, group, member, facilitator):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    thread, opening = services.start_thread(member, group.board, title="Hallo", body="Dag")
    reply(facilitator, thread, "Welkom!")
    assert not refreshed(thread).published
    services.approve_post(facilitator, opening)
    assert (refreshed(thread).published, thread.post_count) == (True, 2)


def test_a_waiting_post_moves_nothing(settings, group, member, thread):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    before = refreshed(thread).last_activity_at
    newcomer = member_of(group).user
    reply(newcomer, thread)
    assert (refreshed(thread).last_activity_at, thread.post_count) == (before, 1)


# Contact details


@pytest.mark.parametrize(
    ("title", "body", "warning"),
    [
        ("Bellen?", "Bel me op 0470 12 34 56", ""),
        ("Mail", "naam@voorbeeld.be", ""),
        ("Kijk", "op https://example.org", ""),
        ("Kijk", "op www.example.org", ""),
        ("Insta", "ik ben @naam_123", ""),
        ("Bel +33 6 12 34 56 78", "zie titel", ""),
        ("Gewoon", "Gewoon", "zie example.be/info"),
    ],
)
def test_contact_details_in_a_title_text_or_warning_hold_the_post(
    group, member, title, body, warning
):
    thread, post = services.start_thread(
        member, group.board, title=title, body=body, content_warning=warning
    )
    assert (post.state, post.hold_reasons) == (State.PENDING, [Hold.CONTACT_DETAILS])
    assert not refreshed(thread).published
    assert post.hold_reason_labels() == [Hold.CONTACT_DETAILS.label]


def test_contact_details_in_a_reply_hold_it(member, thread):
    other = member_of(thread.board.group).user
    post = reply(other, thread, "Mijn nummer: +32 470 12 34 56")
    assert post.hold_reasons == [Hold.CONTACT_DETAILS]


@pytest.mark.parametrize(
    "body",
    ["Op 12/03/2024 om 19:30 was ik er.", "Het kostte € 1.250,00.", "Ik ben 45 en heb 3 kinderen."],
)
def test_ordinary_numbers_do_not_hold_a_post(member, thread, body):
    assert reply(member, thread, body).is_published


# Watched words


def watch(coordinator, word, action):
    return services.add_watched_word(coordinator, word=word, action=action)


@pytest.mark.parametrize(
    ("word", "text"),
    [("spam", "Koop SPAM nu"), ("gratis pillen", "hier GRATIS\npillen"), ("Spam", "spam!")],
)
def test_a_blocked_word_refuses_the_post(coordinator, group, member, thread, word, text):
    watch(coordinator, word, "block")
    posts = Post.objects.count()
    with pytest.raises(BoardError, match=word):
        reply(member, thread, text)
    with pytest.raises(BoardError):
        services.start_thread(member, group.board, title=text, body="Dag")
    with pytest.raises(BoardError):
        services.start_thread(member, group.board, title="Dag", body="Dag", content_warning=text)
    assert Post.objects.count() == posts
    assert Thread.objects.count() == 1


def test_a_blocked_word_is_only_a_whole_word(coordinator, member, thread):
    watch(coordinator, "spam", "block")
    assert reply(member, thread, "Spamalot was een leuke musical").is_published


def test_a_blocked_word_binds_moderators_too(coordinator, facilitator, thread):
    watch(coordinator, "spam", "block")
    with pytest.raises(BoardError):
        reply(facilitator, thread, "spam")


def test_a_held_word_holds_the_post(coordinator, member, thread):
    watch(coordinator, "naam", "hold")
    post = reply(member, thread, "Mijn echte NAAM is ...")
    assert (post.state, post.hold_reasons) == (State.PENDING, [Hold.WATCHED_WORD])


def test_a_safety_word_flags_the_post_and_tells_only_who_must_know(
    coordinator,
    other_coordinator,
    group,
    member,
    facilitator,
    other_facilitator,
    other_member,
    thread,
):
    second_facilitator = facilitator_of(group).user
    paused_facilitator = facilitator_of(group, status=Member.Status.PAUSED).user
    reader = member_of(group).user
    watch(coordinator, "niet meer leven", "safety")

    post = reply(reader, thread, "Ik wil niet meer leven.")

    # The post itself follows the other rules: this member is not new.
    assert post.is_published
    assert post.safety_concern_since is not None
    assert post.review_since == post.safety_concern_since
    assert [(log.action, log.actor) for log in logs(post=post)] == [(Log.FLAGGED, None)]
    assert emails("boards.safety_concern") == sorted(
        [facilitator.email, second_facilitator.email, coordinator.email]
    )
    assert paused_facilitator.email not in emails("boards.safety_concern")
    assert services.shows_help_lines(reader, post)
    assert not services.shows_help_lines(member, post)
    assert not services.shows_help_lines(facilitator, post)
    assert services.review_queue(facilitator).first() == post
    assert post not in services.review_queue(other_facilitator)
    assert post not in services.review_queue(other_coordinator)


def test_a_safety_word_in_a_post_that_waits_flags_it_too(settings, coordinator, group, thread):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    watch(coordinator, "pillen", "safety")
    newcomer = member_of(group).user
    post = reply(newcomer, thread, "Ik heb pillen gespaard. Bel 0470 12 34 56")
    assert post.is_pending
    assert post.hold_reasons == [Hold.CONTACT_DETAILS, Hold.FIRST_POSTS]
    assert post.safety_concern_since is not None
    assert emails("boards.safety_concern") == [coordinator.email]


def test_a_facilitator_who_writes_a_safety_word_is_not_told_of_it_themselves(
    coordinator, group, facilitator, thread
):
    other = facilitator_of(group).user
    watch(coordinator, "pillen", "safety")
    reply(facilitator, thread, "pillen")
    assert emails("boards.safety_concern") == sorted([other.email, coordinator.email])


def test_a_safety_concern_on_the_community_board_goes_to_the_authors_region(
    coordinator, other_coordinator, member, facilitator, community
):
    watch(coordinator, "pillen", "safety")
    services.start_thread(member, community, title="Hallo", body="pillen")
    assert emails("boards.safety_concern") == [coordinator.email]


def test_only_coordinators_manage_watched_words(coordinator, facilitator, member):
    for user in (facilitator, member):
        with pytest.raises(BoardError):
            watch(user, "spam", "block")
    word = watch(coordinator, "  gratis   pillen ", "hold")
    assert (word.word, word.created_by) == ("gratis pillen", coordinator)
    with pytest.raises(BoardError):
        watch(coordinator, "GRATIS PILLEN", "block")
    with pytest.raises(BoardError):
        watch(coordinator, "iets", "delete")
    with pytest.raises(BoardError):
        watch(coordinator, "   ", "hold")
    with pytest.raises(BoardError):
        services.remove_watched_word(facilitator, word)
    services.remove_watched_word(coordinator, word)
    assert not WatchedWord.objects.exists()


# Reports


@pytest.fixture
def post(thread):
    return thread.posts.get()


def test_a_report_keeps_its_reason_and_note_and_puts_the_post_in_the_queue(
    group, post, facilitator
):
    reporter = member_of(group).user
    services.report_post(reporter, post, reason="hurtful", note="  Dit doet pijn.  ")
    report = Report.objects.get()
    assert (report.post, report.reporter, report.reason, report.note) == (
        post,
        reporter,
        "hurtful",
        "Dit doet pijn.",
    )
    post = refreshed(post)
    assert post.is_published
    assert post.review_since is not None
    assert list(services.review_queue(facilitator)) == [post]
    assert not OutgoingEmail.objects.filter(kind="boards.safety_concern").exists()


def test_one_cannot_report_ones_own_post_or_report_twice(group, member, post):
    with pytest.raises(BoardError):
        services.report_post(member, post, reason="spam")
    reporter = member_of(group).user
    services.report_post(reporter, post, reason="spam")
    with pytest.raises(BoardError):
        services.report_post(reporter, post, reason="hurtful")
    assert Report.objects.count() == 1


def test_three_reporters_hide_the_post_until_a_moderator_decides(group, post, thread):
    reporters = [member_of(group).user for _ in range(3)]
    services.report_post(reporters[0], post, reason="hurtful")
    services.report_post(reporters[1], post, reason="spam")
    assert refreshed(post).is_published

    services.report_post(reporters[2], post, reason="identifying")

    post = refreshed(post)
    assert post.state == State.HIDDEN
    assert Hold.REPORTS in post.hold_reasons
    assert refreshed(thread).post_count == 0
    assert [(log.action, log.actor) for log in logs(post=post)] == [(Log.HIDDEN_BY_REPORTS, None)]
    # Hidden already: another report adds nothing.
    with pytest.raises(BoardError):
        services.report_post(member_of(group).user, post, reason="spam")


def test_reports_to_hide_is_a_setting(settings, group, post):
    settings.BOARDS_REPORTS_TO_HIDE = 1
    services.report_post(member_of(group).user, post, reason="spam")
    assert refreshed(post).state == State.HIDDEN


def test_a_safety_report_notifies_at_once_with_a_link_never_the_content(
    group, post, facilitator, coordinator, other_coordinator
):
    reporter = member_of(group).user
    services.report_post(reporter, post, reason="safety", note="Ik maak me zorgen.")
    post = refreshed(post)
    assert post.safety_concern_since is not None
    assert emails("boards.safety_concern") == sorted([facilitator.email, coordinator.email])
    link = reverse("boards:review", args=[post.code])
    for email in OutgoingEmail.objects.filter(kind="boards.safety_concern"):
        assert link in email.body_text and link in email.body_html
        for secret in (post.body, "Hoe slapen", "Slapen", "Ik maak me zorgen", group.name):
            assert secret not in email.body_text + email.body_html + email.subject
    # Only one report is needed to hide nothing: the post stays up until decided.
    assert post.is_published


def test_a_safety_concern_comes_first_in_the_queue_even_if_newer(group, member, facilitator):
    thread, _ = services.start_thread(member, group.board, title="Een", body="Een")
    older = reply(member, thread, "Twee")
    newer = reply(member, thread, "Drie")
    reporter = member_of(group).user
    with time_machine.travel("2027-01-01 10:00Z", tick=False):
        services.report_post(reporter, older, reason="spam")
    with time_machine.travel("2027-01-01 11:00Z", tick=False):
        services.report_post(reporter, newer, reason="safety")
    assert list(services.review_queue(facilitator)) == [newer, older]


@pytest.mark.parametrize(
    ("decide", "state"),
    [
        (lambda m, p: services.approve_post(m, p), State.PUBLISHED),
        (lambda m, p: services.hide_post(m, p, "Te veel details"), State.HIDDEN),
        (lambda m, p: services.reject_post(m, p, "Te veel details"), State.REJECTED),
        (
            lambda m, p: services.restore_post(m, services.hide_post(m, p), "Toch goed"),
            State.PUBLISHED,
        ),
    ],
)
def test_a_decision_takes_the_post_out_of_the_queue_and_handles_its_reports(
    group, post, facilitator, decide, state
):
    services.report_post(member_of(group).user, post, reason="safety")
    services.report_post(member_of(group).user, post, reason="hurtful")
    decide(facilitator, refreshed(post))
    post = refreshed(post)
    assert post.state == state
    assert (post.review_since, post.safety_concern_since) == (None, None)
    assert not post.reports.filter(handled_at__isnull=True).exists()
    assert not services.review_queue(facilitator).exists()


def test_a_new_safety_concern_after_one_was_handled_notifies_again(
    group, post, facilitator, coordinator
):
    services.report_post(member_of(group).user, post, reason="safety")
    services.approve_post(facilitator, refreshed(post))
    services.report_post(member_of(group).user, refreshed(post), reason="safety")
    assert emails("boards.safety_concern") == sorted([facilitator.email, coordinator.email] * 2)
    assert len(logs(Log.FLAGGED, post=post)) == 2


def test_reports_after_an_approval_start_counting_again(settings, group, post, facilitator):
    settings.BOARDS_REPORTS_TO_HIDE = 2
    services.report_post(member_of(group).user, post, reason="spam")
    services.approve_post(facilitator, refreshed(post))
    services.report_post(member_of(group).user, refreshed(post), reason="spam")
    assert refreshed(post).is_published


# Editing and deleting one's own post


def test_editing_keeps_the_old_text_for_the_moderators(member, post, thread):
    services.edit_post(member, post, body="Hoe **slapen** jullie nu?", content_warning="slaap")
    post = refreshed(post)
    assert post.body == "Hoe **slapen** jullie nu?"
    assert "<strong>slapen</strong>" in post.body_html
    assert post.content_warning == "slaap"
    assert post.edited_at is not None
    assert post.is_published
    assert post.search_text == "Slapen\nHoe **slapen** jullie nu?"
    revision = PostRevision.objects.get()
    assert (revision.post, revision.body, revision.edited_by, revision.reason) == (
        post,
        "Hoe slapen jullie?",
        member,
        "",
    )


def test_editing_a_phone_number_in_puts_the_post_back_in_the_queue(
    member, post, thread, facilitator
):
    services.edit_post(member, post, body="Bel me: 0470 12 34 56")
    post = refreshed(post)
    assert (post.state, post.hold_reasons) == (State.PENDING, [Hold.CONTACT_DETAILS])
    assert post.review_since is not None
    assert refreshed(thread).post_count == 0
    services.approve_post(facilitator, post)
    assert (refreshed(post).state, refreshed(thread).post_count) == (State.PUBLISHED, 1)


def test_editing_a_waiting_post_keeps_it_waiting_with_the_reasons_that_still_hold(
    settings, group, thread
):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    newcomer = member_of(group).user
    post = reply(newcomer, thread, "Bel 0470 12 34 56")
    assert post.hold_reasons == [Hold.CONTACT_DETAILS, Hold.FIRST_POSTS]
    services.edit_post(newcomer, post, body="Bel me maar via Echo")
    assert (refreshed(post).state, post.hold_reasons) == (State.PENDING, [Hold.FIRST_POSTS])


def test_others_cannot_edit_or_delete_a_post(group, post, facilitator, other_member):
    for user in (member_of(group).user, facilitator, other_member):
        with pytest.raises(BoardError):
            services.edit_post(user, post, body="Anders")
        with pytest.raises(BoardError):
            services.delete_post(user, post)
    assert refreshed(post).body == "Hoe slapen jullie?"


def test_a_deleted_post_stays_for_the_moderators(member, post, thread, facilitator):
    services.report_post(member_of(thread.board.group).user, post, reason="spam")
    services.delete_post(member, refreshed(post))
    post = refreshed(post)
    assert (post.state, post.review_since, post.body) == (
        State.DELETED,
        None,
        "Hoe slapen jullie?",
    )
    assert refreshed(thread).post_count == 0
    assert access.post_for_moderator(facilitator, post.code) == post
    with pytest.raises(BoardError):
        services.delete_post(member, post)
    with pytest.raises(BoardError):
        services.edit_post(member, post, body="Terug")
    for decide in (
        lambda: services.approve_post(facilitator, post),
        lambda: services.hide_post(facilitator, post),
        lambda: services.reject_post(facilitator, post, "Nee"),
        lambda: services.restore_post(facilitator, post),
    ):
        with pytest.raises(BoardError):
            decide()
    assert refreshed(post).state == State.DELETED


def test_deleting_a_waiting_post_counts_nothing_down(settings, group, thread):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    newcomer = member_of(group).user
    post = reply(newcomer, thread)
    services.delete_post(newcomer, post)
    assert refreshed(thread).post_count == 1


# Moderation


def test_rejecting_needs_a_reason_the_author_reads(settings, group, facilitator, thread):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    newcomer = member_of(group).user
    post = reply(newcomer, thread)
    with pytest.raises(BoardError):
        services.reject_post(facilitator, post, "   ")
    services.reject_post(facilitator, post, "Dit zegt te veel over iemand.")
    post = refreshed(post)
    assert (post.state, post.reject_reason) == (State.REJECTED, "Dit zegt te veel over iemand.")
    assert logs(Log.REJECTED, post=post)[0].reason == "Dit zegt te veel over iemand."


def test_rejecting_a_published_post_counts_it_down(facilitator, post, thread):
    services.reject_post(facilitator, post, "Nee")
    assert refreshed(thread).post_count == 0
    services.restore_post(facilitator, refreshed(post), "Toch wel")
    assert refreshed(thread).post_count == 1


def test_only_hidden_or_rejected_posts_are_restored(facilitator, post):
    with pytest.raises(BoardError):
        services.restore_post(facilitator, post)


def test_a_moderator_edit_needs_a_reason_and_keeps_a_revision(facilitator, member, post):
    with pytest.raises(BoardError):
        services.moderator_edit_post(
            facilitator, post, body="Ingekort", content_warning="", reason=" "
        )
    services.moderator_edit_post(
        facilitator, post, body="Ingekort", content_warning="  moeilijk ", reason="Naam weg"
    )
    post = refreshed(post)
    assert (post.body, post.content_warning, post.state) == ("Ingekort", "moeilijk", "published")
    revision = post.revisions.get()
    assert (revision.body, revision.edited_by, revision.reason) == (
        "Hoe slapen jullie?",
        facilitator,
        "Naam weg",
    )
    assert logs(Log.EDITED, post=post)[0].reason == "Naam weg"


def test_a_locked_thread_takes_replies_only_from_moderators(
    member, facilitator, coordinator, thread
):
    services.lock_thread(facilitator, thread, True)
    assert refreshed(thread).locked
    with pytest.raises(BoardError):
        reply(member, thread)
    assert reply(facilitator, thread).is_published
    assert reply(coordinator, thread).is_published
    services.lock_thread(facilitator, thread, False)
    assert reply(member, thread).is_published
    assert [log.action for log in logs(thread=thread)] == [Log.UNLOCKED, Log.LOCKED]


def test_pinning(facilitator, thread):
    services.pin_thread(facilitator, thread, True)
    assert refreshed(thread).pinned
    services.pin_thread(facilitator, thread, False)
    assert not refreshed(thread).pinned
    assert [log.action for log in logs(thread=thread)] == [Log.UNPINNED, Log.PINNED]


def test_pinning_or_locking_what_another_moderator_just_did_logs_nothing_more(
    facilitator, coordinator, thread
):
    as_seen = Thread.objects.get(pk=thread.pk)
    services.pin_thread(facilitator, thread, True)
    services.lock_thread(facilitator, thread, True)
    services.pin_thread(coordinator, as_seen, True)
    services.lock_thread(coordinator, as_seen, True)
    assert [log.actor for log in logs(thread=thread)] == [facilitator, facilitator]


def test_a_decision_on_a_post_another_moderator_just_decided_on_is_refused(
    settings, group, facilitator, coordinator, thread
):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    post = reply(member_of(group).user, thread)
    as_seen = Post.objects.get(pk=post.pk)
    services.approve_post(coordinator, post)
    with pytest.raises(BoardError):
        services.reject_post(facilitator, as_seen, "Nee")
    assert refreshed(post).state == State.PUBLISHED
    # Refused, the moderator holds the post as it is now and may decide on that.
    assert as_seen.state == State.PUBLISHED
    services.hide_post(facilitator, as_seen)
    assert (refreshed(post).state, refreshed(thread).post_count) == (State.HIDDEN, 1)
    assert [(a.action, a.actor) for a in logs(post=post)] == [
        (Log.HIDDEN, facilitator),
        (Log.APPROVED, coordinator),
    ]


def test_moving_needs_both_boards_and_is_logged_on_both(
    group, other_group, facilitator, coordinator, community, thread
):
    with pytest.raises(BoardError):
        services.move_thread(facilitator, thread, community, "Past beter daar")
    with pytest.raises(BoardError):
        services.move_thread(facilitator, thread, other_group.board)
    with pytest.raises(BoardError):
        services.move_thread(coordinator, thread, group.board)
    services.move_thread(coordinator, thread, community, "Past beter daar")
    assert refreshed(thread).board == community
    moved = logs(Log.MOVED, thread=thread)
    assert {log.board for log in moved} == {group.board, community}
    assert {(log.actor, log.reason) for log in moved} == {(coordinator, "Past beter daar")}


def test_a_mute_stops_posting_in_one_board_until_it_ends(
    group, member, facilitator, community, thread
):
    with time_machine.travel("2027-03-01 10:00Z", tick=False):
        with pytest.raises(BoardError):
            services.mute_member(facilitator, group.board, member, days=2)
        services.mute_member(facilitator, group.board, member, days=3, reason="Even rust")
        mute = Mute.objects.get()
        assert mute.until.isoformat() == "2027-03-04T10:00:00+00:00"
        assert services.may_post(member, group.board)
        with pytest.raises(BoardError):
            reply(member, thread)
        with pytest.raises(BoardError):
            services.start_thread(member, group.board, title="Toch", body="Toch")
        with pytest.raises(BoardError):
            services.edit_post(member, thread.posts.get(), body="Via een wijziging dan")
        # Elsewhere they write as before.
        assert services.may_post(member, community) is None
        services.start_thread(member, community, title="Elders", body="Hallo")
    with time_machine.travel("2027-03-04 09:59Z", tick=False), pytest.raises(BoardError):
        reply(member, thread)
    with time_machine.travel("2027-03-04 10:00Z", tick=False):
        assert reply(member, thread).is_published
    log = logs(Log.MUTED, board=group.board)[0]
    assert (log.actor, log.subject, log.reason) == (
        facilitator,
        member,
        "Even rust",
    )


def test_moderators_cannot_be_muted_on_their_board(group, facilitator, coordinator):
    other = facilitator_of(group).user
    with pytest.raises(BoardError):
        services.mute_member(coordinator, group.board, other, days=1)
    with pytest.raises(BoardError):
        services.mute_member(facilitator, group.board, facilitator, days=1)
    assert not Mute.objects.exists()


@pytest.mark.parametrize(("length", "days"), [("1", 1), ("3", 3), ("7", 7), ("30", 30)])
def test_a_suspension_lasts_its_length_and_stops_posting_everywhere(
    coordinator, member, group, community, thread, length, days
):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        services.suspend_member(coordinator, member.member, length=length, reason="Afspraken")
        suspension = Suspension.objects.get()
        assert (suspension.user, suspension.reason, suspension.created_by) == (
            member,
            "Afspraken",
            coordinator,
        )
        assert suspension.until == start + timedelta(days=days)
        for board in (group.board, community):
            assert services.may_post(member, board)
        with pytest.raises(BoardError):
            reply(member, thread)
        with pytest.raises(BoardError):
            services.start_thread(member, community, title="Hallo", body="Hallo")
    with time_machine.travel(start + timedelta(days=days), tick=False):
        assert reply(member, thread).is_published
    log = logs(Log.SUSPENDED)[0]
    assert (log.board, log.actor, log.subject, log.reason) == (
        community,
        coordinator,
        member,
        "Afspraken",
    )


def test_only_a_coordinator_of_the_members_region_suspends(
    coordinator, other_coordinator, facilitator, member
):
    for user in (other_coordinator, facilitator):
        with pytest.raises(BoardError):
            services.suspend_member(user, member.member, length="7", reason="Nee")
    with pytest.raises(BoardError):
        services.suspend_member(coordinator, member.member, length="2", reason="Nee")
    with pytest.raises(BoardError):
        services.suspend_member(coordinator, member.member, length="7", reason="  ")
    assert not Suspension.objects.exists()
    assert not ModerationAction.objects.exists()


MODERATION = {
    "approve": lambda m, t, p, b: services.approve_post(m, p),
    "reject": lambda m, t, p, b: services.reject_post(m, p, "Nee"),
    "hide": lambda m, t, p, b: services.hide_post(m, p, "Even weg"),
    "edit": lambda m, t, p, b: services.moderator_edit_post(
        m, p, body="Anders", content_warning="", reason="Waarom"
    ),
    "lock": lambda m, t, p, b: services.lock_thread(m, t, True),
    "pin": lambda m, t, p, b: services.pin_thread(m, t, True),
    "move": lambda m, t, p, b: services.move_thread(m, t, b, "Elders"),
    "mute": lambda m, t, p, b: services.mute_member(m, t.board, p.author, days=1),
    "settings": lambda m, t, p, b: services.set_approve_every_post(m, t.board, True),
}


@pytest.mark.parametrize("action", MODERATION)
def test_every_moderation_action_is_logged(coordinator, group, member, thread, action):
    post = thread.posts.get()
    before = ModerationAction.objects.count()
    MODERATION[action](coordinator, thread, post, services.community_board())
    new = ModerationAction.objects.order_by("pk")[before:]
    assert new, action
    assert all(log.actor == coordinator for log in new)


@pytest.mark.parametrize("action", MODERATION)
def test_who_does_not_moderate_the_board_cannot_moderate(
    member, other_facilitator, other_coordinator, thread, action
):
    post = thread.posts.get()
    board = services.community_board()
    for user in (member_of(thread.board.group).user, other_facilitator, other_coordinator):
        with pytest.raises(BoardError):
            MODERATION[action](user, thread, post, board)
    assert not ModerationAction.objects.exists()
    assert refreshed(post).state == State.PUBLISHED
    assert not refreshed(thread).locked


def test_the_moderation_log_shows_only_the_boards_one_moderates(
    group,
    other_group,
    limburg_group,
    facilitator,
    other_facilitator,
    coordinator,
    other_coordinator,
    community,
    thread,
):
    services.pin_thread(facilitator, thread)
    other_thread = ThreadFactory(board=other_group.board)
    services.lock_thread(other_facilitator, other_thread)
    community_thread = ThreadFactory(board=community)
    services.pin_thread(coordinator, community_thread)
    limburg_thread = ThreadFactory(board=limburg_group.board)
    services.pin_thread(other_coordinator, limburg_thread)

    def threads(user):
        return {log.thread for log in services.moderation_log(user)}

    assert threads(facilitator) == {thread}
    assert threads(other_facilitator) == {other_thread}
    assert threads(coordinator) == {thread, other_thread, community_thread}
    assert threads(other_coordinator) == {community_thread, limburg_thread}
    assert threads(member_of(group).user) == set()


# Erasure


def test_deleting_someones_posts_keeps_the_replies_of_others(group, member, facilitator):
    theirs, _ = services.start_thread(member, group.board, title="Van mij", body="Een")
    reply(member, theirs, "Twee")
    others_reply = reply(facilitator, theirs, "Antwoord")
    lonely, _ = services.start_thread(member, group.board, title="Alleen", body="Niemand")
    elsewhere, _ = services.start_thread(facilitator, group.board, title="Ander", body="Hoi")
    reply(member, elsewhere, "Ik ook")
    kept = reply(facilitator, elsewhere, "Fijn")

    services.delete_posts_of(member)

    assert not Post.objects.filter(author=member).exists()
    assert not Thread.objects.filter(pk=lonely.pk).exists()
    assert list(refreshed(theirs).posts.all()) == [others_reply]
    assert (theirs.post_count, theirs.published) == (1, True)
    assert list(refreshed(elsewhere).posts.all()) == [elsewhere.posts.first(), kept]
    assert elsewhere.post_count == 2


def test_when_an_account_is_simply_deleted_its_posts_stay_as_a_former_member(
    group, member, facilitator
):
    thread, post = services.start_thread(member, group.board, title="Van mij", body="Een")
    reply(facilitator, thread, "Antwoord")
    member.delete()
    post = refreshed(post)
    assert (post.author, post.state, post.body) == (None, State.PUBLISHED, "Een")
    assert refreshed(thread).author is None
    assert thread.post_count == 2


def test_a_coordinators_account_writes_too(coordinator, community):
    thread, post = services.start_thread(coordinator, community, title="Welkom", body="Dag")
    assert post.author == coordinator
    assert post.is_published


def test_a_user_without_a_member_and_not_a_coordinator_reads_nothing(db, community):
    user = UserFactory()
    assert not Board.objects.readable_by(user).exists()


def test_who_reads_a_board_mirrors_which_boards_a_person_reads(
    role_users, group, other_group, limburg_group, community, staff
):
    """Board.readers() asks about many people at once (the followers of a
    thread); it must say what readable_by says of each of them."""
    archived = GroupFactory(name="Vroeger", archived_at=timezone.now())
    people = [user for user in role_users.values() if user is not None]
    people += [member_of(archived).user, facilitator_of(archived).user, UserFactory()]
    paused = member_of(group)
    paused.status = Member.Status.PAUSED
    paused.save()
    people.append(paused.user)
    boards = [group.board, other_group.board, limburg_group.board, archived.board, community, staff]
    for board in boards:
        readers = set(board.readers())
        for user in people:
            user = refreshed(user)
            reads = Board.objects.readable_by(user).filter(pk=board.pk).exists()
            assert (user in readers) == reads, (board, user)


# Quoting, following, reading, preferences


def test_a_reply_quotes_only_a_published_post_of_its_own_thread(settings, group, member, thread):
    opening = thread.posts.get()
    other_thread, elsewhere = services.start_thread(member, group.board, title="Ander", body="Ja")
    quoting = services.reply(member, thread, body="Precies", quote=opening)
    assert quoting.quote == opening
    assert services.reply(member, thread, body="Hier", quote=elsewhere).quote is None
    settings.BOARDS_FIRST_POSTS_HELD = 3
    waiting = reply(member_of(group).user, thread, "Ik wacht")
    assert services.reply(member, thread, body="Dit", quote=waiting).quote is None


def test_following_reading_and_preferences(member, facilitator, thread):
    from boards.models import BoardRead, Follow, Preferences, ThreadRead

    assert Follow.objects.filter(thread=thread, user=member).exists()
    services.follow(facilitator, thread)
    services.follow(facilitator, thread)
    assert Follow.objects.filter(thread=thread).count() == 2
    services.follow(facilitator, thread, following=False)
    assert not Follow.objects.filter(thread=thread, user=facilitator).exists()

    with time_machine.travel("2027-03-01 10:00Z", tick=False):
        services.mark_thread_read(member, thread)
        services.mark_board_read(member, thread.board)
    with time_machine.travel("2027-03-02 10:00Z", tick=False):
        services.mark_thread_read(member, thread)
    assert ThreadRead.objects.get(user=member).read_at.isoformat() == "2027-03-02T10:00:00+00:00"
    assert BoardRead.objects.get(user=member).read_at.isoformat() == "2027-03-01T10:00:00+00:00"

    assert Preferences.of(member).emails == Preferences.Emails.EACH_REPLY
    assert Preferences.of(member).pk is None
    services.save_preferences(member, emails="digest", fold_warnings=True)
    services.save_preferences(member, emails="none", fold_warnings=True)
    preferences = Preferences.of(member)
    assert (preferences.emails, preferences.fold_warnings) == ("none", True)
    assert Preferences.objects.count() == 1


def test_a_suspension_is_in_the_log_of_the_members_region_only(
    member, coordinator, other_coordinator
):
    services.suspend_member(coordinator, member.member, length="1", reason="Afspraken")

    assert [e.action for e in services.moderation_log(coordinator)] == [Log.SUSPENDED]
    assert not services.moderation_log(other_coordinator).filter(action=Log.SUSPENDED).exists()


def test_the_log_forgets_who_was_suspended_once_they_are_erased(member, coordinator):
    from members.services import erase_account

    services.suspend_member(coordinator, member.member, length="1", reason="Afspraken")
    erase_account(member)

    entry = logs(Log.SUSPENDED)[0]
    assert entry.subject is None
    assert entry.reason == "Afspraken"


def test_once_approved_a_post_is_reported_for_what_it_is_not_for_why_it_waited(
    group, member, facilitator
):
    thread, post = services.start_thread(member, group.board, title="Hallo", body="Ik ben nieuw")
    services.approve_post(facilitator, post)
    reader = member_of(group).user

    services.report_post(reader, post, reason=Report.Reason.HURTFUL)

    (waiting,) = services.review_queue(facilitator)
    assert waiting == post
    assert waiting.hold_reasons == []
    assert [r.reason for r in waiting.reports.all()] == [Report.Reason.HURTFUL]
