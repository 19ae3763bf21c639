from datetime import date

from django.core.management.base import BaseCommand, CommandError

from growth import snapshots


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since takes a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Write the daily figures of past days from the membership history, meetings "
        "and attendance. Days that already have figures are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=_date,
            help="first day, YYYY-MM-DD (default: the first day with any history)",
        )

    def handle(self, *args, since=None, **options):
        if isinstance(since, str):  # call_command(since="...") skips the parser
            since = _date(since)
        written, kept = snapshots.backfill(since)
        self.stdout.write(f"{written} daily figures written, {kept} already there and kept.")
