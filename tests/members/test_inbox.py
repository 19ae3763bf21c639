"""Notices inside Echo: every notice Echo sends is also kept in Echo, worded
when read in the reader's language, shown only while the reader may still
see what it is about; emails are each person's choice (full, unnamed,
discreet, none)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from boards import services as boards
from boards.models import Follow
from echo.models import OutgoingEmail
from events import services as events
from groups import services as groups
from groups.models import GroupMessage
from members import inbox, services
from members.models import Member, Notice

from ..factories import ApplicantFactory, MeetingFactory, english, member_of

pytestmark = pytest.mark.django_db

SECRET = "Dinsdag komen we samen in het park."


@pytest.fixture(autouse=True)
def no_first_posts_held(settings):
    settings.BOARDS_FIRST_POSTS_HELD = 0


def page(response):
    return response.content.decode()


def unread_in_navigation(client):
    return client.get(reverse("members:notices")).context["unread_notices"]


def write(facilitator, group, text=SECRET):
    return groups.write_to_group(facilitator.member, group, text)


# The choice of emails


def test_a_new_member_starts_with_discreet_emails(django_user_model):
    user = django_user_model.objects.create_user("nieuw@example.org", "x")
    member = services.submit_application(
        user,
        pseudonym="Nieuw",
        region="antwerpen",
        contact_preference="email",
        phone="",
        message="",
    )
    assert member.emails == Member.Emails.DISCREET


@pytest.mark.parametrize(
    "choice, emailed, names_group, holds_text",
    [
        ("full", True, True, True),
        ("unnamed", True, False, True),
        ("discreet", True, False, False),
        ("none", False, False, False),
    ],
)
def test_each_choice_of_emails_says_what_it_promises_and_the_notice_is_in_echo_anyway(
    group, facilitator, choice, emailed, names_group, holds_text, django_capture_on_commit_callbacks
):
    reader = member_of(group, emails=choice, user__language="en")

    with django_capture_on_commit_callbacks(execute=True):
        write(facilitator, group)

    sent = [m for m in mail.outbox if m.to == [reader.user.email]]
    assert len(sent) == int(emailed)
    if sent:
        assert (SECRET in sent[0].body) == holds_text
        assert (group.name in sent[0].body + sent[0].subject) == names_group
        assert reverse("groups:group", args=[group.code]) in sent[0].body
    (notice,) = inbox.worded(inbox.notices_of(reader.user), reader.user)
    assert SECRET in notice.text


def test_the_email_page_saves_the_choice_and_says_what_each_means(client, member):
    english(member)
    client.force_login(member)

    shown = page(client.get(reverse("members:emails")))
    client.post(reverse("members:emails"), {"emails": "none"})

    assert "only that there is news" in shown and "still come" in shown
    member.member.refresh_from_db()
    assert member.member.emails == Member.Emails.NONE


def test_without_emails_sign_in_and_security_emails_still_come(
    client, member, django_capture_on_commit_callbacks
):
    Member.objects.filter(user=member).update(emails=Member.Emails.NONE)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})

    assert [m.to for m in mail.outbox] == [[member.email]]


# The inbox


def test_a_discreet_member_reads_a_facilitators_message_only_inside_echo(
    client, group, facilitator, member, django_capture_on_commit_callbacks
):
    Member.objects.filter(user=member).update(emails=Member.Emails.DISCREET)
    english(member)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        write(facilitator, group)
    (email,) = mail.outbox
    assert SECRET not in email.body and group.name not in email.body
    assert unread_in_navigation(client) == 1

    listed = page(client.get(reverse("members:notices")))
    notice = Notice.objects.get(user=member)
    opened = client.get(reverse("members:notice", args=[notice.code]))

    assert "Message from a facilitator" in listed
    assert SECRET in page(opened)
    assert reverse("groups:group", args=[group.code]) in page(opened)
    assert SECRET in page(client.get(reverse("groups:group", args=[group.code])))
    assert unread_in_navigation(client) == 0


def test_a_notice_is_worded_in_the_language_the_reader_reads_echo_in_now(
    client, group, facilitator, member
):
    write(facilitator, group)
    notice = Notice.objects.get(user=member)
    client.force_login(member)

    for language, words in [
        ("en", "A facilitator of"),
        ("fr", "Une personne qui anime le groupe"),
        ("nl", "Een begeleider van"),
    ]:
        member.language = language
        member.save(update_fields=["language"])
        assert words in page(client.get(reverse("members:notice", args=[notice.code])))


def test_free_text_is_not_copied_into_a_notice(group, facilitator, member):
    message = write(facilitator, group)
    stored = list(Notice.objects.values_list("params", "url", "target", "template"))
    assert SECRET not in repr(stored)
    assert Notice.objects.get(user=member).target == message.code


def test_kind_words_written_to_someone_removed_are_not_copied_into_their_notice(
    group, facilitator, member
):
    words = "Het spijt me, we wensen je het beste"
    groups.remove_from_group(facilitator, group, member.member, message=words)
    notice = Notice.objects.get(user=member, kind="groups.removed")
    assert words not in repr(notice.params)
    assert notice.params.get("message") is None


def test_someone_elses_notice_is_not_found(client, group, facilitator, member, other_member):
    write(facilitator, group)
    client.force_login(other_member)
    notice = Notice.objects.get(user=member)
    assert client.get(reverse("members:notice", args=[notice.code])).status_code == 404
    assert not list(inbox.notices_of(other_member))


def test_mark_all_read_and_clear_the_read_ones(client, group, facilitator, member):
    write(facilitator, group)
    write(facilitator, group, "Tweede bericht")
    client.force_login(member)
    first = Notice.objects.filter(user=member).last()
    client.get(reverse("members:notice", args=[first.code]))
    assert unread_in_navigation(client) == 1

    client.post(reverse("members:clear_notices"))
    assert Notice.objects.filter(user=member).count() == 1
    client.post(reverse("members:read_all_notices"))
    assert unread_in_navigation(client) == 0
    client.post(reverse("members:clear_notices"))
    assert not Notice.objects.filter(user=member).exists()


def test_old_notices_are_deleted_by_the_daily_task(settings, group, facilitator, member):
    settings.NOTICE_DAYS = 90
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        write(facilitator, group, "Oud")
    write(facilitator, group, "Nieuw")

    assert inbox.delete_old_notices() == 1
    assert Notice.objects.filter(user=member).count() == 1


def test_a_notice_sent_twice_is_kept_once(group, member, facilitator):
    message = GroupMessage.objects.create(group=group, author=facilitator.member, text="x")
    from groups import emails
    from members.notifications import notify

    for _ in range(2):
        notify(
            member,
            "groups/notices/group_message.txt",
            kind=emails.MESSAGE,
            key=emails.MESSAGE.key(message.code, member.member.code),
            target=message,
            group=group,
            message=message,
        )
    assert Notice.objects.filter(user=member).count() == 1


def test_the_unread_count_costs_one_query_or_two_however_many_notices(
    client, group, facilitator, member, django_assert_num_queries
):
    from django.template import Context, Template

    from members.context_processors import unread_notices

    request = client.get(reverse("members:notices")).wsgi_request
    request.user = member
    with django_assert_num_queries(1):  # nothing unread: no access rule to apply
        none = Template("{{ unread_notices }}").render(Context(unread_notices(request)))
    assert none == "0"
    write(facilitator, group)
    request.user = member
    assert member.member  # read with the account on every page (members.backends)
    count = "{% if unread_notices %}{{ unread_notices }}{% endif %}"

    # The roles the count asks about are worked out once per request (the menu needs them).
    Template(count).render(Context(unread_notices(request)))
    # The kinds of target unread, then the count under their access rules.
    with django_assert_num_queries(2):
        few = Template(count).render(Context(unread_notices(request)))
    for _ in range(5):
        write(facilitator, group)
    with django_assert_num_queries(2):
        many = Template(count).render(Context(unread_notices(request)))
    assert (few, many) == ("1", "6")


# What a notice may show: the rules of the page it links to


def test_notices_about_a_group_go_when_one_leaves_it(client, group, facilitator, member):
    meeting = MeetingFactory(group=group)
    events.answer(member.member, meeting, going=True)
    write(facilitator, group)
    events.cancel_meeting(facilitator, meeting)
    client.force_login(member)
    assert unread_in_navigation(client) == 2
    codes = list(Notice.objects.filter(user=member).values_list("code", flat=True))

    groups.leave_group(member, group, member.member)

    assert unread_in_navigation(client) == 0
    assert not page(client.get(reverse("members:notices"))).count("members/notice")
    for code in codes:
        assert client.get(reverse("members:notice", args=[code])).status_code == 404


def test_a_reply_notice_goes_with_the_board_one_no_longer_reads(group, member, other_member):
    thread, _post = boards.start_thread(member, boards.community_board(), title="T", body="B")
    group_thread, _post = boards.start_thread(member, group.board, title="G", body="B")
    reader = member_of(group).user
    for followed in (thread, group_thread):
        Follow.objects.create(thread=followed, user=reader)
    boards.reply(member, thread, body="Antwoord")
    boards.reply(member, group_thread, body="Antwoord")
    assert inbox.notices_of(reader).count() == 2

    groups.leave_group(reader, group, reader.member)

    (left,) = inbox.worded(inbox.notices_of(reader), reader)
    assert left.url == reverse("boards:thread", args=[thread.code])


def test_a_reply_notice_goes_when_the_reply_is_hidden(group, member, facilitator):
    thread, _opening = boards.start_thread(member, group.board, title="T", body="B")
    reader = member_of(group).user
    Follow.objects.create(thread=thread, user=reader)
    reply = boards.reply(member, thread, body="Antwoord")
    assert inbox.notices_of(reader).count() == 1

    boards.hide_post(facilitator, reply, "")

    assert inbox.notices_of(reader).count() == 0


def test_a_join_request_notice_goes_with_the_facilitator_role(coordinator, group, facilitator):
    newcomer = ApplicantFactory(status=Member.Status.ACTIVE)
    groups.ask_to_join(newcomer, group, "Graag")
    assert inbox.notices_of(facilitator).count() == 1

    groups.remove_facilitator(coordinator, group, facilitator.member)

    assert inbox.notices_of(facilitator).count() == 0


def test_a_moderators_decision_tells_the_author_why_inside_echo_only(
    client, group, member, facilitator, django_capture_on_commit_callbacks
):
    english(member)
    thread, _opening = boards.start_thread(member, group.board, title="T", body="B")
    post = boards.reply(member, thread, body="Mijn verhaal")
    with django_capture_on_commit_callbacks(execute=True):
        boards.reject_post(facilitator, post, "Te veel details over een adres.")

    (email,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "adres" not in email.body
    (notice,) = inbox.worded(inbox.notices_of(member), member)
    assert "Te veel details over een adres." in notice.text
    assert notice.url == reverse("boards:thread", args=[thread.code])


def test_a_promotion_and_a_reminder_for_someone_without_emails_are_notices_only(
    group, facilitator, member, django_capture_on_commit_callbacks
):
    from events import reminders

    Member.objects.filter(user=member).update(emails=Member.Emails.NONE)
    meeting = MeetingFactory(group=group, capacity=1)
    seated = member_of(group)
    events.answer(seated, meeting, going=True)
    events.answer(member.member, meeting, going=True)
    events.answer(seated, meeting, going=False)
    with time_machine.travel(meeting.starts_at - timedelta(hours=1, minutes=30), tick=False):
        reminders.queue_due_reminders()
        reminders.queue_due_reminders()

    assert not OutgoingEmail.objects.filter(to=member.email).exists()
    kinds = sorted(Notice.objects.filter(user=member).values_list("kind", flat=True))
    assert kinds == ["events.promoted", "events.reminder", "events.reminder"]
    reminder = inbox.worded(Notice.objects.filter(kind="events.reminder")[:1], member)[0]
    assert meeting.address not in reminder.text


def test_intake_messages_and_decisions_are_notices_of_the_applicant(coordinator):
    application = ApplicantFactory(user__language="en")
    services.message_applicant(coordinator, application, "Bel je me dinsdag?")
    services.put_application_on_hold(coordinator, application)
    services.approve_application(coordinator, application)

    with translation.override("en"):  # the language the reader reads Echo in now
        texts = [n.text for n in inbox.worded(inbox.notices_of(application.user), application.user)]

    assert "your membership of Echo has started" in texts[0]
    assert "on hold" in texts[1]
    assert "The coordinator wrote to you" in texts[2]
    assert "Bel je me" not in " ".join(texts)


# The group page


def test_the_group_page_shows_the_facilitators_messages_newest_first_in_pages(
    client, group, facilitator, member, coordinator
):
    for number in range(12):
        with time_machine.travel(timezone.now() + timedelta(minutes=number)):
            write(facilitator, group, f"Bericht nummer {number}.")
    meeting = MeetingFactory(group=group)
    events.answer(member.member, meeting, going=True)
    events.write_to_those_going(facilitator.member, meeting, "Alleen voor wie komt.")
    client.force_login(member)

    first = page(client.get(reverse("groups:group", args=[group.code])))
    second = page(client.get(reverse("groups:group", args=[group.code]) + "?messages=2"))

    assert first.index("Bericht nummer 11.") < first.index("Bericht nummer 2.")
    assert "Bericht nummer 1." not in first and "Bericht nummer 1." in second
    assert "Alleen voor wie komt." not in first + second
    client.force_login(coordinator)
    assert "Bericht nummer" not in page(client.get(reverse("groups:group", args=[group.code])))


# The migration from the two booleans


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_members_choice_of_emails():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(target):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([target])
        return executor.loader.project_state([target]).apps

    before = ("members", "0009_encrypt_suspension_reason")
    try:
        old = migrate(before)
        User, OldMember = old.get_model("members", "User"), old.get_model("members", "Member")
        chosen = {
            "discreet": (True, False),
            "full": (False, True),
            "unnamed": (False, False),
            "both": (True, True),  # discreet said less, and won
        }
        for name, (discreet, full) in chosen.items():
            OldMember.objects.create(
                user=User.objects.create(email=f"{name}@example.org", password="!"),
                pseudonym=name,
                region="antwerpen",
                privacy_version="2026-01",
                privacy_agreed_at=timezone.now(),
                discreet_emails=discreet,
                full_emails=full,
            )

        migrate(("members", "0010_notices_and_email_choice"))

        assert dict(Member.objects.values_list("pseudonym", "emails")) == {
            "discreet": "discreet",
            "full": "full",
            "unnamed": "unnamed",
            "both": "discreet",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
