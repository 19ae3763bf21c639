"""Moderation reasons become encrypted fields; the reasons already written are
encrypted in place, while the historical models still read them as plain text."""

from django.db import migrations

import echo.fields

REASONS = {
    "Post": ("reject_reason", "moderator_edit_reason"),
    "PostRevision": ("reason",),
    "ModerationAction": ("reason",),
    "Mute": ("reason",),
}


def encrypt_reasons(apps, schema_editor):
    for model, fields in REASONS.items():
        echo.fields.encrypt_existing_rows(apps.get_model("boards", model), *fields)


def decrypt_reasons(apps, schema_editor):
    for model, fields in REASONS.items():
        echo.fields.decrypt_existing_rows(apps.get_model("boards", model), *fields)


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0004_community_board_and_staff_room"),
    ]

    operations = [
        migrations.RunPython(encrypt_reasons, decrypt_reasons),
        migrations.AlterField(
            model_name="moderationaction",
            name="reason",
            field=echo.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="mute",
            name="reason",
            field=echo.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="post",
            name="moderator_edit_reason",
            field=echo.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="post",
            name="reject_reason",
            field=echo.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="postrevision",
            name="reason",
            field=echo.fields.EncryptedTextField(blank=True),
        ),
    ]
