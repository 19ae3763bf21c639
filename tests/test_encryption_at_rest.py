"""A dump of the database holds none of what Echo promises to encrypt.

A journey writes every kind of confidential field (an application with a
phone number and a message to the coordinator, the intake, a decision, a
request to join, group messages, meetings and a series with their places, a
report, every kind of moderation reason, a second factor), while the mail
server is down, so that the emails carrying intake messages, group messages
and meeting places wait in the outbox as failed. Then the whole database is
dumped, as a backup or a thief would (pg_dump on PostgreSQL, the dump of
sqlite3 on SQLite), and none of the marker strings may be in it."""

import os
import sqlite3
import subprocess
from contextlib import closing
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.db import connection
from django.utils import timezone

from boards import services as boards
from boards.models import ModerationAction, Mute, Post, PostRevision, Report
from echo.models import OutgoingEmail
from events import reminders
from events import services as events
from events.models import Meeting, Series
from groups import services as groups
from groups.models import GroupMessage, JoinRequest, SupportRequest
from members import services as members
from members.models import IntakeMessage, IntakeNote, StatusChange, Suspension

from .factories import (
    TOTP_SECRET,
    ApplicantFactory,
    CoordinatorFactory,
    GroupFactory,
    facilitator_of,
    member_of,
)

# Each marker is written once, into the field named beside it. Spaces and
# punctuation keep a marker from turning up inside a base64 token by chance.
MARKERS = {
    "phone": "+32 470 55 51 23",
    "message_to_coordinator": "Marker: mijn oom, de zomer van 1994",
    "intake_note": "Marker: vertelde over het internaat",
    "intake_message": "Marker: kun je donderdag om tien uur bellen?",
    "intake_reply": "Marker: liever vrijdag, na de middag",
    "decision_reason": "Marker: past goed in een groep",
    "join_request_note": "Marker: ik ken de facilitator van vroeger",
    "group_message": "Marker: volgende keer in het zaaltje boven",
    "support_note": "Marker: het lukt me even niet",
    "meeting_address": "Marker: Zilverstraat 17, 2000 Antwerpen",
    "meeting_notes": "Marker: bel twee keer bij de groene deur",
    "meeting_link": "https://meet.example.org/marker-vergadering-zeven",
    "series_address": "Marker: Koperstraat 3, 2000 Antwerpen",
    "series_notes": "Marker: de lift is achteraan",
    "series_link": "https://meet.example.org/marker-reeks-acht",
    "report_note": "Marker: dit noemt een school bij naam",
    "reject_reason": "Marker: noemt een leraar bij naam",
    "moderator_edit_reason": "Marker: een telefoonnummer weggehaald",
    "hide_reason": "Marker: tijdelijk weg tot we erover praten",
    "mute_reason": "Marker: bleef namen noemen in de groep",
    "suspension_reason": "Marker: bedreigde een ander lid",
    "totp_secret": TOTP_SECRET,
}


def dump_database():
    """The whole database as SQL text, from outside this connection."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(db["NAME"])) as other:
            return "\n".join(other.iterdump())
    assert connection.vendor == "postgresql", connection.vendor
    command = ["pg_dump", "--no-owner", "--no-privileges", "--dbname", db["NAME"]]
    for option, value in [
        ("--host", db["HOST"]),
        ("--port", db["PORT"]),
        ("--username", db["USER"]),
    ]:
        if value:
            command += [option, str(value)]
    env = {"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {}
    # No skip when pg_dump is missing: the promise is checked on both backends.
    result = subprocess.run(  # noqa: S603 (a fixed program, our own arguments)
        command,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=os.environ | env,
    )
    return result.stdout


def the_journey():
    """Every kind of confidential field, written through Echo's own services."""
    now = timezone.now()
    coordinator = CoordinatorFactory()  # its second factor: TOTP_SECRET
    RecoveryCodes.activate(coordinator)
    group = GroupFactory(name="Dinsdaggroep")
    facilitator = facilitator_of(group)
    member = member_of(group, pseudonym="Zeewind")
    newcomer = member_of(GroupFactory(name="Woensdaggroep"))

    # Joining: the application, the intake and the decision.
    applicant = ApplicantFactory(
        phone=MARKERS["phone"],
        contact_preference="phone",
        message_to_coordinator=MARKERS["message_to_coordinator"],
    )
    members.start_intake(coordinator, applicant)
    members.add_intake_note(coordinator, applicant, MARKERS["intake_note"])
    members.message_applicant(coordinator, applicant, MARKERS["intake_message"])
    members.reply_to_coordinator(applicant, MARKERS["intake_reply"])
    members.approve_application(coordinator, applicant, MARKERS["decision_reason"])

    # Groups: a request to join and a message to the group.
    groups.ask_to_join(newcomer, group, MARKERS["join_request_note"])
    groups.write_to_group(facilitator, group, MARKERS["group_message"])
    # "I'm having a hard time", to the group's facilitators.
    groups.ask_for_support(member, group, MARKERS["support_note"])

    # Meetings: one in person and one online, in three hours, and a series.
    soon = now + timedelta(hours=3)
    in_person = events.plan_meeting(
        facilitator,
        group,
        starts_at=soon,
        duration=timedelta(hours=2),
        address=MARKERS["meeting_address"],
        practical_notes=MARKERS["meeting_notes"],
    )
    online = events.plan_meeting(
        facilitator,
        group,
        starts_at=soon + timedelta(minutes=1),
        duration=timedelta(hours=1),
        place_kind="online",
        online_link=MARKERS["meeting_link"],
    )
    events.plan_series(
        facilitator,
        group,
        frequency="two_weekly",
        starts_on=timezone.localdate() + timedelta(days=7),
        start_time=(now + timedelta(hours=1)).time(),
        duration=timedelta(hours=2),
        count=2,
        address=MARKERS["series_address"],
        practical_notes=MARKERS["series_notes"],
        online_link=MARKERS["series_link"],
    )
    events.answer(member, in_person, True)
    events.answer(member, online, True)
    # An hour later the reminders "in two hours" are due, and fail.
    with time_machine.travel(now + timedelta(minutes=61)):
        assert reminders.queue_due_reminders() == 2

    # Boards: a report and every kind of moderation reason.
    board = group.board
    author = member.user
    _thread, held = boards.start_thread(author, board, title="Slapen", body="Hoe slapen?")
    boards.reject_post(coordinator, held, MARKERS["reject_reason"])
    _thread, post = boards.start_thread(author, board, title="Lezen", body="Wat lezen jullie?")
    boards.approve_post(coordinator, post)
    boards.report_post(facilitator.user, post, reason="identifying", note=MARKERS["report_note"])
    post.refresh_from_db()
    boards.moderator_edit_post(
        coordinator,
        post,
        body="Wat lezen jullie deze week?",
        content_warning="",
        reason=MARKERS["moderator_edit_reason"],
    )
    boards.hide_post(coordinator, post, MARKERS["hide_reason"])
    boards.mute_member(coordinator, board, author, days=3, reason=MARKERS["mute_reason"])
    boards.suspend_member(coordinator, newcomer, length="7", reason=MARKERS["suspension_reason"])
    return coordinator, applicant, group


