"""Outgoing email: queue as a row, deliver from a Celery task, sweep the rest."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)
KEEP_SENT = timedelta(days=7)


def render_email(template_prefix, context, language):
    """Render `<prefix>_subject.txt`, `_body.txt` and `_body.html` in a language."""
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        text = render_to_string(f"{template_prefix}_body.txt", context)
        html = render_to_string(f"{template_prefix}_body.html", context)
    return " ".join(subject.split()), text, html


def queue_email(*, to, subject, body_text, body_html="", kind, key=None, due_at=None):
    """Store an email to send once the current transaction commits.

    With a `key`, queuing the same notification again does nothing.
    """
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                to=to,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                kind=kind,
                key=key,
                due_at=due_at or timezone.now(),
            )
    except IntegrityError:
        if key and OutgoingEmail.objects.filter(key=key).exists():
            return None
        raise
    if email.due_at <= timezone.now():
        transaction.on_commit(lambda: hand_over(email.pk))
    return email


def queue_templated_email(*, to, template_prefix, context, language, kind, key=None):
    subject, text, html = render_email(template_prefix, context, language)
    return queue_email(to=to, subject=subject, body_text=text, body_html=html, kind=kind, key=key)


def hand_over(email_id):
    """Give an email to the worker; if the broker is down, the sweep will."""
    from .tasks import deliver_email

    try:
        deliver_email.delay(email_id)
    except Exception:
        logger.warning("Broker unavailable; email %s waits for the sweep.", email_id)


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
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as error:
        attempts = email.attempts + 1
        failed = attempts >= settings.EMAIL_MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=email_id).update(
            state=OutgoingEmail.State.FAILED if failed else OutgoingEmail.State.PENDING,
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:1000],
            due_at=timezone.now() + timedelta(minutes=2**attempts),
            claimed_at=None,
        )
        logger.warning("Email %s not sent (attempt %s): %s", email_id, attempts, error)
        return
    OutgoingEmail.objects.filter(pk=email_id).update(
        state=OutgoingEmail.State.SENT,
        attempts=email.attempts + 1,
        sent_at=timezone.now(),
        last_error="",
        # What was sent need not stay: keep only the envelope.
        body_text="",
        body_html="",
    )


def due_email_ids():
    """Release claims of dead workers, forget old sent mail, list what is due."""
    now = timezone.now()
    OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(state=OutgoingEmail.State.PENDING, claimed_at=None)
    OutgoingEmail.objects.filter(
        Q(state=OutgoingEmail.State.SENT) | Q(state=OutgoingEmail.State.CANCELLED),
        created_at__lt=now - KEEP_SENT,
    ).delete()
    return list(
        OutgoingEmail.objects.filter(
            state=OutgoingEmail.State.PENDING, due_at__lte=now
        ).values_list("pk", flat=True)[:500]
    )
