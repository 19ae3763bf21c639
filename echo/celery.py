import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echo.settings")

# Periodic tasks take a lock, so that a second beat cannot run one twice at once.
app = Celery("echo", task_cls="echo.beat:OneAtATimeTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
