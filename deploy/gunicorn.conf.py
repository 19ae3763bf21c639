"""Gunicorn for Echo: `gunicorn -c deploy/gunicorn.conf.py echo.wsgi:application`.

Sync workers: each handles one request at a time, which suits Echo's
short, database-bound pages. Set from the environment:

- GUNICORN_BIND: where the reverse proxy reaches it (default 127.0.0.1:8000;
  never a public address: TLS ends at the proxy).
- WEB_CONCURRENCY: the number of workers (default 2 per core, plus one).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is stuck: its worker is replaced.
timeout = 30
graceful_timeout = 30
# Behind the proxy on the same machine. Echo trusts X-Forwarded-Proto only
# with BEHIND_PROXY=true; gunicorn only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No access log: addresses and paths of who reads what stay out of the logs
# (the proxy keeps none either, see deploy/nginx/echo.conf). Errors go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
