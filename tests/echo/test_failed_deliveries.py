"""Coordinators see the emails of their region that could not be delivered,
by pseudonym and never by address, and can try them again."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from echo import mail as outbox
from echo import tasks
from echo.models import AuditEntry, OutgoingEmail, Region
from events.emails import CANCELLED
from members.emails import DELIVERY_GIVEN_UP
from members.models import Member
from members.notifications import notify

from ..factories import GroupFactory, MeetingFactory, MemberFactory

pytestmark = pytest.mark.django_db
State = OutgoingEmail.State


def failed_notice(member, error="550 no mailbox", **kwargs):
    """A notice to `member` that the mail server refused every time."""
    meeting = MeetingFactory(group=GroupFactory(region=member.region))
    email = notify(
        member, "events/notices/cancelled.txt", kind=CANCELLED, meeting=meeting, **kwargs
    )
    with (
        mock.patch.object(outbox, "hand_over"),
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError(error)),
        mock.patch("django.conf.settings.EMAIL_MAX_ATTEMPTS", 1),
    ):
        outbox.deliver(email.pk)
    email.refresh_from_db()
    assert email.state == State.FAILED
    return email


@pytest.fixture
def failed(db):
    member = MemberFactory(pseudonym="Zeewind", user__email="zeewind.secret@example.org")
    return failed_notice(member)


@pytest.fixture
def failed_elsewhere(db):
    member = MemberFactory(region=Region.LIMBURG, pseudonym="Noorderlicht")
    return failed_notice(member)


def test_a_notice_knows_its_region_and_recipient(failed):
    member = Member.objects.get(pseudonym="Zeewind")
    assert (failed.region, failed.recipient_code) == (Region.ANTWERPEN, member.code)


def test_the_page_lists_failures_of_the_region_by_pseudonym_never_by_address(
    client, coordinator, failed, failed_elsewhere
):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)

    response = client.get(reverse("failed_deliveries"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Zeewind" in page
    assert "zeewind.secret" not in page
    assert "@example.org" not in page.replace(coordinator.email, "")
    assert "550 no mailbox" in page
    assert "Meeting cancelled" in page
    assert "Noorderlicht" not in page
    assert [e.code for e in response.context["emails"]] == [failed.code]
    assert reverse("retry_delivery", args=[failed.code]) in page


def test_an_error_quoting_the_address_is_shown_without_it(client, coordinator):
    member = MemberFactory(user__email="verborgen@example.org")
    failed_notice(member, error="550 5.1.1 <verborgen@example.org>: Recipient unknown")
    client.force_login(coordinator)

    page = client.get(reverse("failed_deliveries")).content.decode()

    assert "Recipient unknown" in page
    assert "verborgen" not in page


def test_the_kind_is_shown_as_words(failed):
    with translation.override("en"):
        assert str(failed.kind_label) == "Meeting cancelled"
        assert str(OutgoingEmail(kind="account.email_confirmation").kind_label) == "Account email"


def test_the_coordinator_nav_links_to_the_page(client, coordinator, member):
    client.force_login(coordinator)
    assert reverse("failed_deliveries") in client.get(reverse("members:audit_log")).content.decode()
    client.force_login(member)
    page = client.get(reverse("members:member_home")).content.decode()
    assert reverse("failed_deliveries") not in page


def test_the_page_costs_the_same_few_queries_for_one_or_many(
    client, coordinator, failed, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("failed_deliveries"))
    for _ in range(5):
        failed_notice(MemberFactory())

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("failed_deliveries"))
    assert len(response.context["emails"]) == 6


def test_try_again_sends_it_and_is_audited(
    client, coordinator, failed, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("retry_delivery", args=[failed.code]))

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == State.SENT
    assert failed.attempts == 1  # counted afresh from 0
    (message,) = mail.outbox
    assert message.to == ["zeewind.secret@example.org"]
    entry = AuditEntry.objects.get(action="echo.email.retried")
    assert (entry.actor_code, entry.target_code, entry.region) == (
        coordinator.code,
        failed.code,
        Region.ANTWERPEN,
    )
    assert client.get(reverse("failed_deliveries")).context["emails"] == []


def test_try_again_resets_the_email_to_pending_and_due_now(client, coordinator, failed):
    client.force_login(coordinator)
    with mock.patch.object(outbox, "hand_over"):
        client.post(reverse("retry_delivery", args=[failed.code]))

    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (State.PENDING, 0)
    assert failed.due_at <= timezone.now()
    assert outbox.due_email_ids() == [failed.pk]


def test_a_coordinator_of_another_region_gets_a_404_and_changes_nothing(
    client, other_coordinator, failed
):
    client.force_login(other_coordinator)

    response = client.post(reverse("retry_delivery", args=[failed.code]))

    assert response.status_code == 404
    failed.refresh_from_db()
    assert failed.state == State.FAILED
    assert not AuditEntry.objects.filter(action__startswith="echo.email").exists()
    assert "Zeewind" not in client.get(reverse("failed_deliveries")).content.decode()


def test_an_unknown_code_or_an_email_that_did_not_fail_gets_a_404(client, coordinator, failed):
    client.force_login(coordinator)
    OutgoingEmail.objects.filter(pk=failed.pk).update(state=State.SENT)

    assert client.post(reverse("retry_delivery", args=[failed.code])).status_code == 404
    assert client.post(reverse("retry_delivery", args=["no-such-code"])).status_code == 404


def test_a_failed_email_whose_moment_has_passed_is_not_tried_again(client, coordinator, failed):
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(coordinator)

    client.post(reverse("retry_delivery", args=[failed.code]))
    email = failed

    email.refresh_from_db()
    assert email.state == State.MISSED
    assert email.body_text == ""
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="echo.email.dropped").exists()


# After FAILED_EMAIL_BODY_DAYS, a failed email is given up


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        tasks.sweep_outgoing_email.delay()


def given_up_notices():
    return OutgoingEmail.objects.filter(kind=DELIVERY_GIVEN_UP.name)


def test_a_failed_body_is_kept_for_the_set_days_for_a_retry(failed, coordinator, settings):
    settings.FAILED_EMAIL_BODY_DAYS = 14

    sweep_at(failed.failed_at + timedelta(days=13, hours=23))

    failed.refresh_from_db()
    assert failed.body_text and failed.body_html and failed.given_up_at is None
    assert not given_up_notices().exists()


def test_then_its_body_is_cleared_and_the_coordinators_of_the_region_are_told(
    failed, failed_elsewhere, coordinator, other_coordinator, settings
):
    settings.FAILED_EMAIL_BODY_DAYS = 14
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    mail.outbox.clear()

    sweep_at(failed.failed_at + timedelta(days=14, minutes=1))

    failed.refresh_from_db()
    assert (failed.state, failed.body_text, failed.body_html) == (State.FAILED, "", "")
    assert failed.given_up_at
    raw = OutgoingEmail.objects.filter(pk=failed.pk).values_list("body_text", "body_html")
    assert list(raw) == [("", "")]
    # Both regions' failures were given up; each coordinator hears of their own.
    notices = {n.to: n for n in given_up_notices()}
    assert set(notices) == {coordinator.email, other_coordinator.email}
    message = next(m for m in mail.outbox if m.to == [coordinator.email])
    text = message.subject + message.body + message.alternatives[0].content
    assert "could not deliver an email to someone of your region" in text
    assert reverse("failed_deliveries") in text
    # Never the address, nor what the email said; not even the pseudonym.
    for withheld in ["zeewind.secret", "@example.org", "Zeewind", "cancelled"]:
        assert withheld not in text.replace(coordinator.email, ""), withheld


def test_a_given_up_email_is_told_once_and_the_notice_of_it_never_in_turn(
    failed, coordinator, settings
):
    settings.FAILED_EMAIL_BODY_DAYS = 14
    later = failed.failed_at + timedelta(days=15)
    # The coordinator's mailbox is dead too: the notice fails in its turn.
    with (
        # The mail backend itself: the sweep sends in batches, over one connection.
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=OSError("550"),
        ),
        mock.patch("django.conf.settings.EMAIL_MAX_ATTEMPTS", 1),
    ):
        sweep_at(later)
        sweep_at(later + timedelta(minutes=1))
    (notice,) = given_up_notices()
    assert notice.to == coordinator.email and notice.state == State.FAILED

    sweep_at(later + timedelta(days=15))

    # It is given up like any other, and nobody is told of that.
    notice.refresh_from_db()
    assert notice.given_up_at and notice.body_text == ""
    assert given_up_notices().count() == 1


def test_a_given_up_email_cannot_be_tried_again(client, coordinator, failed, settings):
    settings.FAILED_EMAIL_BODY_DAYS = 14
    sweep_at(failed.failed_at + timedelta(days=15))
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    mail.outbox.clear()

    page = client.get(reverse("failed_deliveries")).content.decode()
    assert "Given up: what it said has been removed." in page
    assert reverse("retry_delivery", args=[failed.code]) not in page

    client.post(reverse("retry_delivery", args=[failed.code]))
    failed.refresh_from_db()
    assert failed.state == State.MISSED
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="echo.email.dropped").exists()


def test_a_retried_email_that_fails_again_gets_the_days_afresh(client, coordinator, failed):
    client.force_login(coordinator)
    with mock.patch.object(outbox, "hand_over"):
        client.post(reverse("retry_delivery", args=[failed.code]))
    failed.refresh_from_db()
    assert failed.failed_at is None
