"""The benchmark's databases: made once, seeded once, kept between runs.

A table of the benchmark's own (`bench_dataset`, outside Django's models)
says which data set a database holds, which key encrypted it and the moment
its times were seeded for; a run moves every date forward by the whole days
passed since, so that the same data set looks the same on any later day.
"""

import json
import subprocess
import sys
from datetime import UTC, datetime

import psycopg

from . import config

MARKER = "bench_dataset"


def connect(database, autocommit=True):
    return psycopg.connect(f"{config.postgres_url()}/{database}", autocommit=autocommit)


def exists(database):
    with connect("postgres") as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return found.fetchone() is not None


def recreate(database):
    with connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


def dataset(database):
    """(size as JSON, key fingerprint, reference moment) of a complete data set, or None."""
    if not exists(database):
        return None
    with connect(database) as conn:
        found = conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0]
        if found is None:
            return None
        return conn.execute(f"SELECT size, fingerprint, reference FROM {MARKER}").fetchone()


def is_ready(database, size):
    found = dataset(database)
    return found is not None and found[:2] == (size.as_json(), config.key_fingerprint())


def mark_ready(database, size, reference, seconds):
    with connect(database) as conn:
        conn.execute(
            f"CREATE TABLE {MARKER} (size text, fingerprint text, reference timestamptz, "
            "seeded_at timestamptz, seconds float)"
        )
        conn.execute(
            f"INSERT INTO {MARKER} VALUES (%s, %s, %s, now(), %s)",
            [size.as_json(), config.key_fingerprint(), reference, seconds],
        )


def manage(database, *args, **kwargs):
    """`manage.py <args>` on a benchmark database, with production settings."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=config.ROOT,
        env=config.environment(database),
        check=True,
        **kwargs,
    )


def prepare(database, size, *, rebuild=False):
    """Make and seed the database unless it already holds this data set;
    then bring its dates up to today. Returns True if it was seeded now."""
    seeded = False
    if rebuild or not is_ready(database, size):
        print(f"Building {database}: the {size.name} data set ({describe(size)}).", flush=True)
        recreate(database)
        manage(database, "migrate", "--no-input", "-v0")
        subprocess.run(
            [sys.executable, "-m", "bench.seed", size.name],
            cwd=config.ROOT,
            env=config.environment(database),
            check=True,
        )
        seeded = True
    else:
        print(f"{database} holds the {size.name} data set already (--rebuild to seed again).")
        # Kept from an earlier version of Echo: its migrations since then.
        manage(database, "migrate", "--no-input", "-v0")
    shift_to_today(database)
    return seeded


def describe(size):
    parts = [f"{size.members:,} members", f"{size.groups:,} groups"]
    if size.threads:
        parts += [f"{size.threads:,} threads", f"{size.posts:,} posts"]
    return ", ".join(parts) + f", {size.months} months"


def shift_to_today(database):
    """Move every date and time of Echo's tables forward by the whole days
    passed since the data set was seeded: upcoming meetings stay upcoming,
    and the figures end yesterday."""
    with connect(database, autocommit=False) as conn:
        reference = conn.execute(f"SELECT reference FROM {MARKER}").fetchone()[0]
        days = (datetime.now(UTC) - reference).days
        if days < 1:
            return
        print(f"Moving {database} {days} days forward to today.", flush=True)
        for table, columns, unique in date_columns(database):
            for column in columns:
                # A column in a unique constraint moves out of the way first:
                # PostgreSQL checks uniqueness row by row.
                steps = [days + 100_000, -100_000] if column in unique else [days]
                for step in steps:
                    conn.execute(
                        f'UPDATE "{table}" SET "{column}" = "{column}" + %s * interval \'1 day\' '
                        f'WHERE "{column}" IS NOT NULL',
                        [step],
                    )
        conn.execute(f"UPDATE {MARKER} SET reference = reference + %s * interval '1 day'", [days])
        conn.commit()
    with connect(database) as conn:
        conn.execute("ANALYZE")


APPS = ["echo", "members", "groups", "events", "boards", "growth", "account", "mfa"]


def date_columns(database):
    """(table, [date and time columns], {those in a unique constraint}) of
    Echo's models, read from the running code's models."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--date-columns"],
        cwd=config.ROOT,
        env=config.environment(database),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [(table, columns, set(unique)) for table, columns, unique in json.loads(out)]
