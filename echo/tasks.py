import logging

from celery import shared_task

from . import mail

logger = logging.getLogger(__name__)


@shared_task
def deliver_email(email_id):
    mail.deliver(email_id)


# What one sweep hands over at most (in batches); the next sweep takes the rest.
SWEEP_AT_MOST = 10_000


@shared_task
def deliver_due_emails():
    """Send a batch of due emails over one connection to the mail server."""
    mail.deliver_batch()


@shared_task
def sweep_outgoing_email():
    """Every minute: give up emails that failed long ago, then hand over
    every due email that no worker is sending, in batches (one message to
    the broker per batch, not per email)."""
    try:
        mail.give_up_failed()
    except Exception:
        # Whatever went wrong there (it is tried again in a minute) must not
        # hold up the delivery of everything else.
        logger.exception("Could not give up the emails that failed long ago.")
    # Straight to the broker, which just handed this task over: a pause after
    # a failed hand-over in this process (echo.mail.publish) does not apply.
    for _ in range(mail.batches_for(len(mail.due_email_ids(limit=SWEEP_AT_MOST)))):
        deliver_due_emails.delay()


@shared_task
def purge_kept_text():
    """Text kept after a session ended is gone an hour later, offered or not."""
    from . import kept_text

    kept_text.purge()
