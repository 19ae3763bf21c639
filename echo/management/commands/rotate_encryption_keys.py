from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from echo.fields import EncryptedTextField, reencrypters


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field, and the second-factor secrets, with "
        "the newest key (the first of FIELD_ENCRYPTION_KEYS). Afterwards the "
        "older keys can be removed."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            fields = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            count = 0
            with transaction.atomic():
                rows = model._default_manager.select_for_update().only("pk", *fields)
                for row in rows.iterator(chunk_size=500):
                    # Reading decrypts with any key; saving encrypts with the newest.
                    row.save(update_fields=fields)
                    count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        # What apps encrypt outside the fields (second-factor secrets).
        for label, reencrypt in reencrypters().items():
            count = reencrypt()
            self.stdout.write(f"{label}: {count} rows re-encrypted")
