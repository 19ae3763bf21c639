"""Notifications survive a broker that is down and a worker that is killed,
with real Celery workers in other processes (fixtures in conftest.py).

The broker-down tests start a Redis of their own on a free port, whatever
broker the rest of the suite uses; the kill test uses the suite's broker and
an SMTP server of its own that takes its time over every message."""

import collections
import contextlib
import logging
import os
import shutil
import signal
import socketserver
import statistics
import subprocess
import threading
import time
from datetime import timedelta

import kombu.pools
import pytest
import redis
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from echo import mail as outbox
from echo.celery import app as celery_app
from echo.models import OutgoingEmail
from echo.tasks import sweep_outgoing_email
from events import services
from events.models import Rsvp

from ..discretion import revealing_words
from ..factories import MeetingFactory, member_of
from .conftest import free_port, parse_message, sent_messages, text_of, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# What a person may wait for a page while the broker is down.
PATIENCE = 5.0


# A Redis of the test's own


class RedisServer:
    """redis-server on a port of its own, keeping nothing on disk; it can be
    stopped and started again on the same port, frozen and thawed."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self):
        executable = shutil.which("redis-server")
        assert executable, "redis-server is not installed (Debian package redis-server)"
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(self.answers, seconds=10), "redis-server did not start"

    def answers(self):
        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)

    def freeze(self):
        """SIGSTOP: the port still takes connections, but nothing answers,
        as with a broker that hangs or a network that drops packets."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _drop_broker_connections():
    """Forget the web side's broker connections, so that the next task goes
    to whatever broker the configuration now names. kombu keeps its pools in
    a registry of its own, by URL: a pool closed but left there would be
    handed out again ("Acquire on closed pool")."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def web_broker():
    """`web_broker(url)` sends this process's tasks to another broker until
    the test ends. Celery reads CELERY_BROKER_URL from the environment before
    its configuration, so both are changed."""
    saved_env = os.environ.get("CELERY_BROKER_URL")
    saved_conf = celery_app.conf.broker_url
    saved_options = celery_app.conf.broker_transport_options

    def point_at(url):
        os.environ["CELERY_BROKER_URL"] = url
        celery_app.conf.broker_url = url
        # As the settings do when Redis is the broker from the start.
        celery_app.conf.broker_transport_options = (
            settings.CELERY_BROKER_TRANSPORT_OPTIONS | settings.REDIS_BROKER_OPTIONS
        )
        _drop_broker_connections()

    try:
        yield point_at
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        celery_app.conf.broker_url = saved_conf
        celery_app.conf.broker_transport_options = saved_options
        _drop_broker_connections()


def timed_post(client, url, data=None):
    started = time.monotonic()
    response = client.post(url, data or {})
    return response, time.monotonic() - started


def message_levels(response):
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def assert_discreet_text(message):
    found = revealing_words(text_of(message))
    assert not found, f"Email to {message['To']} reveals: {found}"


def test_with_the_broker_down_answers_and_cancellations_work_and_every_notice_arrives_once(
    own_redis, web_broker, start_worker, mail_dir, group, member, facilitator, caplog
):
    web_broker(own_redis.url)
    worker = start_worker(CELERY_BROKER_URL=own_redis.url)
    meeting = MeetingFactory(group=group, capacity=2)
    first, second = member_of(group), member_of(group)
    services.answer(first, meeting, going=True)
    services.answer(second, meeting, going=True)
    worker.wait_ready()

    own_redis.stop()
    # The meeting is full: the member goes on the waiting list.
    answered, answer_took = timed_post(
        signed_in(member), reverse("events:rsvp", args=[meeting.code]), {"going": "1"}
    )
    # Someone gives up their seat: the member moves up and is told (email 1).
    declined, decline_took = timed_post(
        signed_in(second.user), reverse("events:rsvp", args=[meeting.code]), {"going": "0"}
    )
    # The facilitator cancels: the two going are told (emails 2 and 3).
    cancelled, cancel_took = timed_post(
        signed_in(facilitator), reverse("events:cancel_meeting", args=[meeting.code])
    )
    print(
        f"with the broker down: answer {answer_took:.3f} s, decline {decline_took:.3f} s, "
        f"cancel {cancel_took:.3f} s"
    )

    for response, took in [
        (answered, answer_took),
        (declined, decline_took),
        (cancelled, cancel_took),
    ]:
        assert response.status_code == 302
        assert message_levels(response) == ["success"]
        assert took < PATIENCE
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    answers = dict(meeting.rsvps.values_list("member_id", "answer"))
    assert answers == {
        first.pk: Rsvp.Answer.GOING,
        second.pk: Rsvp.Answer.NOT_GOING,
        member.member.pk: Rsvp.Answer.GOING,
    }
    queued = OutgoingEmail.objects.all()
    assert sorted(queued.values_list("kind", "to")) == sorted(
        [
            ("events.promoted", member.email),
            ("events.cancelled", member.email),
            ("events.cancelled", first.user.email),
        ]
    )
    assert set(queued.values_list("state", flat=True)) == {"pending"}
    # The web side noticed, said so, and went on.
    assert any(r.name == "echo.mail" and r.levelno == logging.WARNING for r in caplog.records)

    own_redis.start()
    # The worker that lost its broker connects again by itself.
    reconnect_started = time.monotonic()
    assert worker.wait_for("Connected to redis://", count=2, seconds=40), worker.log()
    print(f"the worker was connected again after {time.monotonic() - reconnect_started:.1f} s")
    sweep_outgoing_email.delay()
    assert wait_until(lambda: not queued.exclude(state="sent").exists()), list(
        queued.values_list("to", "state")
    )
    # A second sweep, and anything else that runs twice, sends nothing more.
    sweep_outgoing_email.delay()
    assert worker.wait_for("sweep_outgoing_email", count=4), worker.log()  # received, succeeded

    delivered = sent_messages(mail_dir)
    assert collections.Counter((m["To"], m["Subject"]) for m in delivered) == collections.Counter(
        queued.values_list("to", "subject")
    )
    for message in delivered:
        assert_discreet_text(message)


def test_a_broker_that_hangs_does_not_hang_the_person(
    own_redis, web_broker, real_tasks, group, facilitator
):
    web_broker(own_redis.url)
    meeting = MeetingFactory(group=group)
    for _ in range(3):
        services.answer(member_of(group), meeting, going=True)
    own_redis.freeze()

    result = {}

    def cancel():
        try:
            result["response"], result["took"] = timed_post(
                signed_in(facilitator), reverse("events:cancel_meeting", args=[meeting.code])
            )
        finally:
            connections.close_all()

    request = threading.Thread(target=cancel, daemon=True)
    started = time.monotonic()
    request.start()
    request.join(timeout=2 * PATIENCE)
    waited = time.monotonic() - started
    # Let a hanging request end before the test does.
    own_redis.thaw()
    request.join(timeout=30)
    print(f"cancelling with a frozen broker: answered after {result.get('took', waited):.1f} s")

    assert result["response"].status_code == 302
    assert waited < 2 * PATIENCE, f"the request hung for {waited:.1f} s"


# An SMTP server of the test's own


class SlowSmtpServer(socketserver.ThreadingTCPServer):
    """Accepts every message after `delay` seconds and records when it did.

    `hold(n)` makes it keep the n-th message back once it has all of it,
    until `release()`; a message held is accepted (recorded) even if the
    sender has gone meanwhile, as a real mail server that already has the
    whole message delivers it.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.delay = delay
        self.lock = threading.Lock()
        self.received = 0
        self.accepted = []  # (time.time() when accepted, message)
        self.connected = []  # time.time() of every connection
        self.held = None
        self.holding = threading.Event()
        self.released = threading.Event()

    @property
    def port(self):
        return self.server_address[1]

    def hold(self, n):
        self.held = n

    def release(self):
        self.released.set()

    def take(self, data):
        time.sleep(self.delay)
        with self.lock:
            self.received += 1
            held = self.received == self.held
        if held:
            self.holding.set()
            self.released.wait(timeout=30)
        with self.lock:
            self.accepted.append((time.time(), parse_message(data)))


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        with contextlib.suppress(OSError):  # the sender may be gone
            self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        with self.server.lock:
            self.server.connected.append(time.time())
        self.reply("220 localhost ESMTP test")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                if not chunk:
                    return  # the sender died before the end: nothing to deliver
                self.server.take(bytes(data))
                self.reply("250 OK: queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            elif verb in (b"EHLO", b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 Not implemented")


