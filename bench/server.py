"""Processes the benchmark starts and stops: gunicorn, a Celery worker, an
SMTP sink; and wrk, which drives a page."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import config

GUNICORN_CONF = config.ROOT / "deploy" / "gunicorn.conf.py"
WRK_SCRIPT = Path(__file__).with_name("wrk.lua")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds=30, interval=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


class Process:
    """A child process with its own process group, its output in a log file."""

    def __init__(self, name, args, env, log_dir):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                args,
                cwd=config.ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self):
        return self.process.pid

    def log(self):
        return self.log_path.read_text(errors="replace")

    def alive(self):
        return self.process.poll() is None

    def stop(self, seconds=30):
        """SIGTERM (a warm shutdown for gunicorn and Celery), SIGKILL if it hangs."""
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        return self.process.returncode

    def children(self):
        """Pids of the direct children (gunicorn's or Celery's workers)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                found.append(int(stat.parent.name))
        return sorted(found)

    def worker_rss_mb(self):
        """Resident memory of each worker, in MB."""
        sizes = []
        for pid in self.children():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


class Gunicorn(Process):
    """`gunicorn -c deploy/gunicorn.conf.py <app>`, as the systemd unit runs it."""

    def __init__(self, name, app, env, log_dir, workers=2):
        self.port = free_port()
        env = env | {"GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)}
        super().__init__(
            name, [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), app], env, log_dir
        )
        self.workers = workers

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_ready(self, seconds=30):
        def answers():
            if not self.alive():
                raise RuntimeError(f"{self.name} stopped:\n{self.log()}")
            request = urllib.request.Request(  # noqa: S310 (our own server on loopback)
                self.url(), headers={"X-Forwarded-Proto": "https"}
            )
            try:
                with urllib.request.urlopen(request, timeout=5):  # noqa: S310
                    pass
            except urllib.error.HTTPError:
                pass  # it answers
            except OSError:
                return False
            return len(self.children()) >= self.workers

        if not wait_until(answers, seconds):
            raise RuntimeError(f"{self.name} did not answer within {seconds}s:\n{self.log()}")


def answer_all(gunicorn, path="/static/echo/echo.css", headers=None, seconds=300):
    """One request per worker at once, each waited for."""
    request = urllib.request.Request(  # noqa: S310 (our own server on loopback)
        gunicorn.url(path), headers={"X-Forwarded-Proto": "https", **(headers or {})}
    )

    def fetch():
        try:
            with urllib.request.urlopen(request, timeout=seconds):  # noqa: S310
                pass
        except urllib.error.HTTPError:
            pass  # answered all the same (the ceiling has no such file)

    threads = [threading.Thread(target=fetch) for _ in range(gunicorn.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def drain(gunicorn):
    """Wait until the requests wrk left queued when it stopped are answered.

    wrk stops on time, but what its connections had sent waits in the
    listen queue and still keeps the workers busy; the next page must not
    be measured behind it. The queue is first come, first served: once a
    round of requests sent now (one per worker) is answered, the earlier
    ones have been taken up.
    """
    answer_all(gunicorn)


def wrk(url, *, seconds, connections, threads=2, cookies=()):
    """Drive one URL; returns the figures of bench/wrk.lua as a dict."""
    env = os.environ | {"BENCH_COOKIES": "|".join(cookies)}
    result = subprocess.run(
        [
            "wrk",
            f"--threads={min(threads, connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=60s",
            f"--script={WRK_SCRIPT}",
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            figures = json.loads(line[len("BENCH ") :])
            figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
            figures["errors"] = figures["socket_errors"] + figures["not_ok"]
            return figures
    raise RuntimeError(f"wrk printed no figures:\n{result.stdout}\n{result.stderr}")
