"""The benchmark's figures as text."""

from . import database

COUNTS = {
    "members": "SELECT count(*) FROM members_member",
    "active": "SELECT count(*) FROM members_member WHERE status = 'active'",
    "groups": "SELECT count(*) FROM groups_group",
    "meetings": "SELECT count(*) FROM events_meeting",
    "upcoming": "SELECT count(*) FROM events_meeting WHERE starts_at > now()",
    "rsvps": "SELECT count(*) FROM events_rsvp",
    "attendance": "SELECT count(*) FROM events_attendance",
    "threads": "SELECT count(*) FROM boards_thread",
    "posts": "SELECT count(*) FROM boards_post",
    "longest": "SELECT coalesce(max(n), 0) FROM "
    "(SELECT count(*) n FROM boards_post GROUP BY thread_id) t",
    "figure_days": "SELECT count(DISTINCT day) FROM growth_snapshot WHERE group_id IS NULL",
    "figure_regions": "SELECT count(DISTINCT region) FROM growth_snapshot WHERE group_id IS NULL",
    "postgres": "SHOW server_version",
}


def dataset(name):
    with database.connect(name) as conn:
        return {key: conn.execute(sql).fetchone()[0] for key, sql in COUNTS.items()}


def _table(headers, rows, aligns):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        return "  ".join(
            str(cell).ljust(width) if align == "<" else str(cell).rjust(width)
            for cell, width, align in zip(cells, widths, aligns, strict=True)
        ).rstrip()

    return [line(headers), line(["-" * width for width in widths]), *map(line, rows)]


def _page_row(row):
    rss = "/".join(f"{mb:.0f}" for mb in row.get("rss_mb", []))
    return [
        row["page"],
        f"{row['rps']:,.1f}",
        f"{row['p50_us'] / 1000:,.1f}",
        f"{row['p99_us'] / 1000:,.1f}",
        row["errors"],
        row["sql"],
        f"{row['html'] / 1024:,.1f}",
        rss,
        f"{row['of_ceiling']:.1%}",
    ]


def render(results):
    run, data = results["run"], results["dataset"]
    lines = [
        f"Echo benchmark, {run['when']}, {run['commit']}: {run['cores']} cores, "
        f"Python {run['python']}, PostgreSQL {data['postgres']}; "
        f"load average {run['load_before'][0]:.1f} before, {run['load_after'][0]:.1f} after",
        f"Data set: {data['members']:,} members ({data['active']:,} active), "
        f"{data['groups']:,} groups, {data['meetings']:,} meetings ({data['upcoming']:,} to come), "
        f"{data['rsvps']:,} answers, {data['attendance']:,} attendances, "
        f"{data['threads']:,} threads, {data['posts']:,} posts (longest thread {data['longest']}), "
        f"figures of {data['figure_days']} days × {data['figure_regions']} regions",
    ]
    if "web" in results:
        web = results["web"]
        lines += [
            "",
            f"Pages: gunicorn, 2 sync workers, DEBUG off, behind a TLS proxy "
            f"(X-Forwarded-Proto: https); wrk, {run['connections']} connections, "
            f"{run['seconds']} s per page; SQL and HTML measured once with Django's test client",
            "",
            *_table(
                [
                    "page",
                    "req/s",
                    "p50 ms",
                    "p99 ms",
                    "errors",
                    "SQL/req",
                    "HTML KB",
                    "RSS MB",
                    "÷ ceiling",
                ],  # fmt: skip
                [_page_row(row) for row in [web["ceiling"], *web["pages"]]],
                "<>>>>>>>>",
            ),
        ]
        notes = sorted({row["note"] for row in web["pages"] if row["note"]})
        lines += [f"  note: {note}" for note in notes]
        lines.append("  RSS: resident memory of each gunicorn worker after the page's run")
    if "jobs" in results:
        reminders, emails = results["jobs"]["reminders"], results["jobs"]["emails"]
        lines += [
            "",
            f"Reminders queued: {reminders['per_second']:,.0f}/s ({reminders['queued']:,} in "
            f"{reminders['seconds']:.2f} s: {reminders['due']:,} reminders due for "
            f"{reminders['meetings']} meetings, and their facilitators' lists; "
            "events.reminders.queue_due_reminders, hand-over to Redis included; "
            f"{reminders.get('statements', '?')} SQL statements)",
            *(
                [
                    f"  (only {reminders['handed_over']:,} of {reminders['batches']:,} batches "
                    "reached the broker at once: a hand-over failed, Echo left the rest to the "
                    "sweep, the benchmark ran it)"
                ]
                if reminders.get("handed_over", 0) < reminders.get("batches", 0)
                else []
            ),
            f"Emails sent: {emails['per_second']:,.0f}/s ({emails['sent']:,} in "
            f"{emails['seconds']:.2f} s by one Celery worker with 2 processes to a local SMTP "
            f"sink, which received {emails['received']:,}; {emails['failed']} failed)",
        ]
    if "growth" in results:
        growth = results["growth"]
        backfill, nightly = growth["backfill"], growth["nightly"]
        lines += [
            "",
            f"Figures for {growth['members']:,} members ({growth['active']:,} active):",
            f"  backfill_snapshots: {backfill['seconds']:,.1f} s for {backfill['rows']:,} rows "
            f"({backfill['days']} days), {backfill['rows'] / backfill['seconds']:,.0f} rows/s",
            f"  nightly snapshot: {nightly['seconds']:,.2f} s ({nightly['written']:,} rows "
            f"written, {nightly['updated']:,} brought up to date; {nightly['since']} to "
            "yesterday computed)",
        ]
    lines += ["", f"Total time: {run['total_seconds']:,.0f} s"]
    return "\n".join(lines)


def problems(results):
    """What makes a run fail: a page that answered nothing or not 200, an
    email not sent. The figures themselves never do."""
    found = []
    for row in results.get("web", {}).get("pages", []):
        if not row["requests"] or row["errors"]:
            found.append(f"{row['page']}: {row['requests']} requests, {row['errors']} errors")
    emails = results.get("jobs", {}).get("emails")
    if emails and (emails["failed"] or not emails["finished"] or not emails["sent"]):
        found.append(f"emails: {emails['sent']} sent, {emails['failed']} failed")
    return found
