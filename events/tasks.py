from celery import shared_task

from . import reminders


@shared_task
def queue_due_reminders():
    """Every minute: queue the meeting reminders and facilitators' lists whose
    moment has come (each once, whatever runs twice)."""
    return reminders.queue_due_reminders()
