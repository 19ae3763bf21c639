"""A suspension's reason becomes an encrypted field; the reasons already
written are encrypted in place, while the historical model still reads them
as plain text."""

from django.db import migrations

import echo.fields


def encrypt_reasons(apps, schema_editor):
    echo.fields.encrypt_existing_rows(apps.get_model("members", "Suspension"), "reason")


def decrypt_reasons(apps, schema_editor):
    echo.fields.decrypt_existing_rows(apps.get_model("members", "Suspension"), "reason")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_encrypt_second_factor_secrets"),
    ]

    operations = [
        migrations.RunPython(encrypt_reasons, decrypt_reasons),
        migrations.AlterField(
            model_name="suspension",
            name="reason",
            field=echo.fields.EncryptedTextField(),
        ),
    ]