@pytest.fixture
def slow_smtp():
    server = SlowSmtpServer(delay=0.1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release()
        server.shutdown()
        server.server_close()


BATCH = 40
KILLED_AT = 15  # the message in the SMTP server's hands when the worker dies


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_the_message_in_flight(
    start_worker, slow_smtp, group, facilitator, settings
):
    smtp = {"EMAIL_URL": f"smtp://127.0.0.1:{slow_smtp.port}"}
    meeting = MeetingFactory(group=group, capacity=BATCH)
    for _ in range(BATCH):
        services.answer(member_of(group), meeting, going=True)
    slow_smtp.hold(KILLED_AT)
    worker = start_worker(**smtp)

    services.cancel_meeting(facilitator, meeting)  # 40 notices, handed over on commit

    assert slow_smtp.holding.wait(timeout=40), worker.log()
    worker.kill()
    slow_smtp.release()
    emails = OutgoingEmail.objects.filter(kind="events.cancelled")
    states = collections.Counter(emails.values_list("state", flat=True))
    assert states == {"sent": KILLED_AT - 1, "sending": 1, "pending": BATCH - KILLED_AT}
    in_flight = emails.get(state="sending")

    start_worker(**smtp)
    # While the claim is fresh the sweep leaves the message alone...
    assert in_flight.pk not in outbox.due_email_ids()
    # ...once it is older than STALE_CLAIM, the worker is taken to be dead.
    emails.filter(state="sending").update(
        claimed_at=timezone.now() - outbox.STALE_CLAIM - timedelta(minutes=1)
    )
    sweep_outgoing_email.delay()
    assert wait_until(lambda: emails.filter(state="sent").count() == BATCH, seconds=40), list(
        emails.values_list("to", "state")
    )

    received = collections.Counter(message["To"] for _, message in slow_smtp.accepted)
    assert set(received) == set(emails.values_list("to", flat=True))
    assert {to: n for to, n in received.items() if n > 1} == {in_flight.to: 2}
    for _, message in slow_smtp.accepted:
        assert_discreet_text(message)

    # The window in which a kill sends a message twice: from the moment the
    # mail server accepts a message to the moment its row is marked sent.
    # sent_at is read just before the UPDATE that marks it (a lower bound);
    # the worker (solo) connects for the next message only once that UPDATE
    # has committed (an upper bound).
    accepted_at = {message["To"]: at for at, message in slow_smtp.accepted}
    marked = dict(emails.exclude(to=in_flight.to).values_list("to", "sent_at"))
    at_least = [(marked[to].timestamp() - accepted_at[to]) * 1000 for to in marked]
    at_most = [
        (min(c for c in slow_smtp.connected if c > accepted_at[to]) - accepted_at[to]) * 1000
        for to in marked
        if any(c > accepted_at[to] for c in slow_smtp.connected)
    ]
    print(
        f"kill window (accepted by the mail server, not yet marked sent) over "
        f"{len(at_least)} messages: at least median {statistics.median(at_least):.1f} ms, "
        f"max {max(at_least):.1f} ms; at most median {statistics.median(at_most):.1f} ms, "
        f"max {max(at_most):.1f} ms"
    )
    assert all(0 <= window < 1000 for window in at_least), at_least
