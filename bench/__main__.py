"""`python -m bench` (`make bench`): build the data sets once, then measure
Echo served as in production, and print the figures.

    python -m bench                 # the issue's size; 5 s per page
    python -m bench --rebuild       # seed the data sets again
    python -m bench --smoke         # tiny data sets, a second per page: does it all still work?

See README, "Benchmark".
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime

from . import config, database, report


def check_tools():
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk (apt-get install wrk)")
    try:
        database.connect("postgres").close()
    except Exception as error:
        missing.append(f"PostgreSQL at {config.postgres_url()} ({error})")
    import redis

    for url in {config.environment("x")[name] for name in ("CELERY_BROKER_URL", "CACHE_URL")}:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except Exception as error:
            missing.append(f"Redis at {url} ({error})")
    if missing:
        raise SystemExit("The benchmark needs:\n  " + "\n  ".join(missing))


def phase(module, database_name, out, *args):
    """Run one phase in a process of its own, with the benchmark's environment."""
    subprocess.run(
        [sys.executable, "-m", f"bench.{module}", str(out), *map(str, args)],
        cwd=config.ROOT,
        env=config.environment(database_name),
        check=True,
    )
    return json.loads(out.read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny data sets, short runs")
    parser.add_argument("--rebuild", action="store_true", help="seed the data sets again")
    parser.add_argument("--seconds", type=int, help="wrk's run per page (default 5; smoke 1)")
    parser.add_argument("--connections", type=int, help="wrk's connections (default 16; smoke 4)")
    parser.add_argument("--reminders", type=int, help="reminders made due (default 2000)")
    parser.add_argument("--database", help="default echo_bench (smoke: echo_bench_smoke)")
    parser.add_argument("--growth-database", help="default echo_bench_growth")
    parser.add_argument(
        "--only", default="web,jobs,growth", help="a comma-separated choice of web, jobs, growth"
    )
    args = parser.parse_args(argv)
    smoke = args.smoke
    main_db = args.database or ("echo_bench_smoke" if smoke else "echo_bench")
    growth_db = args.growth_database or f"{main_db}_growth"
    main_size, growth_size = (
        (config.SMOKE, config.SMOKE_GROWTH) if smoke else (config.MAIN, config.GROWTH)
    )
    seconds = args.seconds or (1 if smoke else 5)
    connections = args.connections or (4 if smoke else 16)
    reminders = args.reminders or (30 if smoke else 2000)
    only = set(args.only.split(","))

    check_tools()
    started = time.monotonic()
    run = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": os.getloadavg(),
        "commit": subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=config.ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "seconds": seconds,
        "connections": connections,
    }
    database.prepare(main_db, main_size, rebuild=args.rebuild)
    if "growth" in only:
        database.prepare(growth_db, growth_size, rebuild=args.rebuild)
    # Production serves what collectstatic wrote and the compiled translations.
    database.manage(main_db, "collectstatic", "--no-input", "-v0")
    database.manage(main_db, "compilemessages", "--ignore=.venv", "-v0")

    results = {"run": run, "dataset": report.dataset(main_db)}
    out = config.VAR / ("smoke" if smoke else "full")
    out.mkdir(parents=True, exist_ok=True)
    if "web" in only:
        options = ["--seconds", seconds, "--connections", connections]
        results["web"] = phase("web", main_db, out / "web.json", *options, *["--quick"] * smoke)
    if "jobs" in only:
        results["jobs"] = phase("jobs", main_db, out / "jobs.json", "--reminders", reminders)
    if "growth" in only:
        results["growth"] = phase("growth", growth_db, out / "growth.json")
    run["load_after"] = os.getloadavg()
    run["total_seconds"] = time.monotonic() - started
    text = report.render(results)
    print("\n" + text)
    (out / "report.txt").write_text(text + "\n")
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    print(f"(kept in {(out / 'report.txt').relative_to(config.ROOT)})")
    if problems := report.problems(results):
        raise SystemExit("\n".join(problems))


if __name__ == "__main__":
    main()
