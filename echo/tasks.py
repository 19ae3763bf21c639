from celery import shared_task

from . import mail


@shared_task
def deliver_email(email_id):
    mail.deliver(email_id)


@shared_task
def sweep_outgoing_email():
    """Every minute: give up emails that failed long ago, then hand over
    every due email that no worker is sending."""
    mail.give_up_failed()
    for email_id in mail.due_email_ids():
        deliver_email.delay(email_id)
