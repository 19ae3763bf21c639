"""The daily figures on the growth data set (100,000 members): the backfill
of every day from the first with history, and one night's snapshot.

`python -m bench.growth <out.json>` (run by `python -m bench`). Each run
starts from no figures at all and leaves the whole period written.
"""

import io
import json
import os
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echo.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from growth import snapshots  # noqa: E402
from growth.models import Snapshot  # noqa: E402
from members.models import Member  # noqa: E402


def main(argv):
    (out_path,) = argv
    members = Member.objects.count()
    active = Member.objects.active().count()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE growth_snapshot")

    # The command an operator runs, with its progress bar on the terminal.
    output = io.StringIO()
    started = time.perf_counter()
    call_command("backfill_snapshots", stdout=output)
    backfill_seconds = time.perf_counter() - started
    rows = Snapshot.objects.count()
    days = Snapshot.objects.filter(group__isnull=True).values("day").distinct().count()
    print(
        f"Backfill: {rows:,} daily figures ({days} days × regions and groups) for "
        f"{members:,} members in {backfill_seconds:.1f}s: {rows / backfill_seconds:,.0f} rows/s",
        flush=True,
    )

    # A night as any other: yesterday is missing, the month before it is there.
    last = snapshots.yesterday()
    Snapshot.objects.filter(day=last).delete()
    started = time.perf_counter()
    written, updated = snapshots.take_daily_snapshots()
    nightly_seconds = time.perf_counter() - started
    print(
        f"Nightly snapshot: {written:,} rows written, {updated:,} brought up to date, "
        f"{snapshots.CATCH_UP_DAYS} days computed, in {nightly_seconds:.2f}s",
        flush=True,
    )
    with open(out_path, "w") as out:
        json.dump(
            {
                "members": members,
                "active": active,
                "backfill": {
                    "rows": rows,
                    "days": days,
                    "seconds": backfill_seconds,
                    "summary": output.getvalue().strip(),
                },
                "nightly": {
                    "written": written,
                    "updated": updated,
                    "seconds": nightly_seconds,
                    "since": str(last - timedelta(days=snapshots.CATCH_UP_DAYS - 1)),
                },
            },
            out,
            indent=1,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
