"""Sending in batches: one claim for many emails, one connection to the mail
server, and every email still sent once or tried again, never lost: when the
mail server fails mid-batch, refuses one address, or a batch is held too long."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from echo import mail as outbox
from echo import tasks
from echo.models import OutgoingEmail

from .test_outgoing_email import TEST

pytestmark = pytest.mark.django_db
State = OutgoingEmail.State
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def waiting(n):
    """`n` due emails that nobody handed over yet."""
    return [
        OutgoingEmail.objects.create(
            to=f"p{i}@example.org", subject="Echo", body_text=f"Bericht {i}", kind=TEST.name
        )
        for i in range(n)
    ]


def states():
    return list(OutgoingEmail.objects.order_by("pk").values_list("state", "attempts"))


def test_a_batch_sends_everything_due_once_and_marks_each_sent(django_assert_max_num_queries):
    waiting(30)

    # One claim, one read, then one UPDATE per email.
    with django_assert_max_num_queries(2 + 30):
        assert outbox.deliver_batch(limit=50) == 30

    assert states() == [(State.SENT, 1)] * 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"p{i}@example.org" for i in range(30))
    assert outbox.deliver_batch() == 0


def test_batches_claim_what_no_other_batch_holds():
    waiting(25)

    first, _ = outbox.claim_batch(limit=10)
    second, _ = outbox.claim_batch(limit=10)
    third, _ = outbox.claim_batch(limit=10)

    assert len(first) == len(second) == 10 and len(third) == 5
    assert len(set(first) | set(second) | set(third)) == 25
    assert outbox.claim_batch()[0] == []


def test_a_mail_server_that_fails_mid_batch_costs_one_attempt_and_gives_back_the_rest():
    waiting(10)
    sent = []

    def send(self, messages):
        if len(sent) == 3:
            raise smtplib.SMTPServerDisconnected("gone")
        sent.extend(messages)
        return len(messages)

    with mock.patch(SEND, send):
        outbox.deliver_batch()

    assert states() == [(State.SENT, 1)] * 3 + [(State.PENDING, 1)] + [(State.PENDING, 0)] * 6
    assert not OutgoingEmail.objects.filter(state=State.SENDING).exists()
    # The rest go with the next batch; the failed one after its backoff.
    tasks.sweep_outgoing_email.delay()
    assert states() == [(State.SENT, 1)] * 3 + [(State.PENDING, 1)] + [(State.SENT, 1)] * 6
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        tasks.sweep_outgoing_email.delay()
    assert states() == [(State.SENT, 1)] * 3 + [(State.SENT, 2)] + [(State.SENT, 1)] * 6
    assert len(sent) + len(mail.outbox) == 10


def test_an_address_the_mail_server_refuses_does_not_stop_the_batch():
    emails = waiting(5)
    real_send = mail.backends.locmem.EmailBackend.send_messages

    def send(self, messages):
        if messages[0].to == [emails[1].to]:
            raise smtplib.SMTPRecipientsRefused({emails[1].to: (550, b"no such user")})
        return real_send(self, messages)

    with mock.patch(SEND, send):
        outbox.deliver_batch()

    assert states() == [(State.SENT, 1), (State.PENDING, 1)] + [(State.SENT, 1)] * 3
    assert "no such user" in OutgoingEmail.objects.get(pk=emails[1].pk).last_error


def test_a_batch_held_too_long_gives_back_what_it_did_not_send(monkeypatch, caplog):
    """Past STALE_CLAIM the sweep would hand the emails out again while this
    batch still sends them: the batch stops well before."""
    waiting(4)
    monkeypatch.setattr(outbox, "HOLD_CLAIM_AT_MOST", timedelta(0))

    outbox.deliver_batch()

    assert states() == [(State.PENDING, 0)] * 4
    assert mail.outbox == []
    assert "4 emails given back" in caplog.text


def test_what_another_worker_took_back_meanwhile_is_not_given_back_as_ours():
    (email,) = waiting(1)
    ids, claimed_at = outbox.claim_batch()
    # The sweep took the claim for a dead worker's; another worker claimed it.
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=claimed_at + timedelta(minutes=11))

    outbox._release([email], claimed_at)

    assert OutgoingEmail.objects.get(pk=email.pk).state == State.SENDING
