"""Seed a benchmark database through Echo's own models and rendering.

`python -m bench.seed main` (run by `python -m bench`, with the benchmark's
environment). Rows go in with bulk_create for speed, but each is what Echo
itself writes: passwords hashed by Django (one Argon2 hash, shared), encrypted
fields encrypted by their field, post HTML rendered by boards.markdown,
series dates from events.recurrence, second factors by allauth, and the
daily figures written by growth.snapshots' own backfill. The data set is
the same on every run (a fixed random seed); only the moment differs.
"""

import itertools
import json
import os
import random
import sys
from collections import defaultdict
from datetime import time, timedelta
from itertools import pairwise

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echo.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.utils import timezone  # noqa: E402

from boards import services as board_services  # noqa: E402
from boards.markdown import render  # noqa: E402
from boards.models import Board, BoardRead, Follow, Post, Thread, ThreadRead  # noqa: E402
from echo.models import AuditEntry, Region  # noqa: E402
from echo.progress import Progress, duration  # noqa: E402
from events.models import Attendance, Meeting, Rsvp, Series  # noqa: E402
from events.recurrence import local_instant, occurrence_dates  # noqa: E402
from groups.models import Group, GroupMembership  # noqa: E402
from growth import snapshots  # noqa: E402
from growth.management.commands.backfill_snapshots import months  # noqa: E402
from members.models import IntakeNote, Member, StatusChange, User  # noqa: E402

from . import config, database  # noqa: E402

S = Member.Status
BATCH = 2_000
# How many members live in each region (roughly by population).
REGION_WEIGHTS = {
    Region.ANTWERPEN: 25,
    Region.LIMBURG: 12,
    Region.OOST_VLAANDEREN: 20,
    Region.WEST_VLAANDEREN: 15,
    Region.VLAAMS_BRABANT: 15,
    Region.BRUSSEL: 13,
}
REGIONS, WEIGHTS = list(REGION_WEIGHTS), list(REGION_WEIGHTS.values())
NAMES = [
    "Zeewind", "Kastanje", "Noorderlicht", "Papaver", "Duin", "Linde", "Iris", "Wilg",
    "Beuk", "Lotus", "Merel", "Eik", "Vlinder", "Reiger", "Klaproos", "Berk", "Hazel",
    "Zonnebloem", "Storm", "Golf", "Maan", "Ster", "Rivier", "Heide",
]  # fmt: skip
SENTENCES = [
    "Ik maak een lange wandeling, ook als het regent.",
    "Bewegen helpt mij om mijn hoofd leeg te maken.",
    "Vandaag was een zware dag, maar ik ben blij dat ik hier kan schrijven.",
    "Dank je om dit te delen, het is heel herkenbaar.",
    "Wat mij helpt is een vaste routine voor het slapengaan.",
    "Soms weet ik niet goed hoe ik het moet zeggen.",
    "De bijeenkomst van vorige week heeft me veel gegeven.",
    "Ik lees nu een boek over veerkracht, een aanrader.",
    "Fietsen werkt voor mij beter dan wandelen.",
    "Het is goed om te horen dat ik niet de enige ben.",
    "Chez moi: une tasse de thé et de la musique douce.",
    "Merci pour vos messages, ça me touche beaucoup.",
    "Thank you all, this group means a lot to me.",
    "Ik probeer elke dag iets kleins te doen waar ik blij van word.",
    "Schrijven in een dagboek helpt om mijn gedachten te ordenen.",
    "Wie heeft er tips voor de feestdagen?",
    "Ik merk dat ik rustiger word als ik buiten ben.",
    "Het duurt lang, maar het gaat stap voor stap beter.",
    "Muziek luisteren met een koptelefoon helpt mij in drukke momenten.",
    "Ik ben trots dat ik vandaag hulp heb gevraagd.",
    "Een warme douche en vroeg naar bed, meer lukte niet.",
    "Volgende keer wil ik graag iets vertellen over mijn week.",
    "Ik herken veel in wat je schrijft.",
    "Ademhalingsoefeningen doen mij goed, vooral 's avonds.",
]
TITLES = [
    "Wat helpt jou op een zware avond?", "Boeken die je raakten", "Slapen lukt niet",
    "Kleine overwinningen", "Tips voor de feestdagen", "Even voorstellen",
    "Wandelen in de buurt", "Muziek die troost", "Omgaan met drukte", "Een goede week",
    "Ademhaling en rust", "Praten met familie", "Werk en energie", "Dagboek schrijven",
]  # fmt: skip