def written(coordinator, applicant, group):
    """Each marker, read back through Echo: proof the journey wrote it."""
    meetings = Meeting.objects.filter(group=group, series=None)
    series = Series.objects.get(group=group)
    applicant.refresh_from_db()
    revision = PostRevision.objects.get()
    seed = Authenticator.objects.get(user=coordinator, type="recovery_codes").data["seed"]
    mfa = get_mfa_adapter()
    return {
        "phone": applicant.phone,
        "message_to_coordinator": applicant.message_to_coordinator,
        "intake_note": IntakeNote.objects.get(member=applicant).text,
        "intake_message": IntakeMessage.objects.get(from_applicant=False).text,
        "intake_reply": IntakeMessage.objects.get(from_applicant=True).text,
        "decision_reason": StatusChange.objects.get(member=applicant, to_status="active").reason,
        "join_request_note": JoinRequest.objects.get().note,
        "group_message": GroupMessage.objects.get().text,
        "support_note": SupportRequest.objects.get().note,
        "meeting_address": meetings.get(place_kind="in_person").address,
        "meeting_notes": meetings.get(place_kind="in_person").practical_notes,
        "meeting_link": meetings.get(place_kind="online").online_link,
        "series_address": series.address,
        "series_notes": series.practical_notes,
        "series_link": series.online_link,
        "report_note": Report.objects.get().note,
        "reject_reason": Post.objects.get(state="rejected").reject_reason,
        "moderator_edit_reason": revision.reason,
        "hide_reason": ModerationAction.objects.get(action="hidden").reason,
        "mute_reason": Mute.objects.get().reason,
        "suspension_reason": Suspension.objects.get().reason,
        "totp_secret": mfa.decrypt(
            Authenticator.objects.get(user=coordinator, type="totp").data["secret"]
        ),
        "recovery_seed": mfa.decrypt(seed),
    }


@pytest.mark.django_db(transaction=True)
def test_a_dump_during_a_mail_outage_holds_no_confidential_plain_text(settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    # The mail server refuses everything, one email or a batch over one connection.
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("mail down"),
    ):
        coordinator, applicant, group = the_journey()

    read_back = written(coordinator, applicant, group)
    markers = MARKERS | {"recovery_seed": read_back["recovery_seed"]}
    assert read_back == markers
    # The outage left the emails with the intake message, the group message
    # and the places waiting in the outbox, unsent: failed, or given back
    # untried by the batch that met the outage.
    unsent = OutgoingEmail.objects.exclude(state=OutgoingEmail.State.SENT)
    bodies = "\n".join(email.body_text + email.body_html for email in unsent)
    for name in [
        "intake_message",
        "group_message",
        "meeting_address",
        "meeting_notes",
        "meeting_link",
    ]:
        assert MARKERS[name] in bodies, name

    dump = dump_database()

    assert "Zeewind" in dump  # the dump holds the journey (pseudonyms are not encrypted)
    found = {name: marker for name, marker in markers.items() if marker in dump}
    assert not found, f"In plain text in a dump of the database: {sorted(found)}"
