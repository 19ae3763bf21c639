"""Real Celery workers for the tests marked `worker`: a worker is another
process on the test database, started with an environment of the test's
choosing; the web side (this process) sends tasks to it through a broker."""

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from echo.celery import app as celery_app

# Django's file backend ends every message with a line of 79 dashes. Two
# messages may share a file (its name is the second and an object id), so
# messages are counted by this line, not by file.
MESSAGE_END = b"\n" + b"-" * 79 + b"\n"


def database_url():
    """The test database, as the worker's DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_until(condition, seconds=30, interval=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parse_message(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def text_of(message):
    """Subject and every text part, decoded."""
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return "\n".join([str(message["Subject"]), *parts])


def sent_messages(mail_dir):
    """Every message a worker wrote with EMAIL_URL=filemail:///<mail_dir>."""
    if not mail_dir.exists():
        return []
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for raw in path.read_bytes().split(MESSAGE_END):
            if raw.strip():
                messages.append(parse_message(raw))
    return messages


class Worker:
    """`celery -A echo worker --pool=solo` in a process of its own; its
    output goes to a file, printed when the test ends."""

    def __init__(self, name, env, log_path):
        self.name = name
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "echo",
                    "worker",
                    "--pool=solo",
                    "--without-mingle",
                    "--without-gossip",
                    "-n",
                    f"{name}@%h",
                    "-l",
                    "INFO",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self):
        return self.process.pid

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text, count=1, seconds=30):
        """True once `text` is `count` times in the worker's output."""
        return wait_until(lambda: self.log().count(text) >= count, seconds, interval=0.1)

    def wait_ready(self, seconds=30):
        assert self.wait_for(" ready.", seconds=seconds), self.log()

    def kill(self):
        """SIGKILL: no warm shutdown, no acknowledgement, nothing cleaned up."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def mail_dir(tmp_path):
    """Where workers started with the default EMAIL_URL write their mail."""
    return tmp_path / "mail"


@pytest.fixture
def real_tasks():
    """Tasks go to the broker, not run in this process (the suite runs them
    eagerly otherwise)."""
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = True


@pytest.fixture
def start_worker(real_tasks, tmp_path, mail_dir):
    """`start_worker(**env)` starts a worker on the test database and the
    suite's broker; keyword arguments change its environment (EMAIL_URL,
    CELERY_BROKER_URL...). Tasks sent by the test go to the broker for real.
    Every worker still running is stopped when the test ends."""
    workers = []

    def start(**env_changes):
        name = f"worker{len(workers) + 1}"
        env = (
            os.environ
            | {
                "DEBUG": "true",
                "DATABASE_URL": database_url(),
                "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                # Four slashes: an absolute path.
                "EMAIL_URL": f"filemail:///{mail_dir}",
            }
            | env_changes
        )
        worker = Worker(name, env, tmp_path / f"{name}.log")
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
            print(f"--- {worker.name} (exit {worker.process.returncode})\n{worker.log()}")


@pytest.fixture
def worker(start_worker, mail_dir):
    """One worker with the default environment; gives its mail directory."""
    start_worker()
    return mail_dir