def log_weighted_moment(rng, start, end, growth=1.0):
    """A moment between start and end, later ones likelier (a growing network)."""
    share = rng.random() ** (1 / (1 + growth))
    return start + (end - start) * share


class Seeder:
    def __init__(self, size):
        self.size = size
        self.rng = random.Random(f"echo-bench-{size.name}")
        self.now = timezone.now()
        self.start = self.now - timedelta(days=round(size.months * 30.44))
        self.password = make_password(config.PASSWORD)
        self.people = []  # (member pk, user pk, region, status, active since)
        self.coordinators = {}
        self.groups = []  # (group, [(member pk, user pk, joined_at)], facilitator user pks)
        self.blocks = None
        self.rows = 0
        days = (self.now - self.start).days
        meetings = size.groups * (size.months * 2.2 + 6)
        self.plan = {
            "people": size.members * 7,
            "groups": size.groups * 12,
            "meetings": int(meetings * 16),
            "boards": size.threads + size.posts * 3,
            "figures": days * (len(Region) + size.groups) if size.snapshots else 0,
        }
        self.progress = Progress(sum(self.plan.values()), "Seeding", unit="rows")

    def advance(self, rows):
        self.rows += rows
        self.progress.advance(rows)

    def step(self, name, label):
        self.progress.relabel(f"{label:<16}")
        self._step_start = self.progress.done
        self._step_name = name

    def step_done(self):
        # Estimates are estimates: the bar catches up at the end of each step.
        self.progress.done = max(self.progress.done, self._step_start + self.plan[self._step_name])

    def run(self):
        self.staff()
        self.members()
        self.groups_and_memberships()
        self.meetings()
        if self.size.threads:
            self.boards()
        if self.size.snapshots:
            self.figures()
        self.progress.relabel("Analysing")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return self.progress.finish()

    # People

    def _account(self, email, **fields):
        user = User.objects.create(email=email, password=self.password, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def staff(self):
        admin = self._account(config.ADMIN_EMAIL, is_staff=True, is_superuser=True)
        TOTP.activate(admin, config.TOTP_SECRET)
        for region in Region:
            user = self._account(f"coordinator-{region.value}@bench.example.org")
            user.coordinator_region = region
            user.save(update_fields=["coordinator_region"])
            TOTP.activate(user, config.TOTP_SECRET)
            self.coordinators[region.value] = user

    def _life(self, n):
        """Region, applied, and the status changes of one person: (from, to, at, by staff)."""
        rng = self.rng
        region = Region.ANTWERPEN if n == 0 else rng.choices(REGIONS, WEIGHTS)[0]
        if n == 0:  # the benchmark's member: active from the start
            applied = self.start + timedelta(days=3)
        else:
            applied = log_weighted_moment(rng, self.start, self.now - timedelta(hours=1))
        changes = [("", S.APPLIED, applied, False)]
        decided = applied + timedelta(days=rng.uniform(5, 25))
        if n and (decided > self.now or rng.random() < 0.03):
            if rng.random() < 0.5:
                intake = applied + timedelta(days=rng.uniform(1, 4))
                if intake < self.now:
                    changes.append((S.APPLIED, S.IN_INTAKE, intake, True))
            return region, applied, changes
        changes.append((S.APPLIED, S.IN_INTAKE, applied + (decided - applied) / 3, True))
        roll = rng.random() if n else 1.0
        if roll < 0.04:
            changes.append((S.IN_INTAKE, S.DECLINED, decided, True))
        elif roll < 0.07:
            changes.append((S.IN_INTAKE, S.WITHDRAWN, decided, False))
        else:
            changes.append((S.IN_INTAKE, S.ACTIVE, decided, True))
            later = decided + timedelta(days=rng.uniform(30, 400))
            if roll < 0.12 and later < self.now:
                changes.append((S.ACTIVE, S.PAUSED, later, False))
            elif roll < 0.18 and later < self.now:
                changes.append((S.ACTIVE, S.LEFT, later, False))
        return region, applied, changes

    def members(self):
        self.step("people", "Members")
        actions = {
            S.APPLIED: "members.application.submitted",
            S.IN_INTAKE: "members.intake.started",
            S.ACTIVE: "members.application.approved",
            S.DECLINED: "members.application.declined",
            S.WITHDRAWN: "members.application.withdrawn",
            S.LEFT: "members.membership.left",
        }
        for first in range(0, self.size.members, BATCH):
            numbers = range(first, min(first + BATCH, self.size.members))
            lives = [self._life(n) for n in numbers]
            users = User.objects.bulk_create(
                User(
                    email=f"person{n}@bench.example.org",
                    password=self.password,
                    language=self._language(region),
                    date_joined=applied,
                )
                for n, (region, applied, _changes) in zip(numbers, lives, strict=True)
            )
            EmailAddress.objects.bulk_create(
                EmailAddress(user=user, email=user.email, verified=True, primary=True)
                for user in users
            )
            members = Member.objects.bulk_create(
                self._member(n, user, region, applied, changes)
                for n, user, (region, applied, changes) in zip(numbers, users, lives, strict=True)
            )
            history, audit, notes = [], [], []
            for member, user, (region, _applied, changes) in zip(
                members, users, lives, strict=True
            ):
                coordinator = self.coordinators[region]
                for from_status, to_status, at, by_staff in changes:
                    actor = coordinator if by_staff else user
                    history.append(
                        StatusChange(
                            member=member,
                            from_status=from_status,
                            to_status=to_status,
                            actor=actor,
                            at=at,
                        )
                    )
                    if to_status in actions:
                        audit.append(
                            AuditEntry(
                                at=at,
                                actor_code=actor.code,
                                action=actions[to_status],
                                target_code=member.code,
                                region=region,
                            )
                        )
                    if to_status == S.IN_INTAKE and self.rng.random() < 0.5:
                        notes.append(
                            IntakeNote(
                                member=member,
                                author=coordinator,
                                text="Kennismaking gehad; wil graag in een groep.",
                                created_at=at,
                            )
                        )
                active_since = next((at for _f, to, at, _s in changes if to == S.ACTIVE), None)
                self.people.append((member.pk, user.pk, region, member.status, active_since))
            StatusChange.objects.bulk_create(history)
            AuditEntry.objects.bulk_create(audit)
            IntakeNote.objects.bulk_create(notes)
            self.advance(len(users) * 3 + len(history) + len(audit) + len(notes))
        self.step_done()

    def _language(self, region):
        roll = self.rng.random()
        if region == Region.BRUSSEL:
            return "fr" if roll < 0.6 else "nl" if roll < 0.9 else "en"
        return "nl" if roll < 0.88 else "fr" if roll < 0.95 else "en"

    def _member(self, n, user, region, applied, changes):
        phone = self.rng.random() < 0.1
        last = changes[-1]
        return Member(
            user=user,
            pseudonym=f"{NAMES[n % len(NAMES)]}{n}",
            region=region,
            status=last[1],
            status_changed_at=last[2],
            contact_preference=Member.Contact.PHONE if phone else Member.Contact.EMAIL,
            phone=f"+3247{self.rng.randrange(10**7):07d}" if phone else "",
            message_to_coordinator="Ik zou graag eens horen hoe een groep werkt."
            if self.rng.random() < 0.3
            else "",
            privacy_version=settings.PRIVACY_STATEMENT_VERSION,
            privacy_agreed_at=applied,
            applied_at=applied,
            emails=Member.Emails.DISCREET if self.rng.random() < 0.15 else Member.Emails.UNNAMED,
        )

    # Groups

    def groups_and_memberships(self):
        self.step("groups", "Groups")
        rng = self.rng
        by_region = defaultdict(list)
        bench_member = self.people[0]
        for person in self.people[1:]:
            if person[3] == S.ACTIVE:
                by_region[person[2]].append(person)
        for people in by_region.values():
            rng.shuffle(people)
        by_region[Region.ANTWERPEN].insert(0, bench_member)
        total = sum(REGION_WEIGHTS.values())
        per_region = {
            region: max(1, round(self.size.groups * weight / total))
            for region, weight in REGION_WEIGHTS.items()
        }
        per_region[Region.ANTWERPEN] += self.size.groups - sum(per_region.values())
        groups, plans = [], []
        for region, count in per_region.items():
            sizes = [rng.randint(9, 12) for _ in range(count)]
            # Groups form as the network grows: the people placed in a region's
            # groups fill one group after the other in the order they became
            # members, and a group starts once a few of them are there.
            placed = sorted(
                by_region[region][: sum(sizes)], key=lambda p: (p is not bench_member, p[4])
            )
            for k, size in enumerate(sizes):
                chosen, placed = placed[:size], placed[size:]
                starter = chosen[min(2, len(chosen) - 1)][4] if chosen else self.start
                created = min(
                    starter + timedelta(days=rng.uniform(1, 20)), self.now - timedelta(days=7)
                )
                groups.append(
                    Group(
                        region=region,
                        name=f"{rng.choice(['Dinsdagavond', 'Donderdag', 'Zondag', 'Woensdag'])}"
                        f" {region.label} {k + 1}",
                        description="Om de twee weken, rustig praten in een kleine kring.",
                        format=Group.Format.ONLINE
                        if rng.random() < 0.2
                        else Group.Format.IN_PERSON,
                        max_size=12,
                        created_at=created,
                    )
                )
                plans.append(chosen)
        Group.objects.bulk_create(groups)
        memberships, facilitator_users = [], []
        for group, chosen in zip(groups, plans, strict=True):
            joined, leads = [], []
            # The benchmark's member is a plain member of the first group.
            bench_first = bool(chosen) and chosen[0] is bench_member
            for i, (member_pk, user_pk, _region, _status, active_since) in enumerate(chosen):
                at = max(group.created_at, active_since)
                if i:
                    at = min(at + timedelta(days=rng.uniform(0, 14)), self.now)
                facilitator = (i == 0 and not bench_first) or (
                    i == 1 and (bench_first or rng.random() < 0.3)
                )
                memberships.append(
                    GroupMembership(
                        group=group,
                        member_id=member_pk,
                        role=GroupMembership.Role.FACILITATOR
                        if facilitator
                        else GroupMembership.Role.MEMBER,
                        joined_at=at,
                    )
                )
                joined.append((member_pk, user_pk, at))
                if facilitator:
                    leads.append(user_pk)
            self.groups.append((group, joined, leads))
            facilitator_users += leads
        GroupMembership.objects.bulk_create(memberships, batch_size=BATCH)
        self.advance(len(groups) + len(memberships))
        for user in User.objects.filter(pk__in=facilitator_users):
            TOTP.activate(user, config.TOTP_SECRET)
        self.step_done()

    # Meetings

    def meetings(self):
        self.step("meetings", "Meetings")
        rng = self.rng
        self.member_of_user = {user_pk: member_pk for member_pk, user_pk, *_rest in self.people}
        horizon = self.now + timedelta(days=92)
        pending = defaultdict(list)
        for group, joined, leads in self.groups:
            online = group.format == Group.Format.ONLINE
            place = (
                {"place_kind": "online", "online_link": f"https://meet.example.org/{group.code}"}
                if online
                else {
                    "place_kind": "in_person",
                    "address": f"Voorbeeldstraat {rng.randint(1, 200)}, {group.region}",
                    "practical_notes": "Bel aan bij Echo.",
                }
            )
            start_time = time(19) if rng.random() < 0.7 else time(14)
            first = timezone.localdate(group.created_at) + timedelta(days=rng.randint(3, 14))
            creator = self.member_of_user.get(leads[0]) if leads else None
            # One series a year, as facilitators plan them.
            while first < horizon.date():
                series = Series(
                    group=group,
                    frequency="two_weekly",
                    starts_on=first,
                    start_time=start_time,
                    duration=timedelta(hours=2),
                    count=26,
                    capacity=group.max_size,
                    rsvp_closes_before=timedelta(0),
                    created_at=local_instant(first, start_time) - timedelta(days=7),
                    **place,
                )
                series.created_by_id = creator
                series.save()
                for day in occurrence_dates(series.frequency, series.starts_on, count=26):
                    starts_at = local_instant(day, series.start_time)
                    if starts_at > horizon:
                        break
                    cancelled = rng.random() < 0.02
                    pending["meetings"].append(
                        (
                            Meeting(
                                group=group,
                                series=series,
                                occurrence_date=day,
                                starts_at=starts_at,
                                ends_at=starts_at + series.duration,
                                capacity=series.capacity,
                                rsvp_closes_at=starts_at - series.rsvp_closes_before,
                                cancelled_at=starts_at - timedelta(days=2) if cancelled else None,
                                sequence=1 if cancelled else 0,
                                created_at=series.created_at,
                                updated_at=series.created_at,
                                **place,
                            ),
                            joined,
                            leads,
                        )
                    )
                first = day + timedelta(days=14)
            if len(pending["meetings"]) >= 500:
                self._flush_meetings(pending["meetings"])
                pending["meetings"] = []
        self._flush_meetings(pending["meetings"])
        self.step_done()

    def _flush_meetings(self, items):
        rng = self.rng
        meetings = Meeting.objects.bulk_create([meeting for meeting, _j, _l in items])
        rsvps, attendance, recorded = [], [], []
        for meeting, (_m, joined, leads) in zip(meetings, items, strict=True):
            ahead = meeting.starts_at - self.now
            if meeting.cancelled_at or ahead > timedelta(days=21):
                continue
            going = 0
            for member_pk, user_pk, joined_at in joined:
                if joined_at > meeting.starts_at - timedelta(days=1):
                    continue
                roll = rng.random()
                if user_pk == self.people[0][1]:
                    roll = 0.0  # the benchmark's member goes to every meeting
                if roll < 0.7:
                    answer = Rsvp.Answer.GOING if going < meeting.capacity else Rsvp.Answer.WAITING
                    going += answer == Rsvp.Answer.GOING
                elif roll < 0.8:
                    answer = Rsvp.Answer.NOT_GOING
                else:
                    continue
                answered = meeting.starts_at - timedelta(days=rng.uniform(0.5, 12))
                answered = min(max(answered, meeting.created_at, joined_at), self.now)
                rsvps.append(
                    Rsvp(
                        meeting=meeting,
                        member_id=member_pk,
                        answer=answer,
                        answered_at=answered,
                        waiting_since=answered if answer == Rsvp.Answer.WAITING else None,
                    )
                )
                if answer == Rsvp.Answer.GOING and meeting.ends_at + timedelta(days=1) < self.now:
                    status = rng.choices(["present", "absent", "excused"], [85, 8, 7])[0]
                    attendance.append(
                        Attendance(
                            meeting=meeting,
                            member_id=member_pk,
                            status=status,
                            recorded_by_id=leads[0] if leads else None,
                            recorded_at=meeting.ends_at + timedelta(days=1),
                        )
                    )
            if meeting.ends_at + timedelta(days=1) < self.now:
                recorded.append(meeting.pk)
        Rsvp.objects.bulk_create(rsvps, batch_size=BATCH)
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)
        Meeting.objects.filter(pk__in=recorded).update(
            attendance_recorded_at=models.F("ends_at") + timedelta(days=1)
        )
        self.advance(len(meetings) + len(rsvps) + len(attendance))

    # Boards

    def _blocks(self):
        """Paragraphs, lists and quotes that posts are made of, each rendered once:
        blocks separated by a blank line render to their renderings one after
        the other (checked on a share of the posts against a full render)."""
        rng = random.Random("blocks")
        blocks = []
        for n in range(3_000):
            sentences = rng.sample(SENTENCES, rng.randint(1, 4))
            if rng.random() < 0.2:
                i = rng.randrange(len(sentences))
                words = sentences[i].split(" ")
                w = rng.randrange(len(words))
                words[w] = f"*{words[w]}*" if rng.random() < 0.5 else f"**{words[w]}**"
                sentences[i] = " ".join(words)
            if n % 10 == 7:
                text = "\n".join(f"- {s}" for s in sentences)
            elif n % 17 == 3:
                text = f"> {sentences[0]}"
            else:
                text = " ".join(sentences)
            blocks.append((text, render(text)))
        return blocks

    def _body(self):
        chosen = self.rng.sample(self.blocks, self.rng.choices([1, 2, 3, 4], [35, 35, 20, 10])[0])
        body = "\n\n".join(text for text, _html in chosen)
        if any(a.startswith("- ") and b.startswith("- ") for (a, _), (b, _) in pairwise(chosen)):
            return body, render(body)  # two lists in a row make one
        html = "".join(html for _text, html in chosen)
        self._rendered += 1
        if self._rendered % 50 == 0 and render(body) != html:
            raise AssertionError(f"A post renders differently from its blocks:\n{body}")
        return body, html

    def _thread_plan(self):
        """(board, number of posts, what is special about it) for every thread."""
        size, rng = self.size, self.rng
        community = board_services.community_board()
        staff = board_services.staff_room()
        group_boards = [board_services.board_of(group) for group, _j, _l in self.groups]
        plan = [(community, size.long_thread, "long"), (community, 20, "twenty")]
        n_community = round(size.threads * 0.6) - 2
        n_staff = max(1, round(size.threads * 0.02))
        n_groups = size.threads - len(plan) - n_community - n_staff
        boards = [community] * n_community + [staff] * n_staff
        boards += [group_boards[i % len(group_boards)] for i in range(n_groups)]
        # Lengths from a long-tailed distribution, scaled to the posts asked for.
        weights = [min(rng.paretovariate(2.2), 12) for _ in boards]
        left = size.posts - size.long_thread - 20
        scale = (left - len(boards)) / sum(weights)
        counts = [1 + int(w * scale) for w in weights]
        for i in rng.sample(range(len(counts)), left - sum(counts)):
            counts[i] += 1
        plan += [(board, count, "") for board, count in zip(boards, counts, strict=True)]
        head, rest = plan[:2], plan[2:]
        rng.shuffle(rest)
        return head + rest, community, staff

    def boards(self):
        self.step("boards", "Boards")
        rng = self.rng
        self.blocks = self._blocks()
        self._rendered = 0
        plan, community, staff = self._thread_plan()
        active_users = [p[1] for p in self.people if p[3] == S.ACTIVE]
        # A few people write much of the community board; most write a little.
        posters = active_users[: max(1, len(active_users) // 3)]
        poster_weights = list(itertools.accumulate(1 / (r + 1) ** 0.8 for r in range(len(posters))))
        staff_users = [user for _g, _j, leads in self.groups for user in leads]
        staff_users += [c.pk for c in self.coordinators.values()]
        group_users = {group.pk: [u for _m, u, _a in joined] for group, joined, _l in self.groups}
        bench_user = self.people[0][1]

        def author_for(board):
            if board.kind == Board.Kind.COMMUNITY:
                return rng.choices(posters, cum_weights=poster_weights)[0]
            if board.kind == Board.Kind.STAFF:
                return rng.choice(staff_users)
            return rng.choice(group_users[board.group_id] or staff_users)

        for first in range(0, len(plan), 250):
            self._threads(plan[first : first + 250], author_for, bench_user)
        # Some replies quote the post before them, as the reply form lets people do.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE boards_post p SET quote_id = q.previous FROM ("
                "  SELECT id, lag(id) OVER (PARTITION BY thread_id ORDER BY created_at, id)"
                "  AS previous FROM boards_post) q "
                "WHERE p.id = q.id AND q.previous IS NOT NULL AND p.id % 31 = 0"
            )
        # Two pinned conversations on the community board; the member marked
        # it all as read a month ago.
        for thread in Thread.objects.filter(board=community).order_by("-post_count")[2:4]:
            thread.pinned = True
            thread.save(update_fields=["pinned"])
        BoardRead.objects.create(
            board=community, user_id=bench_user, read_at=self.now - timedelta(days=30)
        )
        self.step_done()

    def _threads(self, plan, author_for, bench_user):
        rng = self.rng
        threads, posts_of = [], []
        for board, count, special in plan:
            created = log_weighted_moment(rng, self.start, self.now - timedelta(hours=2))
            if special == "long":
                created = self.start + timedelta(days=2)
            elif special == "twenty":
                created = self.now - timedelta(days=3)
            # Replies come in bursts: minutes to days apart, never in the future.
            gaps = [rng.expovariate(1) for _ in range(count - 1)]
            span = min((self.now - created).total_seconds(), 86400 * rng.uniform(0.5, 30))
            if special == "long":
                span = (self.now - created).total_seconds() * 0.98
            total = sum(gaps) or 1
            moments, t = [created], 0.0
            for gap in gaps:
                t += gap
                moments.append(created + timedelta(seconds=span * t / total))
            posts = []
            author = author_for(board)
            title = config.THREAD_TITLES.get(special) or rng.choice(TITLES)
            for i, at in enumerate(moments):
                writer = author if i == 0 else author_for(board)
                state, published = Post.State.PUBLISHED, at
                roll = rng.random()
                if i and special != "twenty":
                    if roll < 0.01:
                        state = Post.State.HIDDEN
                    elif roll < 0.02:
                        state = Post.State.DELETED
                    elif roll < 0.025 and i == len(moments) - 1:
                        state, published = Post.State.PENDING, None
                body, html = self._body()
                posts.append(
                    Post(
                        author_id=writer,
                        body=body,
                        body_html=html,
                        content_warning="gaat over herinneringen" if roll > 0.96 else "",
                        state=state,
                        hold_reasons=["first_posts"] if state == Post.State.PENDING else [],
                        review_since=at if state == Post.State.PENDING else None,
                        created_at=at,
                        published_at=published,
                        search_text=f"{title}\n{body}" if i == 0 else body,
                    )
                )
            published_posts = [p for p in posts if p.state == Post.State.PUBLISHED]
            last = max((p.published_at for p in posts if p.published_at), default=created)
            threads.append(
                Thread(
                    board=board,
                    title=title,
                    author_id=author,
                    created_at=created,
                    published=True,
                    last_activity_at=last,
                    post_count=len(published_posts),
                )
            )
            posts_of.append(posts)
        Thread.objects.bulk_create(threads)
        all_posts, follows, reads = [], {}, {}
        for thread, posts in zip(threads, posts_of, strict=True):
            for post in posts:
                post.thread = thread
                all_posts.append(post)
                follows[thread.pk, post.author_id] = None
                reads[thread.pk, post.author_id] = post.created_at
            if thread.board.kind == Board.Kind.COMMUNITY and rng.random() < 0.5:
                # The benchmark's member read half the community board at some point.
                seen = thread.created_at + (thread.last_activity_at - thread.created_at) * (
                    rng.random() * 1.2
                )
                seen = min(max(reads.get((thread.pk, bench_user)) or seen, seen), self.now)
                reads[thread.pk, bench_user] = seen
        Post.objects.bulk_create(all_posts, batch_size=BATCH)
        Follow.objects.bulk_create(
            (Follow(thread_id=t, user_id=u) for t, u in follows), batch_size=BATCH
        )
        ThreadRead.objects.bulk_create(
            (ThreadRead(thread_id=t, user_id=u, read_at=at) for (t, u), at in reads.items()),
            batch_size=BATCH,
        )
        self.advance(len(threads) + len(all_posts) + len(follows) + len(reads))

    # Figures

    def figures(self):
        """The daily figures of the whole period, written by Echo's own backfill."""
        self.step("figures", "Figures")
        for first, end in months(snapshots.first_day_with_history(), snapshots.yesterday()):
            written, _kept = snapshots.backfill(
                first, now=snapshots.start_of(end + timedelta(days=1))
            )
            self.advance(written)
        self.step_done()


def date_columns():
    """For bench.database.shift_to_today: the date and time columns of Echo's tables."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in database.APPS or not model._meta.managed:
            continue
        columns = [
            f.column
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField | models.DateTimeField)
        ]
        unique = {
            model._meta.get_field(name).column
            for constraint in model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            for name in constraint.fields
        }
        if columns:
            found.append((model._meta.db_table, columns, sorted(unique & set(columns))))
    return found


def main(argv):
    if argv == ["--date-columns"]:
        print(json.dumps(date_columns()))
        return
    (name,) = argv
    size = config.SIZES[name]
    seeder = Seeder(size)
    seconds = seeder.run()
    database.mark_ready(connection.settings_dict["NAME"], size, seeder.now, seconds)
    print(
        f"Seeded the {size.name} data set ({database.describe(size)}) in {duration(seconds)}: "
        f"{seeder.rows:,} rows.",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
