from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from echo.progress import Progress, duration
from growth import snapshots


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since takes a date as YYYY-MM-DD, not {value!r}.") from error


def months(first, last):
    """(first day, last day) of each calendar month from `first` to `last`, cut to them."""
    start = first
    while start <= last:
        following = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(following - timedelta(days=1), last)
        yield start, end
        start = following


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
        last = snapshots.yesterday()
        since = since or snapshots.first_day_with_history()
        if since is None or since > last:
            self.stdout.write("No days to fill in: 0 daily figures written.")
            return
        written = kept = 0
        # Where the rows pass through Python (SQLite), a month at a time, each
        # in its own transaction: the progress shows, memory stays bounded,
        # and a run stopped part-way keeps the months it wrote (the next run
        # fills in the rest). A month computed with `now` at the start of the
        # day after it holds what one long run would. On PostgreSQL the whole
        # period is one INSERT ... SELECT of a second or so.
        spans = [(since, last)] if snapshots.set_based() else months(since, last)
        with Progress((last - since).days + 1, "Backfilling", stream=self.stderr, unit="days") as p:
            for first, end in spans:
                p.relabel(f"Backfilling {first:%Y-%m} to {end:%Y-%m}")
                done = snapshots.backfill(first, now=snapshots.start_of(end + timedelta(days=1)))
                written, kept = written + done[0], kept + done[1]
                p.advance((end - first).days + 1)
        self.stdout.write(
            f"Days {since} to {last}: {written:,} daily figures written, {kept:,} already there "
            f"and kept, in {duration(p.elapsed)}."
        )
