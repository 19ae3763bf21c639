"""Background work: reminders queued per second by the beat task, emails
sent per second by one Celery worker with two processes to a local SMTP sink.

`python -m bench.jobs <out.json> --reminders 2000` (run by `python -m bench`).
The meetings it moves get a new version each run, so each run queues fresh
reminders; the data set stays otherwise as it was.
"""

import argparse
import json
import os
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echo.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, F, Max, Min, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from echo import mail  # noqa: E402
from echo.celery import app  # noqa: E402
from echo.models import OutgoingEmail  # noqa: E402
from events import reminders  # noqa: E402
from events.models import Meeting, Rsvp  # noqa: E402
from groups.models import GroupMembership  # noqa: E402
from members.models import Member  # noqa: E402

from . import config, server  # noqa: E402


def waiting_in_broker():
    """Messages in Celery's queue on the (Redis) broker."""
    with app.connection_for_read() as connection:
        return connection.default_channel.client.llen("celery")


@transaction.atomic
def make_reminders_due(wanted):
    """Move enough meetings (not of the benchmark's member's groups) to
    tomorrow, 30 minutes less, so that the one-day reminders of about
    `wanted` members going are due now. Returns how many are due."""
    now = timezone.now()
    own_groups = GroupMembership.objects.filter(member__user__email=config.MEMBER_EMAIL).values(
        "group"
    )
    going = Count(
        "rsvps",
        filter=Q(rsvps__answer=Rsvp.Answer.GOING, rsvps__member__status=Member.Status.ACTIVE),
    )
    candidates = (
        Meeting.objects.filter(cancelled_at__isnull=True, starts_at__gt=now)
        .exclude(group__in=own_groups)
        .annotate(going=going)
        .filter(going__gt=0)
        .order_by("starts_at", "pk")
        .values_list("pk", "going")
    )
    chosen, total = [], 0
    for pk, count in candidates.iterator():
        if total >= wanted:
            break
        chosen.append(pk)
        total += count
    starts_at = now + timedelta(days=1, minutes=-30)
    Meeting.objects.filter(pk__in=chosen).update(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        rsvp_closes_at=starts_at,
        # A new version: the reminders of earlier runs do not count for it.
        sequence=F("sequence") + 1,
    )
    # Going since before the reminder's moment, with the default reminders.
    Rsvp.objects.filter(meeting__in=chosen, answer=Rsvp.Answer.GOING).update(
        answered_at=now - timedelta(days=3)
    )
    Member.objects.filter(rsvps__meeting__in=chosen).update(reminder_offsets=[24 * 60, 2 * 60])
    return total, len(chosen)


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--logs", default=str(config.VAR / "logs"))
    args = parser.parse_args(argv)

    # What earlier runs queued and sent is of no use; nor what waits in the broker.
    OutgoingEmail.objects.all().delete()
    app.control.purge()
    due, meetings = make_reminders_due(args.reminders)

    # The beat task as it runs every minute, here with no worker yet: the
    # time includes handing the emails to the broker after the commit.
    statements = []
    started = time.perf_counter()
    with connection.execute_wrapper(
        lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)
    ):
        queued = reminders.queue_due_reminders()
    queue_seconds = time.perf_counter() - started
    print(
        f"Reminders: {queued:,} queued ({due:,} reminders of {meetings} meetings and their "
        f"facilitators' lists) in {queue_seconds:.2f}s: {queued / queue_seconds:,.0f}/s; "
        f"{len(statements)} SQL statements",
        flush=True,
    )
    # One message to the broker per batch of emails (echo.mail.hand_over_due).
    batches = mail.batches_for(queued)
    handed_over = waiting_in_broker()
    if handed_over < batches:
        # A hand-over failed and Echo paused the others (echo.mail.publish):
        # in production the sweep hands them over within a minute; here it
        # runs now, so that the worker is measured on all of them.
        print(
            f"  only {handed_over:,} of {batches:,} batches reached the broker (see the warning "
            "above); the rest are handed over as the sweep would",
            flush=True,
        )
        app.control.purge()
        mail._broker_down_until = 0.0
        mail.hand_over_due(len(mail.due_email_ids(limit=queued)))

    port = server.free_port()
    env = dict(os.environ) | {"EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    sink = server.Process(
        "smtp-sink", [sys.executable, "-m", "bench.smtp_sink", str(port)], env, args.logs
    )
    worker = None
    try:
        server.wait_until(lambda: "listening" in sink.log(), 15)
        # As the worker's systemd unit starts it (deploy/systemd/echo-worker.service).
        worker = server.Process(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "echo",
                "worker",
                "--concurrency=2",
                "--loglevel=WARNING",
                "--without-mingle",
                "--without-gossip",
                "-n",
                "bench@%h",
            ],
            env,
            args.logs,
        )
        outbox = OutgoingEmail.objects.filter(kind__in=["events.reminder", "events.digest"])
        done = [OutgoingEmail.State.SENT, OutgoingEmail.State.FAILED, OutgoingEmail.State.MISSED]
        pending = ~Q(state__in=done)
        finished = server.wait_until(lambda: not outbox.filter(pending).exists(), 600, 0.2)
    finally:
        if worker:
            worker.stop()
        sink.stop()
    span = outbox.filter(state=OutgoingEmail.State.SENT).aggregate(
        first=Min("claimed_at"), last=Max("sent_at"), sent=Count("pk")
    )
    failed = outbox.filter(state=OutgoingEmail.State.FAILED).count()
    seconds = (span["last"] - span["first"]).total_seconds() if span["sent"] else 0
    received = (
        int(sink.log().rsplit("received ", 1)[-1].split()[0]) if "received" in sink.log() else 0
    )
    print(
        f"Emails: {span['sent']:,} sent by one worker (2 processes) in {seconds:.2f}s: "
        f"{span['sent'] / seconds if seconds else 0:,.0f}/s; {failed} failed; "
        f"{received:,} received by the SMTP sink{'' if finished else '; TIMED OUT'}",
        flush=True,
    )
    with open(args.out, "w") as out:
        json.dump(
            {
                "reminders": {
                    "queued": queued,
                    "handed_over": handed_over,
                    "batches": batches,
                    "statements": len(statements),
                    "due": due,
                    "meetings": meetings,
                    "seconds": queue_seconds,
                    "per_second": queued / queue_seconds if queue_seconds else 0,
                },
                "emails": {
                    "sent": span["sent"],
                    "failed": failed,
                    "received": received,
                    "seconds": seconds,
                    "per_second": span["sent"] / seconds if seconds else 0,
                    "finished": finished,
                },
            },
            out,
            indent=1,
        )
    if not finished or failed:
        raise SystemExit("Not every email was sent: see var/bench/logs/worker.log")


if __name__ == "__main__":
    main(sys.argv[1:])
