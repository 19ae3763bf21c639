"""One run at a time of each periodic task, whatever runs the beat.

Exactly one `celery beat` should run (see README, "Production"). Should a
second one run by mistake (two machines both configured with it, or an old
one not yet stopped during a move), each periodic task would be sent twice at
the same moment. Every periodic task is safe to run twice one after the
other, but not every one at the same time: two nightly erasures of the same
stale application could both record it as erased. So each periodic task
takes a lock in the shared cache (Redis in production: an atomic SET NX
with an expiry) and a second copy that finds it taken does nothing.

The lock expires by itself, so that a worker killed mid-task does not stop
the task for good: after a few intervals for the minutely tasks, after an
hour for the daily ones.
"""

import logging
import secrets
from datetime import timedelta

from celery import Task
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DAILY_LOCK = timedelta(hours=1)
INTERVALS_LOCKED = 5


def lock_seconds():
    """The periodic tasks by name, each with how long its lock may be held."""
    locks = {}
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        schedule = entry["schedule"]
        held = schedule * INTERVALS_LOCKED if isinstance(schedule, timedelta) else DAILY_LOCK
        locks[entry["task"]] = int(held.total_seconds())
    return locks


class OneAtATimeTask(Task):
    """Echo's base task (see echo.celery): a periodic task runs only where
    it gets the lock; any other task runs as it is."""

    def __call__(self, *args, **kwargs):
        seconds = lock_seconds().get(self.name)
        if seconds is None:
            return super().__call__(*args, **kwargs)
        key, token = f"echo:periodic:{self.name}", secrets.token_hex(8)
        if not cache.add(key, token, timeout=seconds):
            logger.warning("%s is already running elsewhere: this copy does nothing.", self.name)
            return None
        try:
            return super().__call__(*args, **kwargs)
        finally:
            # Only one's own lock: after an expiry it may be another run's.
            if cache.get(key) == token:
                cache.delete(key)
