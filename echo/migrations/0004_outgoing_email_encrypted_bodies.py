from django.db import migrations, models
from django.db.models import F

import echo.fields


def encrypt_bodies(apps, schema_editor):
    OutgoingEmail = apps.get_model("echo", "OutgoingEmail")
    # A failed email's last attempt set due_at to a little after it failed.
    OutgoingEmail.objects.filter(state="failed").update(failed_at=F("due_at"))
    echo.fields.encrypt_existing_rows(OutgoingEmail, "body_text", "body_html")


def decrypt_bodies(apps, schema_editor):
    OutgoingEmail = apps.get_model("echo", "OutgoingEmail")
    echo.fields.decrypt_existing_rows(OutgoingEmail, "body_text", "body_html")


class Migration(migrations.Migration):
    dependencies = [
        ("echo", "0003_outgoing_email_expiry_and_region"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="failed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="given_up_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        # While the bodies are still plain text fields in the historical model.
        migrations.RunPython(encrypt_bodies, decrypt_bodies),
        migrations.AlterField(
            model_name="outgoingemail",
            name="body_html",
            field=echo.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="outgoingemail",
            name="body_text",
            field=echo.fields.EncryptedTextField(),
        ),
    ]
