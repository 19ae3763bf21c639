"""The pages: each driven by wrk through gunicorn, next to the ceiling.

`python -m bench.web <out.json> --seconds 5 --connections 16` (run by
`python -m bench` with the benchmark's environment). SQL statements and
HTML size are measured once per page with Django's test client in this
process, on the same database and settings as the server.
"""

import argparse
import json
import math
import os
import re
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echo.settings")
django.setup()

from allauth.account.internal.flows.login import record_authentication  # noqa: E402
from allauth.mfa.utils import is_mfa_enabled  # noqa: E402
from allauth.usersessions.models import UserSession  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from boards import queries  # noqa: E402
from boards.access import visible_threads  # noqa: E402
from boards.models import Board, Thread  # noqa: E402
from groups.models import GroupMembership  # noqa: E402
from members.models import Member, User  # noqa: E402

from . import config, server  # noqa: E402

BOARD_PAGE = 200
LONG_THREAD_NOTE = "threads are not paginated yet: the whole thread is its first and last page"


def signed_in(user):
    """A test client with a session of `user`, as the browser behind the proxy has it."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    if is_mfa_enabled(user):
        # The tools ask the session whether the second factor was used
        # (members.roles): record the sign-in as allauth does.
        request = HttpRequest()
        request.session = client.session
        record_authentication(request, user, "password")
        record_authentication(request, user, "mfa", type="totp")
        request.session.save()
    return client


def cookie(client):
    return f"sessionid={client.cookies['sessionid'].value}"


def board_page_url(user, board, page):
    """The URL of page `page` of a board's thread list (or of its last page,
    if it has fewer): the keyset cursor of the thread before it."""
    threads = visible_threads(user).filter(board=board)
    pages = max(1, math.ceil(threads.count() / queries.THREADS_PER_PAGE))
    page = min(page, pages)
    url = reverse("boards:board", args=[board.code])
    if page == 1:
        return url, page
    before = threads.order_by("-pinned", "-last_activity_at", "-id")[
        (page - 1) * queries.THREADS_PER_PAGE - 1
    ]
    return f"{url}?after={queries.make_cursor(before)}", page


def last_page_url(url, html):
    """The last page of a paginated thread, if the page links to it (the
    keyset pages' `?last=1`, or numbered `?page=N`); else the thread is one
    page and this is it."""
    if re.search(r'href="[^"]*\?last=1"', html):
        return f"{url}?last=1"
    numbers = [int(n) for n in re.findall(r'href="\?(?:[^"]*&amp;)?page=(\d+)', html)]
    return f"{url}?page={max(numbers)}" if numbers else url


def pages(member, admin):
    """(name, URL, who reads it, note) of every page measured."""
    community = Board.objects.get(kind=Board.Kind.COMMUNITY)
    long_thread = Thread.objects.get(title=config.THREAD_TITLES["long"])
    twenty = Thread.objects.get(title=config.THREAD_TITLES["twenty"])
    board_url, board_page = board_page_url(member, community, BOARD_PAGE)
    long_url = reverse("boards:thread", args=[long_thread.code])
    found = [
        ("member home", reverse("members:member_home"), "member", ""),
        ("board, thread list page 1", reverse("boards:board", args=[community.code]), "member", ""),
        (f"board, thread list page {board_page}", board_url, "member", "keyset cursor ?after="),
        ("thread of 20 posts", reverse("boards:thread", args=[twenty.code]), "member", ""),
        (f"thread of {long_thread.posts.count()} posts, first page", long_url, "member", ""),
        (f"thread of {long_thread.posts.count()} posts, last page", long_url, "member", ""),
        ("meetings", reverse("events:my_meetings"), "member", ""),
        ("figures, 24 months, 6 regions", reverse("growth:dashboard") + "?months=24", "admin", ""),
    ]
    return found


def measure_once(client, url):
    """SQL statements and HTML bytes of one request, after one to warm up."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answers {response.status_code}, not 200")
    with CaptureQueriesContext(connection) as queries_run:
        response = client.get(url)
    return len(queries_run.captured_queries), len(response.content), response.content.decode()


