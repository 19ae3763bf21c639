from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from echo import email_kinds, tasks
from echo import mail as outbox
from echo.models import OutgoingEmail

pytestmark = pytest.mark.django_db


# A kind of email of the tests' own, with keys like those of reminders.
TEST = email_kinds.register("tests.test", "Test email", prefix="test-reminder")


def queue(**kwargs):
    defaults = {"to": "a@example.org", "subject": "Echo", "body_text": "Hallo", "kind": TEST}
    return outbox.queue_email(**defaults | kwargs)


def test_a_queued_email_is_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(body_html="<p>Hallo</p>")
        assert mail.outbox == []

    (message,) = mail.outbox
    assert message.alternatives[0].content == "<p>Hallo</p>"
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    assert email.sent_at and email.attempts == 1
    assert email.body_text == ""  # what was sent is not kept


def test_the_same_key_is_never_queued_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue(key="test-reminder:1:2:day")
        assert queue(key="test-reminder:1:2:day") is None

    assert OutgoingEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_broker_that_is_down_loses_nothing(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.deliver_email, "delay", side_effect=ConnectionError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = queue()

    assert mail.outbox == []
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.PENDING

    tasks.sweep_outgoing_email.delay()

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT


def test_a_failing_mail_server_is_retried_with_backoff_then_marked_failed(settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    email = queue()
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("smtp down")
    ):
        outbox.deliver(email.pk)
        email.refresh_from_db()
        assert (email.state, email.attempts) == (OutgoingEmail.State.PENDING, 1)
        assert "smtp down" in email.last_error
        assert email.due_at > timezone.now()

        outbox.deliver(email.pk)  # not due yet: nothing happens
        email.refresh_from_db()
        assert email.attempts == 1

        for _ in range(2):
            with time_machine.travel(email.due_at + timedelta(seconds=1)):
                outbox.deliver(email.pk)
            email.refresh_from_db()

    assert (email.state, email.attempts) == (OutgoingEmail.State.FAILED, 3)
    assert mail.outbox == []


def test_the_sweep_takes_back_what_a_dead_worker_left():
    email = queue()
    assert outbox.claim(email.pk)
    assert not outbox.claim(email.pk)  # a second worker cannot take it

    assert email.pk not in outbox.due_email_ids()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert outbox.due_email_ids() == [email.pk]
        tasks.sweep_outgoing_email.delay()

    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    assert len(mail.outbox) == 1


def test_sent_mail_is_forgotten_after_a_week(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        outbox.due_email_ids()
    assert not OutgoingEmail.objects.exists()


def test_an_email_past_its_expiry_when_delivered_is_missed_not_sent():
    email = queue(body_html="<p>Hallo</p>", expires_at=timezone.now() + timedelta(hours=1))

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        outbox.deliver(email.pk)

    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.MISSED
    assert (email.body_text, email.body_html, email.sent_at) == ("", "", None)
    assert mail.outbox == []
    outbox.deliver(email.pk)  # and never later either
    assert mail.outbox == []


def test_an_email_before_its_expiry_is_sent():
    email = queue(expires_at=timezone.now() + timedelta(hours=1))

    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        outbox.deliver(email.pk)

    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    assert len(mail.outbox) == 1


def test_a_retry_that_comes_after_the_expiry_is_missed():
    email = queue(expires_at=timezone.now() + timedelta(minutes=3))
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")):
        outbox.deliver(email.pk)  # the next attempt is due in 2 minutes
        with time_machine.travel(timezone.now() + timedelta(minutes=5)):
            tasks.sweep_outgoing_email.delay()

    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutgoingEmail.State.MISSED, 1)


def test_an_email_queued_after_its_expiry_is_only_recorded_as_missed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue(key="test-reminder:late", expires_at=timezone.now())
        assert queue(key="test-reminder:late") is None  # its key is taken for good

    assert callbacks == []  # not even handed to the worker
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.MISSED
    assert email.body_text == ""
    assert outbox.due_email_ids() == []
    assert mail.outbox == []


def test_missed_mail_is_forgotten_after_a_week():
    queue(expires_at=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        outbox.due_email_ids()
    assert not OutgoingEmail.objects.exists()


def test_cancel_pending_stops_only_pending_mail_with_the_key_prefix():
    pending = queue(key="test-reminder:abc:0:m:60")
    other = queue(key="test-reminder:abcd:0:m:60")
    sent = queue(key="test-reminder:abc:0:n:60")
    outbox.deliver(sent.pk)

    assert outbox.cancel_pending("test-reminder:abc:") == 1

    states = dict(OutgoingEmail.objects.values_list("pk", "state"))
    assert states == {
        pending.pk: OutgoingEmail.State.CANCELLED,
        other.pk: OutgoingEmail.State.PENDING,
        sent.pk: OutgoingEmail.State.SENT,
    }


def test_a_kind_nobody_registered_and_a_key_of_another_kind_are_refused():
    unregistered = email_kinds.EmailKind("tests.nobody", "Nobody", "nobody")

    with pytest.raises(ValueError, match="not a registered kind"):
        queue(kind=unregistered)
    with pytest.raises(ValueError, match="use kind.key"):
        queue(key="reminder:1:2:day")
    assert not OutgoingEmail.objects.exists()


def test_two_kinds_cannot_share_their_keys():
    with pytest.raises(email_kinds.ImproperlyConfigured):
        email_kinds.register("tests.other", "Other", prefix="test-reminder")
    with pytest.raises(email_kinds.ImproperlyConfigured):
        email_kinds.register("tests.inner", "Inner", prefix="test-reminder:inner")


def test_every_kind_of_email_echo_sends_has_a_label_for_people():
    kinds = email_kinds.registered()
    assert {"members.status_changed", "groups.join_request", "events.reminder"} <= set(kinds)
    for name, kind in kinds.items():
        if not name.startswith("tests."):
            assert str(kind.label) and str(kind.label) != name, name


def test_a_failure_in_giving_up_old_failures_does_not_hold_up_delivery(caplog):
    email = queue()

    with mock.patch.object(outbox, "give_up_failed", side_effect=RuntimeError("boom")):
        tasks.sweep_outgoing_email.delay()

    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    assert "Could not give up" in caplog.text
    caplog.clear()  # the error was expected here
