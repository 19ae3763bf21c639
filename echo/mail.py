"""Outgoing email: queue as a row, deliver from a Celery task, sweep the rest."""

import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models.constants import OnConflict
from django.dispatch import Signal
from django.utils import timezone

from . import audit, email_kinds
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)
KEEP_SENT = timedelta(days=7)
# How long a worker keeps trying to record that an email was sent when the
# database went away meanwhile (a restart, a fail-over): giving up leaves the
# row to the stale-claim path, which sends the email a second time.
MARK_SENT_PATIENCE = 60.0  # seconds

# emails: the failed emails whose bodies were just cleared (see give_up_failed).
# The members app tells the coordinators of their regions; sent in the
# sweep's transaction.
emails_given_up = Signal()


def queue_email(
    *,
    to,
    subject,
    body_text,
    body_html="",
    kind,
    key=None,
    due_at=None,
    expires_at=None,
    region="",
    recipient_code="",
):
    """Store an email of `kind` (an `email_kinds.EmailKind`) to send once the
    current transaction commits.

    With a `key` (made by `kind.key(...)`), queuing the same notification
    again does nothing. An email whose `expires_at` has already passed is
    only recorded, as missed: its key is taken, so it is never sent later either.
    """
    email_kinds.check(kind, key)
    now = timezone.now()
    missed = expires_at is not None and expires_at <= now
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                to=to,
                subject=subject,
                # What is never sent need not be kept.
                body_text="" if missed else body_text,
                body_html="" if missed else body_html,
                kind=kind.name,
                key=key,
                due_at=due_at or now,
                expires_at=expires_at,
                state=OutgoingEmail.State.MISSED if missed else OutgoingEmail.State.PENDING,
                region=region,
                recipient_code=recipient_code,
            )
    except IntegrityError:
        if key and OutgoingEmail.objects.filter(key=key).exists():
            return None
        raise
    if not missed and email.due_at <= now:
        transaction.on_commit(lambda: hand_over(email.pk))
    return email


def queue_emails(kind, emails):
    """Store many emails of one `kind` at once (a minute's reminders): one
    INSERT per few hundred, and an email whose key is taken is skipped, as
    `queue_email` skips it. `emails` are dicts of `queue_email`'s other
    arguments, each with a `key`. Returns how many were stored."""
    email_kinds.check(kind)
    now = timezone.now()
    rows = []
    for email in emails:
        key = email["key"]
        email_kinds.check(kind, key or "")
        expires_at = email.get("expires_at")
        missed = expires_at is not None and expires_at <= now
        rows.append(
            OutgoingEmail(
                to=email["to"],
                subject=email["subject"],
                body_text="" if missed else email["body_text"],
                body_html="" if missed else email.get("body_html", ""),
                kind=kind.name,
                key=key,
                due_at=email.get("due_at") or now,
                expires_at=expires_at,
                state=OutgoingEmail.State.MISSED if missed else OutgoingEmail.State.PENDING,
                region=email.get("region", ""),
                recipient_code=email.get("recipient_code", ""),
            )
        )
    if not rows:
        return 0
    with transaction.atomic():
        stored = _insert_new(rows)
    keys = {key for _pk, key in stored}
    due_now = sum(
        1
        for row in rows
        if (row.key is None or row.key in keys)
        and row.state == OutgoingEmail.State.PENDING
        and row.due_at <= now
    )
    if due_now:
        transaction.on_commit(lambda: hand_over_due(due_now))
    return len(stored)


def _insert_new(rows, batch_size=500):
    """INSERT the rows whose key is not taken yet, `batch_size` per
    statement; returns (id, key) of those stored.

    This is what `bulk_create(ignore_conflicts=True)` runs (ON CONFLICT DO
    NOTHING; INSERT OR IGNORE on SQLite) plus the RETURNING it leaves out: a
    row whose key another run stored a moment ago is skipped inside the same
    statement, and what was stored is known without counting before and after."""
    opts = OutgoingEmail._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    for row in rows:
        for field in fields:
            # As bulk_create: auto_now_add and the like.
            field.pre_save(row, add=True)
    batch_size = min(batch_size, connection.ops.bulk_batch_size(fields, rows))
    stored = []
    for start in range(0, len(rows), batch_size):
        stored += OutgoingEmail.objects._insert(
            rows[start : start + batch_size],
            fields=fields,
            returning_fields=[opts.pk, opts.get_field("key")],
            on_conflict=OnConflict.IGNORE,
        )
    return stored


