from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from echo.fields import EncryptedTextField, reencrypters
from echo.progress import Progress, duration


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field, and the second-factor secrets, with "
        "the newest key (the first of FIELD_ENCRYPTION_KEYS). Afterwards the "
        "older keys can be removed."
    )

    def handle(self, *args, **options):
        models = [
            (model, [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)])
            for model in apps.get_models()
        ]
        models = [(model, fields) for model, fields in models if fields]
        total = sum(model._default_manager.count() for model, _fields in models)
        with Progress(total, "Re-encrypting", stream=self.stderr, unit="rows") as progress:
            for model, fields in models:
                progress.relabel(f"Re-encrypting {model._meta.label}")
                with transaction.atomic():
                    rows = model._default_manager.select_for_update().only("pk", *fields)
                    for row in rows.iterator(chunk_size=500):
                        # Reading decrypts with any key; saving encrypts with the newest.
                        row.save(update_fields=fields)
                        progress.advance()
        # What apps encrypt outside the fields (second-factor secrets).
        others = sum(reencrypt() for reencrypt in reencrypters().values())
        self.stdout.write(
            f"{progress.done:,} rows of {len(models)} models and {others:,} other rows "
            f"re-encrypted with the newest key in {duration(progress.elapsed)}."
        )