def drive(name, gunicorn, path, cookies, args):
    # Both workers load their templates and translations before the clock runs.
    if args.quick:
        for _ in range(2):
            server.answer_all(gunicorn, path, {"Cookie": cookies[0]} if cookies else {})
    else:
        server.wrk(gunicorn.url(path), seconds=1, connections=4, cookies=cookies)
        server.drain(gunicorn)
    figures = server.wrk(
        gunicorn.url(path), seconds=args.seconds, connections=args.connections, cookies=cookies
    )
    server.drain(gunicorn)
    figures["rss_mb"] = gunicorn.worker_rss_mb()
    print(
        f"  {name:<40} {figures['rps']:8.1f} req/s  p50 {figures['p50_us'] / 1000:7.1f} ms"
        f"  p99 {figures['p99_us'] / 1000:7.1f} ms  errors {figures['errors']}",
        flush=True,
    )
    return figures


def people(count):
    """The benchmark's member and other members of their group: each request
    of a run comes from the next of them."""
    member = User.objects.get(email=config.MEMBER_EMAIL)
    group = GroupMembership.objects.filter(member__user=member).values("group")
    others = list(
        User.objects.filter(
            member__memberships__group__in=group, member__status=Member.Status.ACTIVE
        )
        .exclude(pk=member.pk)
        .order_by("pk")[: count - 1]
    )
    return member, [member, *others]


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--logs", default=str(config.VAR / "logs"))
    parser.add_argument("--quick", action="store_true", help="warm up with a request per worker")
    args = parser.parse_args(argv)

    # Sessions of earlier runs are of no use to anyone.
    Session.objects.all().delete()
    UserSession.objects.all().delete()
    member, readers = people(args.connections)
    admin = User.objects.get(email=config.ADMIN_EMAIL)
    clients = {"member": signed_in(member), "admin": signed_in(admin)}
    cookies = {
        "member": [cookie(signed_in(user)) for user in readers],
        "admin": [cookie(signed_in(admin)) for _ in readers],
    }

    rows = []
    long_first = None
    for name, url, who, note in pages(member, admin):
        sql, size, html = measure_once(clients[who], url)
        if "first page" in name:
            long_first = url
            if last_page_url(url, html) == url:
                name, note = name.replace("first page", "whole page"), LONG_THREAD_NOTE
        if "last page" in name:
            url = last_page_url(long_first, html)
            if url == long_first:
                continue  # the same page: measured once, as the first
        rows.append({"page": name, "url": url, "who": who, "note": note, "sql": sql, "html": size})

    env = dict(os.environ)
    print(
        f"Pages: wrk, {args.connections} connections, {args.seconds}s each, "
        "gunicorn with 2 sync workers",
        flush=True,
    )
    ceiling_server = server.Gunicorn("ceiling", "bench.ceiling:application", env, args.logs)
    try:
        ceiling_server.wait_ready()
        ceiling = drive("ceiling: bare Django view", ceiling_server, "/", [], args)
    finally:
        ceiling_server.stop()
    ceiling |= {"page": "ceiling: bare Django view", "url": "/", "note": "", "sql": 0, "html": 2}

    echo = server.Gunicorn("echo", "echo.wsgi:application", env, args.logs)
    try:
        echo.wait_ready()
        for row in rows:
            row |= drive(row["page"], echo, row["url"], cookies[row["who"]], args)
    finally:
        echo.stop()
    for row in [ceiling, *rows]:
        row["of_ceiling"] = row["rps"] / ceiling["rps"] if ceiling["rps"] else 0
    with open(args.out, "w") as out:
        json.dump({"ceiling": ceiling, "pages": rows}, out, indent=1, default=str)


if __name__ == "__main__":
    main(sys.argv[1:])