# After a failed hand-over this process leaves emails to the sweep for a
# while: a request that queues forty emails must not wait forty timeouts.
BROKER_PAUSE = 30  # seconds
_broker_down_until = 0.0


def publish(task, *args):
    """Give a task to the worker; False if the broker is down (or was a moment ago)."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        task.delay(*args)
    except Exception as error:
        _broker_down_until = time.monotonic() + BROKER_PAUSE
        logger.warning("Broker unavailable (%r); %s not handed over.", error, task.name)
        return False
    return True


def hand_over(email_id):
    """Give an email to the worker; if the broker is down, the sweep will."""
    from .tasks import deliver_email

    if not publish(deliver_email, email_id):
        logger.info("Email %s waits for the sweep.", email_id)


# Emails sent by one batch task, over one connection to the mail server.
BATCH_SIZE = 100


def batches_for(count):
    return -(-count // BATCH_SIZE)


def hand_over_due(count):
    """About `count` emails are due: give the worker enough batches for them
    (one message to the broker per batch, not per email)."""
    from .tasks import deliver_due_emails

    for _ in range(batches_for(count)):
        if not publish(deliver_due_emails):
            logger.info("%s emails wait for the sweep.", count)
            return


def claim(email_id):
    """Mark one due email as being sent; False if someone else has it."""
    now = timezone.now()
    return bool(
        OutgoingEmail.objects.filter(
            pk=email_id, state=OutgoingEmail.State.PENDING, due_at__lte=now
        ).update(state=OutgoingEmail.State.SENDING, claimed_at=now)
    )


def deliver(email_id):
    """Send one claimed email; on failure retry later with backoff, then give up."""
    if not claim(email_id):
        return
    email = OutgoingEmail.objects.get(pk=email_id)
    if email.has_expired():
        # Late is worse than never for a reminder: "tomorrow" read the next day.
        _mark_missed(email_id)
        return
    try:
        _message(email).send()
    except Exception as error:
        _mark_failed(email, error)
        return
    mark_sent(email_id, attempts=email.attempts + 1)


def _message(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def _mark_missed(email_id):
    # Late is worse than never for a reminder: "tomorrow" read the next day.
    OutgoingEmail.objects.filter(pk=email_id).update(
        state=OutgoingEmail.State.MISSED, claimed_at=None, body_text="", body_html=""
    )
    logger.info("Email %s missed its moment; not sent.", email_id)


def _mark_failed(email, error):
    """Try again later with backoff, or give up after EMAIL_MAX_ATTEMPTS."""
    attempts = email.attempts + 1
    failed = attempts >= settings.EMAIL_MAX_ATTEMPTS
    now = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=OutgoingEmail.State.FAILED if failed else OutgoingEmail.State.PENDING,
        failed_at=now if failed else None,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:1000],
        due_at=now + timedelta(minutes=2**attempts),
        claimed_at=None,
    )
    logger.warning("Email %s not sent (attempt %s): %s", email.pk, attempts, error)


def mark_sent(email_id, *, attempts, patience=None):
    """Record that the mail server accepted an email. The connection may
    have died while the mail server talked (a database restart): then
    reconnect and try again, with backoff, for MARK_SENT_PATIENCE seconds,
    since the alternative is the same email sent twice. True once recorded."""
    deadline = time.monotonic() + (MARK_SENT_PATIENCE if patience is None else patience)
    pause = 0.2
    while True:
        try:
            OutgoingEmail.objects.filter(pk=email_id).update(
                state=OutgoingEmail.State.SENT,
                attempts=attempts,
                sent_at=timezone.now(),
                last_error="",
                # What was sent need not stay: keep only the envelope.
                body_text="",
                body_html="",
            )
            return True
        except (OperationalError, InterfaceError) as error:
            if connection.in_atomic_block:
                # A transaction cannot be resumed on a new connection.
                raise
            if time.monotonic() + pause > deadline:
                logger.error(
                    "Email %s was sent but could not be marked sent (%s); "
                    "it will be sent again once its claim goes stale.",
                    email_id,
                    error,
                )
                return False
            logger.warning(
                "Email %s was sent; the database is unavailable (%s), trying again in %.1f s.",
                email_id,
                error,
                pause,
            )
            _reconnect()
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _reconnect():
    """Drop the broken connection; the next query opens a new one."""
    try:
        connection.close()
    except Exception:
        # Closing a connection the server already dropped may complain;
        # Django has forgotten it either way.
        connection.connection = None


def claim_batch(limit=BATCH_SIZE):
    """Mark up to `limit` due emails as being sent, for this worker only;
    returns (their ids, the claim's moment).

    One UPDATE ... RETURNING: what it returns is what this worker holds,
    whatever another worker claims at the same moment. On PostgreSQL the rows
    another worker is claiming are skipped, not waited for (SKIP LOCKED), and
    a row claimed meanwhile fails the outer `state` condition; SQLite runs one
    writing statement at a time."""
    now = timezone.now()
    table = connection.ops.quote_name(OutgoingEmail._meta.db_table)
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    pending, sending = OutgoingEmail.State.PENDING, OutgoingEmail.State.SENDING
    moment = connection.ops.adapt_datetimefield_value(now)
    # The picked rows are materialized once: as a subquery in `id IN (...)`
    # PostgreSQL may run the LIMIT again per row and claim more than `limit`.
    sql = (
        f"WITH picked AS MATERIALIZED (SELECT id FROM {table} "  # noqa: S608 (fixed names)
        f"WHERE state = %s AND due_at <= %s ORDER BY due_at, id LIMIT %s{skip_locked}) "
        f"UPDATE {table} SET state = %s, claimed_at = %s FROM picked "
        f"WHERE {table}.id = picked.id AND {table}.state = %s RETURNING {table}.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pending, moment, limit, sending, moment, pending])
        return [pk for (pk,) in cursor.fetchall()], now


# A batch stops sending once its claim is this old and gives back the rest:
# past STALE_CLAIM the sweep takes the claim to be a dead worker's and hands
# the emails out again, and both would send them.
HOLD_CLAIM_AT_MOST = STALE_CLAIM / 2


def _release(emails, claimed_at):
    """Give back claimed emails not tried: pending again, as they were
    (no attempt counted); only while the claim is still this worker's."""
    if emails:
        OutgoingEmail.objects.filter(
            pk__in=[email.pk for email in emails],
            state=OutgoingEmail.State.SENDING,
            claimed_at=claimed_at,
        ).update(state=OutgoingEmail.State.PENDING, claimed_at=None)


def _this_message_only(error):
    """A failure of the one message (an address the server refused), not of
    the mail server or the connection to it: the batch goes on."""
    return isinstance(
        error,
        (
            smtplib.SMTPRecipientsRefused,
            smtplib.SMTPSenderRefused,
            smtplib.SMTPDataError,
            ValueError,
        ),
    )


def deliver_batch(limit=BATCH_SIZE):
    """Claim up to `limit` due emails and send them over one connection to
    the mail server, marking each sent or failed as it goes. Returns how many
    were claimed (so a caller can tell whether more may be waiting).

    Each email is marked sent as soon as the mail server took it (and that
    mark survives a database restart, see `mark_sent`): a worker killed
    mid-batch sends again only the one email it was sending, as `deliver`
    does. When the mail server or the connection to it fails, that email is
    tried again later with backoff and the rest of the batch is given back
    untried (the next batch or the sweep takes it): a mail server that is
    down costs one timeout, not one per email."""
    ids, claimed_at = claim_batch(limit)
    if not ids:
        return 0
    emails = list(OutgoingEmail.objects.filter(pk__in=ids).order_by("due_at", "pk"))
    started = time.monotonic()
    smtp = mailers.default
    try:
        for n, email in enumerate(emails):
            if time.monotonic() - started > HOLD_CLAIM_AT_MOST.total_seconds():
                _release(emails[n:], claimed_at)
                logger.warning("A batch ran out of time; %s emails given back.", len(ids) - n)
                break
            if email.has_expired():
                _mark_missed(email.pk)
                continue
            try:
                smtp.open()  # once for the batch, or again after a failure
                smtp.send_messages([_message(email)])
            except Exception as error:
                _mark_failed(email, error)
                _close_quietly(smtp)
                if not _this_message_only(error):
                    _release(emails[n + 1 :], claimed_at)
                    break
                continue
            mark_sent(email.pk, attempts=email.attempts + 1)
    finally:
        _close_quietly(smtp)
    return len(ids)


def _close_quietly(smtp):
    # A connection that failed may fail again at QUIT; it is dropped either way.
    try:
        smtp.close()
    except Exception:
        logger.debug("Closing the mail connection failed.", exc_info=True)


def due_email_ids(limit=500):
    """Release claims of dead workers, forget old sent mail, list what is due."""
    now = timezone.now()
    OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(state=OutgoingEmail.State.PENDING, claimed_at=None)
    OutgoingEmail.objects.filter(
        state__in=[
            OutgoingEmail.State.SENT,
            OutgoingEmail.State.CANCELLED,
            OutgoingEmail.State.MISSED,
        ],
        created_at__lt=now - KEEP_SENT,
    ).delete()
    return list(
        OutgoingEmail.objects.filter(
            state=OutgoingEmail.State.PENDING, due_at__lte=now
        ).values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def give_up_failed():
    """Clear the body of every email that failed more than
    FAILED_EMAIL_BODY_DAYS ago: an intake message or a meeting place does not
    wait in the database for a mail server that never comes back. The email
    stays on the coordinators' page of failed deliveries, can no longer be
    tried again, and `emails_given_up` tells the coordinators of its region.
    Returns how many were given up."""
    now = timezone.now()
    due = OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.FAILED,
        given_up_at=None,
        failed_at__lt=now - timedelta(days=settings.FAILED_EMAIL_BODY_DAYS),
    )
    mine = [
        pk
        for pk in due.values_list("pk", flat=True)[:500]
        # The condition again, row by row: a sweep running at the same time,
        # or a coordinator's retry, leaves this one 0 rows to take.
        if OutgoingEmail.objects.filter(
            pk=pk, state=OutgoingEmail.State.FAILED, given_up_at=None
        ).update(given_up_at=now, body_text="", body_html="")
    ]
    if mine:
        given_up = list(
            OutgoingEmail.objects.filter(pk__in=mine)
            .only("code", "kind", "region", "recipient_code")
            .order_by("pk")
        )
        emails_given_up.send(sender=OutgoingEmail, emails=given_up)
    return len(mine)


def cancel_pending(key_prefix, recipient_code=None):
    """Cancel every email not yet handed to the mail server whose key starts
    with `key_prefix` (the reminders of a meeting that was cancelled or moved),
    or only those to one member."""
    pending = OutgoingEmail.objects.filter(
        key__startswith=key_prefix, state=OutgoingEmail.State.PENDING
    )
    if recipient_code:
        pending = pending.filter(recipient_code=recipient_code)
    return pending.update(state=OutgoingEmail.State.CANCELLED, body_text="", body_html="")


@transaction.atomic
def retry_delivery(actor, email):
    """A coordinator tries a failed email again: it starts over as pending,
    due now, with all its attempts. One whose moment has passed, or that was
    given up (its body is gone), is marked missed instead. Returns the new
    state, or None if it was no longer failed (someone else retried it a
    moment ago)."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if email.state != OutgoingEmail.State.FAILED:
        return None
    if email.has_expired() or email.given_up_at:
        email.state = OutgoingEmail.State.MISSED
        email.body_text = email.body_html = ""
        email.save(update_fields=["state", "body_text", "body_html"])
    else:
        email.state = OutgoingEmail.State.PENDING
        email.attempts = 0
        email.due_at = timezone.now()
        email.claimed_at = email.failed_at = None
        email.save(update_fields=["state", "attempts", "due_at", "claimed_at", "failed_at"])
        transaction.on_commit(lambda: hand_over(email.pk))
    audit.record(
        actor,
        "echo.email.retried"
        if email.state == OutgoingEmail.State.PENDING
        else "echo.email.dropped",
        email,
        region=email.region,
        kind=email.kind,
    )
    return email.state
