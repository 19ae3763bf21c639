"""What was stored in plain text before a field was encrypted is encrypted by
the migrations, reads back the same, and goes back to plain text when the
migrations are reversed: outbox bodies, moderation and suspension reasons,
second-factor secrets."""

import json
import secrets
import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from boards.models import ModerationAction, Mute, Post, PostRevision
from echo.fields import decrypt
from echo.models import OutgoingEmail
from members.models import Suspension

from ..factories import TOTP_SECRET

# The schema just before the encryption migrations.
BEFORE = [
    ("echo", "0003_outgoing_email_expiry_and_region"),
    ("members", "0007_sign_in_notices"),
    ("boards", "0004_community_board_and_staff_room"),
    ("mfa", "0003_authenticator_type_uniq"),
]
SEED = secrets.token_hex(40)
PLAIN = {
    ("echo_outgoingemail", "body_text"): "Het adres is Kerkstraat 1",
    ("echo_outgoingemail", "body_html"): "<p>Het adres is Kerkstraat 1</p>",
    ("boards_post", "reject_reason"): "Noemt de naam van een leraar",
    ("boards_post", "moderator_edit_reason"): "Telefoonnummer weggehaald",
    ("boards_postrevision", "reason"): "Telefoonnummer weggehaald",
    ("boards_moderationaction", "reason"): "Noemt de naam van een leraar",
    ("boards_mute", "reason"): "Bleef namen noemen",
    ("members_suspension", "reason"): "Bedreigde een ander lid",
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def raw(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        return [row[0] for row in cursor.fetchall()]


def authenticator_data():
    return {
        kind: data if isinstance(data, dict) else json.loads(data)
        for kind, data in zip(
            raw("mfa_authenticator", "type"), raw("mfa_authenticator", "data"), strict=True
        )
    }


def _old_data(apps):
    now = timezone.now()
    user = apps.get_model("members", "User").objects.create(email="a@example.org", password="!")
    apps.get_model("mfa", "Authenticator").objects.create(
        user=user, type="totp", data={"secret": TOTP_SECRET}
    )
    apps.get_model("mfa", "Authenticator").objects.create(
        user=user, type="recovery_codes", data={"seed": SEED, "used_mask": 0}
    )
    apps.get_model("echo", "OutgoingEmail").objects.create(
        to="a@example.org",
        subject="Echo",
        kind="events.reminder",
        state="failed",
        body_text=PLAIN["echo_outgoingemail", "body_text"],
        body_html=PLAIN["echo_outgoingemail", "body_html"],
    )
    # The community board, as its data migration made it.
    board = apps.get_model("boards", "Board").objects.get(kind="community")
    thread = apps.get_model("boards", "Thread").objects.create(
        code="oldthread", board=board, title="Slapen"
    )
    post = apps.get_model("boards", "Post").objects.create(
        code="oldpost",
        thread=thread,
        body="Hallo",
        body_html="<p>Hallo</p>",
        reject_reason=PLAIN["boards_post", "reject_reason"],
        moderator_edit_reason=PLAIN["boards_post", "moderator_edit_reason"],
    )
    apps.get_model("boards", "PostRevision").objects.create(
        post=post, body="Hallo 0470", reason=PLAIN["boards_postrevision", "reason"]
    )
    apps.get_model("boards", "ModerationAction").objects.create(
        board=board, post=post, action="rejected", reason=PLAIN["boards_moderationaction", "reason"]
    )
    apps.get_model("boards", "Mute").objects.create(
        board=board, user=user, until=now + timedelta(days=3), reason=PLAIN["boards_mute", "reason"]
    )
    apps.get_model("members", "Suspension").objects.create(
        user=user, until=now + timedelta(days=3), reason=PLAIN["members_suspension", "reason"]
    )


@pytest.mark.django_db(transaction=True)
def test_plain_text_written_before_is_encrypted_and_reads_back_the_same():
    old = migrate(BEFORE)
    try:
        _old_data(old)

        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        for (table, column), plain in PLAIN.items():
            (stored,) = [value for value in raw(table, column) if value]
            assert stored.startswith("gAAAAA") and decrypt(stored) == plain, (table, column)
        email = OutgoingEmail.objects.get()
        assert (email.body_text, email.body_html) == (
            PLAIN["echo_outgoingemail", "body_text"],
            PLAIN["echo_outgoingemail", "body_html"],
        )
        assert email.failed_at  # and so it is given up in its time
        post = Post.objects.get(code="oldpost")
        assert post.reject_reason == PLAIN["boards_post", "reject_reason"]
        assert post.moderator_edit_reason == PLAIN["boards_post", "moderator_edit_reason"]
        assert PostRevision.objects.get().reason == PLAIN["boards_postrevision", "reason"]
        assert (
            ModerationAction.objects.get(post=post).reason
            == PLAIN["boards_moderationaction", "reason"]
        )
        assert Mute.objects.get().reason == PLAIN["boards_mute", "reason"]
        assert Suspension.objects.get().reason == PLAIN["members_suspension", "reason"]
        # The second factor set up before still signs in, now from encrypted data.
        data = authenticator_data()
        assert TOTP_SECRET not in json.dumps(data) and SEED not in json.dumps(data)
        assert decrypt(data["recovery_codes"]["seed"]) == SEED
        code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
        assert Authenticator.objects.get(type="totp").wrap().validate_code(code)

        # And back: the plain text returns.
        migrate(BEFORE)
        for (table, column), plain in PLAIN.items():
            assert [value for value in raw(table, column) if value] == [plain], (table, column)
        assert authenticator_data()["totp"]["secret"] == TOTP_SECRET
        assert authenticator_data()["recovery_codes"]["seed"] == SEED
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
