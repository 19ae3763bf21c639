"""What the benchmark measures on, and the environment every process of it
gets: Echo as production runs it (DEBUG off, real keys, PostgreSQL with
persistent connections, Redis), on databases of the benchmark's own."""

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
KEYS = VAR / "keys.json"
# Every account of the data set has this password (one Argon2 hash, computed once).
PASSWORD = "bench passphrase for echo"  # noqa: S105 (a throwaway data set)
MEMBER_EMAIL = "person0@bench.example.org"
ADMIN_EMAIL = "admin@bench.example.org"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
# The two threads the benchmark reads, found again by their titles.
THREAD_TITLES = {"long": "Het lange gesprek", "twenty": "Een gesprek van twintig berichten"}


# Bump when bench.seed writes something else: kept data sets are then rebuilt.
SEED_VERSION = 2


@dataclass(frozen=True)
class Size:
    """A data set. `snapshots`: the figures are written while seeding (the
    growth data set leaves them to the backfill it measures)."""

    name: str
    members: int
    groups: int
    threads: int
    posts: int
    long_thread: int
    months: int
    snapshots: bool

    def as_json(self):
        return json.dumps(asdict(self) | {"version": SEED_VERSION}, sort_keys=True)


# The size: 20,000 members, 10,000 threads, 200,000 posts (one
# thread of 500), groups with their meetings and answers, 24 months.
MAIN = Size("main", 20_000, 400, 10_000, 200_000, 500, 24, True)
# The figures of a network five times as large, for the snapshot and backfill timings.
GROWTH = Size("growth", 100_000, 2_000, 0, 0, 0, 24, False)
SMOKE = Size("smoke", 300, 6, 150, 1_500, 60, 3, True)
SMOKE_GROWTH = Size("smoke-growth", 1_000, 20, 0, 0, 0, 3, False)
SIZES = {size.name: size for size in (MAIN, GROWTH, SMOKE, SMOKE_GROWTH)}


def postgres_url():
    return os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def keys():
    """SECRET_KEY and FIELD_ENCRYPTION_KEYS of the benchmark, generated once
    and kept in var/bench: the encrypted fields of a data set kept between
    runs must stay readable."""
    if not KEYS.exists():
        from cryptography.fernet import Fernet

        VAR.mkdir(parents=True, exist_ok=True)
        generated = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        }
        KEYS.write_text(json.dumps(generated))
        KEYS.chmod(0o600)
    return json.loads(KEYS.read_text())


def key_fingerprint():
    """Which key encrypted a data set, without storing the key itself."""
    import hashlib

    return hashlib.sha256(keys()["FIELD_ENCRYPTION_KEYS"].encode()).hexdigest()[:16]


def environment(database, **extra):
    """The environment of every process of the benchmark: production settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        # What a development shell or the test run may have set must not leak in.
        if not key.startswith(("DJANGO_", "CELERY_", "EMAIL_", "DATABASE_", "TEST_DATABASE"))
    }
    env |= keys()
    env |= {
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_PROXY": "true",
        "SITE_URL": "https://127.0.0.1",
        # Persistent connections, checked before reuse: what README recommends.
        "DATABASE_URL": f"{postgres_url()}/{database}?conn_max_age=600&conn_health_checks=True",
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    return env | extra
