"""Email delivery with a real Celery worker in another process, on whichever
broker and database the suite runs (SQLite file + SQLAlchemy transport, or
PostgreSQL + Redis). The worker fixtures are in conftest.py."""

import pytest

from echo import mail as outbox
from echo.models import OutgoingEmail
from echo.tasks import sweep_outgoing_email
from members.emails import STATUS_CHANGED

from .conftest import sent_messages, text_of, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_delivers_what_a_change_queues(worker):
    email = outbox.queue_email(
        to="a@example.org", subject="Echo: test", body_text="Hallo daar", kind=STATUS_CHANGED
    )
    # Outside a transaction (autocommit) on_commit runs at once: the task is sent.

    assert wait_until(lambda: OutgoingEmail.objects.get(pk=email.pk).state == "sent")
    (message,) = sent_messages(worker)
    assert message["To"] == "a@example.org"
    assert message["Subject"] == "Echo: test"
    assert "Hallo daar" in text_of(message)


def test_the_sweep_delivers_what_was_never_handed_over(worker):
    email = OutgoingEmail.objects.create(
        to="b@example.org", subject="Echo: test", body_text="Verloren bericht", kind="test"
    )

    sweep_outgoing_email.delay()

    assert wait_until(lambda: OutgoingEmail.objects.get(pk=email.pk).state == "sent")
    (message,) = sent_messages(worker)
    assert message["To"] == "b@example.org"
    assert "Verloren bericht" in text_of(message)


def test_two_workers_sending_batches_send_every_email_exactly_once(start_worker, mail_dir):
    """Batches handed over for more emails than there are (as the sweep and
    the queuing both do) claim each email once between two workers."""
    emails = [
        OutgoingEmail(to=f"p{n}@example.org", subject="Echo: test", body_text="Hallo", kind="test")
        for n in range(240)
    ]
    OutgoingEmail.objects.bulk_create(emails)
    start_worker()
    start_worker()

    outbox.hand_over_due(240)
    sweep_outgoing_email.delay()

    assert wait_until(lambda: OutgoingEmail.objects.filter(state="sent").count() == 240, 90)
    received = [message["To"] for message in sent_messages(mail_dir)]
    assert sorted(received) == sorted(f"p{n}@example.org" for n in range(240))
