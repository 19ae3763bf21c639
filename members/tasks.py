from celery import shared_task

from . import inbox, services


@shared_task
def erase_stale_applications():
    """Daily; erasing what is already erased finds nothing, so twice is safe."""
    return services.erase_stale_applications()


@shared_task
def send_password_reset(email):
    """Someone asked a new password for `email`: the email, if it has an account."""
    services.send_password_reset(email)


@shared_task
def delete_old_notices():
    """Daily; what is deleted is gone, so twice is safe."""
    return inbox.delete_old_notices()
