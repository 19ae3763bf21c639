"""The benchmark keeps working: its pieces here, and a whole smoke run
(`python -m bench --smoke`) on PostgreSQL and Redis (CI's second pass)."""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from bench import config, report
from bench.web import last_page_url


def page(name, **figures):
    return {
        "page": name,
        "url": "/",
        "note": "",
        "sql": 9,
        "html": 4096,
        "requests": 100,
        "errors": 0,
        "rps": 50.0,
        "p50_us": 20_000,
        "p99_us": 90_000,
        "rss_mb": [80.0, 81.4],
        "of_ceiling": 0.025,
        **figures,
    }


RESULTS = {
    "run": {
        "when": "2026-11-29 18:00 UTC",
        "commit": "abc1234",
        "cores": 2,
        "python": "3.13.0",
        "load_before": (1.0, 1.0, 1.0),
        "load_after": (2.0, 1.0, 1.0),
        "seconds": 5,
        "connections": 16,
        "total_seconds": 90,
    },
    "dataset": dict.fromkeys(report.COUNTS, 1) | {"postgres": "15.2"},
    "web": {"ceiling": page("ceiling", rps=2000.0, of_ceiling=1.0), "pages": [page("home")]},
}


def test_the_report_has_a_line_per_page_with_every_figure():
    text = report.render(RESULTS)
    (line,) = [line for line in text.splitlines() if line.startswith("home")]
    assert line.split() == ["home", "50.0", "20.0", "90.0", "0", "9", "4.0", "80/81", "2.5%"]
    assert "wrk, 16 connections, 5 s per page" in text


def test_a_run_with_errors_or_nothing_answered_fails():
    assert report.problems(RESULTS) == []
    broken = RESULTS | {"web": {"ceiling": {}, "pages": [page("home", requests=0, errors=3)]}}
    assert report.problems(broken) == ["home: 0 requests, 3 errors"]


def test_a_paginated_thread_is_measured_on_its_last_page():
    html = '<a href="?page=2">2</a> <a href="?page=20" rel="last">last</a>'
    assert last_page_url("/boards/t/x/", html) == "/boards/t/x/?page=20"
    assert last_page_url("/boards/t/x/", "<p>one page</p>") == "/boards/t/x/"
    # The thread pages of Echo itself: keyset pages with a link to the last.
    keyset = (
        '<a href="/boards/t/x/?after=abc" rel="next">Later</a> '
        '<a href="/boards/t/x/?last=1">Last page</a>'
    )
    assert last_page_url("/boards/t/x/", keyset) == "/boards/t/x/?last=1"


def test_a_data_set_changes_when_its_size_or_the_seeder_does(monkeypatch):
    before = config.MAIN.as_json()
    assert config.SMOKE.as_json() != before
    monkeypatch.setattr(config, "SEED_VERSION", config.SEED_VERSION + 1)
    assert config.MAIN.as_json() != before


@pytest.mark.bench
@pytest.mark.django_db
def test_the_benchmark_runs_on_a_small_data_set():
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("the benchmark runs on PostgreSQL and Redis (CI's second pass)")
    if not shutil.which("wrk") and not os.environ.get("CI"):
        pytest.skip("wrk is not installed (apt-get install wrk)")
    db = connection.settings_dict
    cache = os.environ.get("CACHE_URL", "")
    # Databases of its own, named after this run's test database, kept between
    # runs; this run's broker and (Redis) cache.
    env = os.environ | {
        "BENCH_POSTGRES": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}",
        "BENCH_BROKER_URL": settings.CELERY_BROKER_URL,
        "BENCH_CACHE_URL": cache if cache.startswith("redis") else settings.CELERY_BROKER_URL,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--database", f"{db['NAME']}_bench"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for figure in ["ceiling: bare Django view", "member home", "Reminders queued", "Emails sent"]:
        assert figure in result.stdout
    assert "backfill_snapshots:" in result.stdout
