from celery import shared_task

from . import services


@shared_task
def erase_stale_applications():
    """Daily; erasing what is already erased finds nothing, so twice is safe."""
    return services.erase_stale_applications()


@shared_task
def send_password_reset(email):
    """Someone asked a new password for `email`: the email, if it has an account."""
    services.send_password_reset(email)
