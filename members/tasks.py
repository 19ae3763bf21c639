from celery import shared_task

from . import services


@shared_task
def erase_stale_applications():
    """Daily; erasing what is already erased finds nothing, so twice is safe."""
    return services.erase_stale_applications()
