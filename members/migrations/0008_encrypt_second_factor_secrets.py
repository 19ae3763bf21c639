"""Second-factor secrets that allauth stored in plain text, before Echo's MFA
adapter encrypted them, are encrypted with the key ring: after this, the
adapter's decrypt() can be strict and a wrong key fails loudly."""

from django.db import migrations

from echo.fields import decrypt, encrypt, is_encrypted

# What allauth passes through the MFA adapter's encrypt() (see
# members.adapters.convert_second_factor_secrets), as of allauth 65.
SECRETS = ("secret", "seed")
CODE_LISTS = ("migrated_codes",)


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        for key in SECRETS:
            if data.get(key):
                data[key] = convert(data[key])
        for key in CODE_LISTS:
            if data.get(key):
                data[key] = [convert(code) for code in data[key]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    _convert(apps, lambda value: value if is_encrypted(value) else encrypt(value))


def decrypt_secrets(apps, schema_editor):
    _convert(apps, lambda value: decrypt(value) if is_encrypted(value) else value)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_sign_in_notices"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
