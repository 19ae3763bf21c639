"""An email in flight when PostgreSQL restarts is sent once: the worker's
connection dies while the mail server is talking, and the worker reconnects
to mark the email sent instead of leaving it to the stale-claim path (which
would send it again ten minutes later).

The test runs a PostgreSQL cluster of its own (initdb, pg_ctl) on a free
port, a delivery in another process pointed at it, and an SMTP server of its
own that holds the message until the cluster has been restarted."""

import contextlib
import glob
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

import psycopg
import pytest

from .conftest import free_port

pytestmark = pytest.mark.worker


def _postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


class PostgresCluster:
    """A throwaway cluster: trust authentication, TCP on 127.0.0.1 only.
    initdb refuses to run as root, so as root it runs as the postgres user."""

    def __init__(self, bin_dir, directory):
        self.bin_dir = bin_dir
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args):
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.directory / "log"),
            "-w",
            "start",
        )

    def restart(self):
        # Fast: connected sessions are ended, as in a restart for an upgrade.
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.start()

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def query(self, sql):
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres") as db:
            return db.execute(sql).fetchall()


@pytest.fixture
def own_postgres():
    bin_dir = _postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI", "").strip():
            pytest.fail("the PostgreSQL server binaries (initdb, pg_ctl) are missing on CI")
        pytest.skip("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    # Not under pytest's tmp_path: as root, that is readable by root only, and
    # the cluster runs as the postgres user.
    directory = Path(tempfile.mkdtemp(prefix="echo-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    cluster = PostgresCluster(bin_dir, directory)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


class HoldingSMTP(socketserver.ThreadingTCPServer):
    """Accepts every message, but answers the end of its data only once
    `release` is set; `holding` is set when a message is waiting there."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hold_at=1):
        self.messages = []
        # The message (counted from 1) that waits; those before it do not.
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()
        super().__init__(("127.0.0.1", 0), _SMTPHandler)


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "DATA":
                self.reply("354 go on")
                data = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(line)
                if len(self.server.messages) + 1 >= self.server.hold_at:
                    self.server.holding.set()
                    self.server.release.wait(60)
                self.server.messages.append(b"".join(data))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def holding_smtp(request):
    server = HoldingSMTP(getattr(request, "param", 1))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


DELIVER = textwrap.dedent(
    """
    import django
    django.setup()
    from django.db import connection
    from echo import mail
    from echo.models import OutgoingEmail

    with connection.schema_editor() as editor:
        editor.create_model(OutgoingEmail)
    email = OutgoingEmail.objects.create(
        to="someone@example.org", subject="Echo", body_text="Hello", kind="test"
    )
    mail.deliver(email.pk)
    print("delivered", email.pk, flush=True)
    """
)


def deliver_through_a_restart(script, own_postgres, holding_smtp):
    """Run `script` in a worker of its own against `own_postgres`; restart
    the database while the mail server holds a message. (returncode, out, err)."""
    port = holding_smtp.server_address[1]
    env = os.environ | {
        "DEBUG": "true",
        "DATABASE_URL": own_postgres.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "LOG_LEVEL": "INFO",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holding_smtp.holding.wait(60), worker.stderr.read() if worker.poll() else ""
        # The mail server has the message; the worker's connection goes now.
        own_postgres.restart()
        holding_smtp.release.set()
        out, err = worker.communicate(timeout=90)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    return worker.returncode, out, err


def test_an_email_in_flight_during_a_database_restart_is_sent_once(own_postgres, holding_smtp):
    returncode, out, err = deliver_through_a_restart(DELIVER, own_postgres, holding_smtp)
    assert returncode == 0, err
    assert "delivered" in out
    assert "the database is unavailable" in err
    assert len(holding_smtp.messages) == 1
    assert own_postgres.query("select state, attempts from echo_outgoingemail") == [("sent", 1)]


DELIVER_BATCH = textwrap.dedent(
    """
    import django
    django.setup()
    from django.db import connection
    from echo import mail
    from echo.models import OutgoingEmail

    with connection.schema_editor() as editor:
        editor.create_model(OutgoingEmail)
    for n in range(5):
        OutgoingEmail.objects.create(
            to=f"someone{n}@example.org", subject="Echo", body_text="Hello", kind="test"
        )
    print("claimed", mail.deliver_batch(), flush=True)
    """
)


@pytest.mark.parametrize("holding_smtp", [3], indirect=True)
def test_a_batch_in_flight_during_a_database_restart_sends_each_email_once(
    own_postgres, holding_smtp
):
    """The third of five emails is with the mail server when the database
    restarts: it is marked sent on a new connection, and the batch goes on."""
    returncode, out, err = deliver_through_a_restart(DELIVER_BATCH, own_postgres, holding_smtp)
    assert returncode == 0, err
    assert "claimed 5" in out
    assert "the database is unavailable" in err
    assert len(holding_smtp.messages) == 5
    assert own_postgres.query(
        "select state, attempts, count(*) from echo_outgoingemail group by 1, 2"
    ) == [("sent", 1, 5)]
