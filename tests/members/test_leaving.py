import json
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import services as boards_services
from echo.models import AuditEntry, OutgoingEmail
from groups import services as groups_services
from members import services, tasks
from members.models import IntakeMessage, IntakeNote, Member, StatusChange, User

from ..factories import (
    PASSWORD,
    ApplicantFactory,
    GroupFactory,
    MeetingFactory,
    MemberFactory,
    PostFactory,
    ThreadFactory,
    facilitator_of,
    member_of,
)

pytestmark = pytest.mark.django_db


def reauthenticate(client, user):
    """Sign in and confirm the password again, as sensitive steps ask."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_export_asks_to_re_authenticate_then_holds_everything_decrypted(client, coordinator):
    applicant = ApplicantFactory(phone="+32470123456", contact_preference="phone")
    services.message_applicant(coordinator, applicant, "Wanneer past het?")
    services.reply_to_coordinator(applicant, "Dinsdagavond")
    client.force_login(applicant.user)
    assert "/accounts/reauthenticate/" in client.get(reverse("members:export")).url

    reauthenticate(client, applicant.user)
    response = client.get(reverse("members:export"))

    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == applicant.user.email
    assert data["membership"]["pseudonym"] == applicant.pseudonym
    assert data["membership"]["phone"] == "+32470123456"
    assert data["membership"]["message_to_coordinator"] == "Ik wil graag praten."
    assert [(m["from"], m["text"]) for m in data["membership"]["intake_messages"]] == [
        ("coordinator", "Wanneer past het?"),
        ("you", "Dinsdagavond"),
    ]
    assert AuditEntry.objects.filter(action="members.data.exported").exists()


def test_export_says_intake_notes_exist_but_never_holds_what_coordinators_wrote(
    client, coordinator
):
    """Whoever knows a member's password must not read the coordinators'
    notes about them: the export counts them and says where to ask."""
    applicant = ApplicantFactory(user__language="en")
    services.add_intake_note(coordinator, applicant, "Eerste gesprek: vertrouwelijk")
    services.add_intake_note(coordinator, applicant, "Tweede gesprek: vertrouwelijk")
    services.put_application_on_hold(coordinator, applicant, "Wacht op een rustiger moment")
    reauthenticate(client, applicant.user)

    response = client.get(reverse("members:export"))

    data = json.loads(response.content)
    written = data["membership"]["written_by_coordinators"]
    assert (written["intake_notes"], written["decision_reasons"]) == (2, 1)
    assert "ask the coordinator of your region" in written["about"]
    assert "vertrouwelijk" not in response.content.decode()
    assert "rustiger moment" not in response.content.decode()
    assert [(c["from"], c["to"]) for c in data["membership"]["history"]] == [("applied", "on_hold")]


def test_export_holds_what_a_member_wrote_to_moderators_and_to_their_group(client, group):
    facilitator = facilitator_of(group)
    post = PostFactory(thread=ThreadFactory(board=group.board, author=facilitator.user))
    reporter = member_of(group).user
    boards_services.report_post(reporter, post, reason="spam", note="Dit klopt niet")
    groups_services.write_to_group(facilitator, group, "Tot dinsdag allemaal")

    reauthenticate(client, reporter)
    reports = json.loads(client.get(reverse("members:export")).content)["board_reports"]
    reauthenticate(client, facilitator.user)
    written = json.loads(client.get(reverse("members:export")).content)["group_messages_written"]

    assert [(r["reason"], r["note"]) for r in reports] == [("spam", "Dit klopt niet")]
    assert [(m["group"], m["text"]) for m in written] == [(group.name, "Tot dinsdag allemaal")]


def test_export_holds_ones_board_posts(client, group):
    author = member_of(group).user
    PostFactory(thread=ThreadFactory(board=group.board, author=author, title="Over mij"),
                body="Mijn verhaal", content_warning="zwaar")  # fmt: skip
    reauthenticate(client, author)

    data = json.loads(client.get(reverse("members:export")).content)

    assert data["board_posts"][0] | {"at": None} == {
        "conversation": "Over mij",
        "text": "Mijn verhaal",
        "content_warning": "zwaar",
        "state": "published",
        "at": None,
    }


def test_erasure_removes_every_personal_detail_and_keeps_only_the_fact(client, coordinator):
    applicant = ApplicantFactory()
    services.add_intake_note(coordinator, applicant, "Notitie")
    services.message_applicant(coordinator, applicant, "Wanneer past het?")
    other_browser = Client()
    other_browser.post(
        reverse("account_login"), {"login": applicant.user.email, "password": PASSWORD}
    )
    code = applicant.code
    reauthenticate(client, applicant.user)

    response = client.post(reverse("members:erase"))

    assert response.url == reverse("members:farewell")
    assert not User.objects.filter(email=applicant.user.email).exists()
    assert not Member.objects.exists()
    assert not IntakeNote.objects.exists()
    assert not StatusChange.objects.exists()
    assert not EmailAddress.objects.filter(email=applicant.user.email).exists()
    assert not OutgoingEmail.objects.filter(to=applicant.user.email).exists()
    assert not IntakeMessage.objects.exists()
    assert other_browser.get(reverse("members:status")).status_code == 302
    erased = AuditEntry.objects.get(action="members.account.erased")
    assert erased.target_code == code
    # The log names nobody: it holds codes and actions only.
    for entry in AuditEntry.objects.all():
        assert applicant.pseudonym not in json.dumps(entry.detail)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("view", "start", "end"),
    [
        ("members:withdraw", Member.Status.APPLIED, Member.Status.WITHDRAWN),
        ("members:pause", Member.Status.ACTIVE, Member.Status.PAUSED),
        ("members:resume", Member.Status.PAUSED, Member.Status.ACTIVE),
        ("members:leave", Member.Status.PAUSED, Member.Status.LEFT),
    ],
)
def test_a_person_changes_their_own_membership(client, view, start, end):
    member = MemberFactory(status=start)
    client.force_login(member.user)

    client.post(reverse(view))

    member.refresh_from_db()
    assert member.status == end
    assert member.history.last().to_status == end


def test_pausing_an_application_is_refused_with_a_message(client):
    applicant = ApplicantFactory()
    client.force_login(applicant.user)

    response = client.post(reverse("members:pause"), follow=True)

    applicant.refresh_from_db()
    assert applicant.status == Member.Status.APPLIED
    assert list(response.context["messages"])[0].level_tag == "error"


def test_profile_keeps_input_and_explains_a_bad_phone_number(client):
    member = MemberFactory()
    client.force_login(member.user)
    data = {
        "language": "fr",
        "time_zone": "Europe/Brussels",
        "contact_preference": "phone",
        "phone": "123",
    }

    response = client.post(reverse("members:profile"), data)

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert response.context["form"]["phone"].value() == "123"
    member.refresh_from_db()
    assert member.user.language == "nl"

    data["phone"] = "+32 470 11 22 33"
    client.post(reverse("members:profile"), data)
    member.refresh_from_db()
    assert (member.user.language, member.phone) == ("fr", "+32470112233")


def test_stale_applications_are_erased_after_90_days_and_twice_is_safe():
    declined = ApplicantFactory(status=Member.Status.DECLINED)
    withdrawn = ApplicantFactory(status=Member.Status.WITHDRAWN)
    recent = ApplicantFactory(status=Member.Status.DECLINED)
    waiting = ApplicantFactory()
    Member.objects.filter(pk__in=[declined.pk, withdrawn.pk, waiting.pk]).update(
        status_changed_at=timezone.now() - timedelta(days=91)
    )

    assert tasks.erase_stale_applications.delay().get() == 2
    assert tasks.erase_stale_applications.delay().get() == 0

    assert set(Member.objects.all()) == {recent, waiting}
    assert AuditEntry.objects.filter(action="members.account.erased").count() == 2

    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert services.erase_stale_applications() == 1
    assert list(Member.objects.all()) == [waiting]


@pytest.mark.parametrize(
    "step",
    [
        pytest.param(lambda m: services.pause_membership(m), id="pause"),
        pytest.param(lambda m: services.leave_echo(m), id="leave"),
        pytest.param(lambda m: services.erase_account(m.user), id="erase"),
    ],
)
def test_who_pauses_leaves_or_erases_frees_their_seat_for_the_waiting_list(step):
    from events import services as events
    from events.models import Rsvp

    group = GroupFactory()
    meeting = MeetingFactory(group=group, capacity=1)
    leaving, waiting = member_of(group), member_of(group)
    events.answer(leaving, meeting, going=True)
    events.answer(waiting, meeting, going=True)
    assert Rsvp.objects.get(member=waiting).answer == "waiting"

    step(leaving)

    assert Rsvp.objects.get(member=waiting).answer == "going"
    assert not Rsvp.objects.filter(member_id=leaving.pk, answer="going").exists()
    assert OutgoingEmail.objects.filter(to=waiting.user.email, kind="events.promoted").exists()


def test_leaving_echo_also_leaves_every_group():
    group = GroupFactory()
    member = member_of(group)

    services.leave_echo(member)

    assert not member.memberships.exists()


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_erasure_keeps_posts_as_former_member_or_deletes_them_as_chosen(client, group, choice):
    from boards.models import Post, Thread

    author = member_of(group).user
    other = member_of(group).user
    own_thread = ThreadFactory(board=group.board, author=author)
    PostFactory(thread=own_thread, body="Mijn verhaal")
    PostFactory(thread=own_thread, author=other, body="Een antwoord")
    their_thread = ThreadFactory(board=group.board, author=other)
    PostFactory(thread=their_thread, body="Een vraag")
    PostFactory(thread=their_thread, author=author, body="Mijn reactie")
    reauthenticate(client, author)

    client.post(reverse("members:erase"), {"posts": choice})

    assert not User.objects.filter(pk=author.pk).exists()
    bodies = set(Post.objects.values_list("body", flat=True))
    assert {"Een antwoord", "Een vraag"} <= bodies
    if choice == "keep":
        assert {"Mijn verhaal", "Mijn reactie"} <= bodies
        assert Post.objects.get(body="Mijn verhaal").author is None
    else:
        assert not bodies & {"Mijn verhaal", "Mijn reactie"}
        their_thread.refresh_from_db()
        assert their_thread.post_count == 1
    # The other member's reply keeps the thread it answered.
    assert Thread.objects.filter(pk=own_thread.pk).exists()


def _failing(*args, **kwargs):
    raise RuntimeError("the boards' part of the erasure failed")


def test_an_erasure_that_fails_part_way_leaves_the_account_as_it_was():
    from members import signals

    group = GroupFactory()
    member = member_of(group)
    signals.account_erasing.connect(_failing, dispatch_uid="test.failing")
    try:
        with pytest.raises(RuntimeError):
            services.erase_account(member.user, delete_posts=True)
    finally:
        signals.account_erasing.disconnect(dispatch_uid="test.failing")

    assert User.objects.filter(pk=member.user.pk).exists()
    assert member.memberships.filter(group=group).exists()
    assert not AuditEntry.objects.filter(action="members.account.erased").exists()


def test_the_nightly_erasure_goes_on_when_one_account_fails(caplog):
    from members import signals

    stuck, stale = (ApplicantFactory(status=Member.Status.DECLINED) for _ in range(2))
    Member.objects.update(status_changed_at=timezone.now() - timedelta(days=91))

    def fail_for_one(user, **kwargs):
        if user.pk == stuck.user.pk:
            _failing()

    signals.account_erasing.connect(fail_for_one, dispatch_uid="test.fail_for_one")
    try:
        assert services.erase_stale_applications() == 1
    finally:
        signals.account_erasing.disconnect(dispatch_uid="test.fail_for_one")

    assert list(Member.objects.all()) == [stuck]
    erased = AuditEntry.objects.get(action="members.account.erased")
    assert erased.target_code == stale.code
    # Logged for the administrators, and tried again the next night.
    assert any("Could not erase" in r.getMessage() for r in caplog.records)
    caplog.clear()
    assert services.erase_stale_applications() == 1
