from celery import shared_task

from . import snapshots


@shared_task
def take_daily_snapshots():
    """Nightly; a day already written is left alone, so twice is safe."""
    return snapshots.take_daily_snapshots()
