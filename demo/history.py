"""Two years of demo history, shaped like Echo's own start: from nothing to
more than 60 members within a few months, then growing steadily, in the six
regions, with groups meeting every two or four weeks.

The rows are those Echo's services write (`members.services`,
`groups.services`, `events.services`): a status history row and an audit
entry for every application, intake, decision and departure, the group
memberships of who is still a member, series and their meetings, answers and
the attendance facilitators record afterwards. They are written with
`bulk_create` at past moments instead of through the services, which stamp
everything with the present and would queue an email per decision; a few
hundred people take a second or two this way. Declined and withdrawn
applications older than the retention period were erased, as the nightly
task would have done: only their audit entries are left, as for a few
members who erased their account.

Random but repeatable: the same seed gives the same people every time.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from echo.models import AuditEntry, Region, random_code
from events.models import Attendance, Meeting, Rsvp, Series
from events.recurrence import BRUSSELS, local_instant, occurrence_dates
from groups.models import Group, GroupMembership
from members.models import Member, StatusChange, User

S = Member.Status
DAYS = 730
# Applications per 30 days, from the first month on: the rush of the start,
# then a steady stream that grows a little.
APPLICATIONS_PER_MONTH = [22, 32, 20, 12, 8, 8, 7, 8, 9, 7, 8, 9]
APPLICATIONS_PER_MONTH += [9, 8, 10, 9, 9, 10, 11, 9, 10, 11, 10, 11]
REGION_WEIGHTS = {
    Region.ANTWERPEN: 25,
    Region.OOST_VLAANDEREN: 21,
    Region.BRUSSEL: 16,
    Region.VLAAMS_BRABANT: 14,
    Region.WEST_VLAANDEREN: 12,
    Region.LIMBURG: 12,
}

PLACES = {
    Region.ANTWERPEN: "Voorbeeldstraat 1, 2000 Antwerpen",
    Region.LIMBURG: "Voorbeeldstraat 5, 3500 Hasselt",
    Region.OOST_VLAANDEREN: "Voorbeeldstraat 9, 9000 Gent",
    Region.WEST_VLAANDEREN: "Voorbeeldstraat 3, 8000 Brugge",
    Region.VLAAMS_BRABANT: "Voorbeeldstraat 7, 3000 Leuven",
    Region.BRUSSEL: "Rue de l'Exemple 2, 1000 Bruxelles",
}
ONLINE = {"online_link": "https://meet.example.org/echo-demo"}


@dataclass
class GroupPlan:
    name: str
    region: str
    weekday: int  # Monday is 0
    starts: time
    cadence: str  # two_weekly or four_weekly
    first_day: int  # days after the start of Echo
    online: bool = False
    max_size: int = 10
    facilitator: str = ""  # a named demo person, or the first to join
    named: tuple = ()  # named demo people in the group

    @property
    def place(self):
        if self.online:
            return {"place_kind": "online", **ONLINE}
        return {
            "place_kind": "in_person",
            "address": PLACES[self.region],
            "practical_notes": "Bel aan bij Echo.",
        }


# Weekday names only: a group's name must not say what it is about.
GROUPS = [
    GroupPlan(
        "Dinsdagavond",
        Region.ANTWERPEN,
        1,
        time(19),
        "two_weekly",
        20,
        max_size=8,
        facilitator="Lotus",
        named=("Zeewind", "Kastanje"),
    ),  # fmt: skip
    GroupPlan("Maandagavond", Region.ANTWERPEN, 0, time(19, 30), "two_weekly", 45),
    GroupPlan("Zaterdagochtend", Region.ANTWERPEN, 5, time(10), "four_weekly", 300),
    GroupPlan("Woensdagavond", Region.LIMBURG, 2, time(19), "two_weekly", 50),
    GroupPlan("Zondagnamiddag", Region.LIMBURG, 6, time(14), "four_weekly", 420),
    GroupPlan("Donderdagavond", Region.OOST_VLAANDEREN, 3, time(19), "two_weekly", 30),
    GroupPlan("Maandagnamiddag", Region.OOST_VLAANDEREN, 0, time(14), "four_weekly", 90),
    GroupPlan("Vrijdagavond", Region.OOST_VLAANDEREN, 4, time(19), "two_weekly", 260),
    GroupPlan("Woensdagmiddag", Region.WEST_VLAANDEREN, 2, time(14), "four_weekly", 60),
    GroupPlan("Donderdagmiddag", Region.WEST_VLAANDEREN, 3, time(14), "two_weekly", 340),
    GroupPlan("Dinsdagmiddag", Region.VLAAMS_BRABANT, 1, time(14), "two_weekly", 55),
    GroupPlan("Zaterdagnamiddag", Region.VLAAMS_BRABANT, 5, time(14), "four_weekly", 420),
    GroupPlan(
        "Groupe du jeudi",
        Region.BRUSSEL,
        3,
        time(19),
        "two_weekly",
        25,
        online=True,
        max_size=8,
        facilitator="Merel",
        named=("Iris",),
    ),  # fmt: skip
    GroupPlan("Groupe du lundi", Region.BRUSSEL, 0, time(18, 30), "four_weekly", 120),
    GroupPlan("Vrijdagmiddag", Region.BRUSSEL, 4, time(14), "two_weekly", 280),
]
# The groups of the named demo people get their coming meetings from
# `demo.people`; the others plan this far ahead.
PLANNED_AHEAD = timedelta(weeks=8)
# A facilitator plans a series per half year.
SERIES_SPAN = timedelta(weeks=26)

ADJECTIVES = [
    "Blauwe", "Stille", "Zachte", "Warme", "Lichte", "Verre", "Groene", "Kalme",
    "Heldere", "Gouden", "Late", "Vroege", "Open", "Wijde", "Trage", "Ronde",
    "Milde", "Koele", "Zilveren", "Witte",
]  # fmt: skip
NOUNS = [
    "Reiger", "Eik", "Beek", "Wolk", "Vlier", "Merel", "Vallei", "Heide",
    "Maan", "Berk", "Golf", "Klaproos", "Zwaluw", "Ster", "Rivier", "Hazelaar",
    "Lelie", "Dauw", "Regen", "Weide", "Zon", "Vos",
]  # fmt: skip
MESSAGES = [
    "Ik zou graag eens horen hoe een groep werkt.",
    "Ik ben er nog niet zeker van, maar wil het proberen.",
    "Een vriendin raadde Echo aan.",
    "J'aimerais savoir comment se passe un groupe.",
    "",
]


@dataclass
class Person:
    pseudonym: str
    region: str
    applied_at: datetime
    # (moment, from status, to status, actor "self" or "coordinator", audit action or "")
    steps: list = field(default_factory=list)
    erased_at: datetime | None = None
    group: GroupPlan | None = None
    joined_at: datetime | None = None
    user: User | None = None
    member: Member | None = None
    code: str = field(default_factory=random_code)
    user_code: str = field(default_factory=random_code)
    named: bool = False

    @property
    def status(self):
        return self.steps[-1][2]

    def step(self, at, to_status, actor, action=""):
        self.steps.append((at, self.status if self.steps else "", to_status, actor, action))

    def status_on(self, moment):
        status = ""
        for at, _from, to_status, *_ in self.steps:
            if at > moment:
                break
            status = to_status
        return status

    def left_at(self):
        return next((at for at, _f, to, *_ in self.steps if to == S.LEFT), self.erased_at)


def _at(rng, day, *, office=False):
    """A moment on a Brussels day: office hours for coordinators, any
    waking hour for applicants."""
    hour = rng.randint(9, 16) if office else rng.randint(8, 22)
    return datetime.combine(day, time(hour, rng.randint(0, 59)), tzinfo=BRUSSELS)


def _pseudonyms(rng, taken):
    names = [f"{a} {n}" for a in ADJECTIVES for n in NOUNS if f"{a} {n}".lower() not in taken]
    rng.shuffle(names)
    return iter(names)


def _decide(rng, person, now):
    """Intake and decision of one application; returns the approval moment or None."""
    applied = person.applied_at
    start = _at(rng, applied.date() + timedelta(days=rng.randint(1, 6)), office=True)
    decided = _at(rng, applied.date() + timedelta(days=rng.randint(8, 24)), office=True)
    outcome = rng.random()
    if decided > now:
        # Still open: the last weeks' applications wait for their intake.
        if start < now:
            person.step(start, S.IN_INTAKE, "coordinator", "members.intake.started")
        return None
    if outcome < 0.07:
        when = applied + (decided - applied) * rng.uniform(0.2, 0.9)
        if rng.random() < 0.5:
            person.step(start, S.IN_INTAKE, "coordinator", "members.intake.started")
            when = max(when, start + timedelta(hours=5))
        person.step(when, S.WITHDRAWN, "self", "members.application.withdrawn")
        return None
    person.step(start, S.IN_INTAKE, "coordinator", "members.intake.started")
    if outcome < 0.12:
        person.step(decided, S.DECLINED, "coordinator", "members.application.declined")
        return None
    if outcome < 0.16:
        # Some intakes wait a while (on hold) before the approval.
        person.step(decided, S.ON_HOLD, "coordinator", "members.application.on_hold")
        decided = _at(rng, decided.date() + timedelta(days=rng.randint(10, 30)), office=True)
        if decided > now:
            return None
    person.step(decided, S.ACTIVE, "coordinator", "members.application.approved")
    return decided


def _membership(rng, person, approved, now, *, stays=False):
    """Pauses and departures after the approval."""
    moment = approved
    if not stays and rng.random() < 0.12:
        paused = moment + timedelta(days=rng.randint(30, 300), hours=rng.randint(0, 12))
        if paused < now:
            person.step(paused, S.PAUSED, "self")
            moment = paused + timedelta(days=rng.randint(20, 120), hours=rng.randint(0, 12))
            if moment > now:
                return
            person.step(moment, S.ACTIVE, "self")
    if not stays and rng.random() < 0.13:
        left = moment + timedelta(days=rng.randint(40, 500), hours=rng.randint(0, 12))
        if left < now:
            if rng.random() < 0.15:
                # Erased their account as a member: the audit log keeps the fact.
                person.erased_at = left
            else:
                person.step(left, S.LEFT, "self", "members.membership.left")


def _people(rng, start, now, named):
    """Everyone who ever applied, in the order they applied."""
    people = []
    pseudonyms = _pseudonyms(rng, {name.lower() for name, *_ in named})
    regions, weights = zip(*REGION_WEIGHTS.items(), strict=True)
    for month, count in enumerate(APPLICATIONS_PER_MONTH):
        for _ in range(count):
            day = start + timedelta(days=30 * month + rng.randrange(30))
            applied = _at(rng, day)
            if applied >= now - timedelta(hours=2):
                continue
            person = Person(next(pseudonyms), rng.choices(regions, weights)[0], applied)
            person.step(applied, S.APPLIED, "self", "members.application.submitted")
            approved = _decide(rng, person, now)
            if approved:
                _membership(rng, person, approved, now)
            elif person.status in Member.CLOSED_APPLICATION:
                decided = person.steps[-1][0]
                if decided + timedelta(days=settings.STALE_APPLICATION_DAYS + 1) < now:
                    # Erased by the nightly task once the retention period passed.
                    person.erased_at = _at(rng, decided.date() + timedelta(days=91))
            people.append(person)
    for pseudonym, region, applied_days_ago in named:
        applied = _at(rng, now.date() - timedelta(days=applied_days_ago))
        person = Person(pseudonym, region, applied, named=True)
        person.step(applied, S.APPLIED, "self", "members.application.submitted")
        person.step(
            applied + timedelta(days=3), S.IN_INTAKE, "coordinator", "members.intake.started"
        )
        approved = applied + timedelta(days=rng.randint(8, 12))
        person.step(approved, S.ACTIVE, "coordinator", "members.application.approved")
        people.append(person)
    people.sort(key=lambda person: person.applied_at)
    return people


def _join_groups(rng, people, start, now, groups):
    """Most members join a group of their region a few weeks after their
    approval, the one with the most room among those meeting by then."""
    opened = {plan.name: start_of_group(start, plan) for plan in GROUPS}
    # The named demo people have their places in their groups from the start.
    size = defaultdict(int, {plan.name: 1 + len(plan.named) for plan in GROUPS if plan.facilitator})
    for person in people:
        approval = next((at for at, _f, to, *_ in person.steps if to == S.ACTIVE), None)
        if approval is None:
            continue
        plans = [
            plan
            for plan in GROUPS
            if person.pseudonym == plan.facilitator or person.pseudonym in plan.named
        ]
        joined = approval + timedelta(days=rng.randint(7, 40), hours=rng.randint(0, 8))
        if person.named:
            if not plans:
                continue
            # A facilitator is there from the first meeting, a member soon after approval.
            joined = min(joined, opened[plans[0].name], now - timedelta(hours=3))
            joined = max(joined, approval + timedelta(days=1))
        else:
            if rng.random() > 0.85:
                continue
            plans = sorted(
                (
                    plan
                    for plan in GROUPS
                    if plan.region == person.region
                    and opened[plan.name] <= joined
                    and size[plan.name] < plan.max_size - 1
                ),
                key=lambda plan: size[plan.name],
            )
        left = person.left_at()
        if not plans or joined >= now or (left and joined >= left):
            continue
        person.group, person.joined_at = plans[0], joined
        if not (person.named or left or person.status == S.LEFT):
            size[plans[0].name] += 1


def start_of_group(start, plan):
    return _first_weekday(start + timedelta(days=plan.first_day), plan.weekday, plan.starts)


def _first_weekday(day, weekday, at):
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return local_instant(day, at)


def _write_people(people, coordinators, password):
    # Hashed once: the demo people share a password, and hashing it for each
    # would take most of the loading time.
    password = make_password(password)
    users = []
    for person in people:
        if person.erased_at or person.user:
            continue
        slug = person.pseudonym.lower().replace(" ", "-")
        person.user = User(
            email=f"{slug}@example.org",
            password=password,
            code=person.user_code,
            language="fr" if person.region == Region.BRUSSEL and len(slug) % 3 == 0 else "nl",
            date_joined=person.applied_at,
        )
        users.append(person.user)
    User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    members, changes, entries = [], [], []
    for n, person in enumerate(people):
        coordinator = coordinators[person.region]
        if not person.erased_at:
            phone = n % 6 == 0
            person.member = Member(
                user=person.user,
                code=person.code,
                pseudonym=person.pseudonym,
                region=person.region,
                status=person.status,
                status_changed_at=person.steps[-1][0],
                contact_preference="phone" if phone else "email",
                phone="+32470000000" if phone else "",
                message_to_coordinator=MESSAGES[n % len(MESSAGES)],
                privacy_version=settings.PRIVACY_STATEMENT_VERSION,
                privacy_agreed_at=person.applied_at,
                applied_at=person.applied_at,
            )
            members.append(person.member)
        for at, from_status, to_status, actor, action in person.steps:
            actor_user = person.user if actor == "self" else coordinator
            if person.member:
                changes.append(
                    StatusChange(
                        member=person.member,
                        from_status=from_status,
                        to_status=to_status,
                        actor=actor_user,
                        at=at,
                    )
                )
            if action:
                entries.append(
                    AuditEntry(
                        at=at,
                        actor_code=person.user_code if actor == "self" else coordinator.code,
                        action=action,
                        target_code=person.code,
                        region=person.region,
                    )
                )
        if person.erased_at:
            # As members.services.erase_account writes it: the status it ended.
            entries.append(
                AuditEntry(
                    at=person.erased_at,
                    actor_code=person.user_code,
                    action="members.account.erased",
                    target_code=person.code,
                    region=person.region,
                    detail={"status": person.status},
                )
            )
    Member.objects.bulk_create(members)
    StatusChange.objects.bulk_create(changes)
    return entries


def _write_groups(rng, people, start, now, coordinators):
    """The groups, their members, the series their facilitators planned,
    and for each meeting held the answers and the attendance."""
    groups = {}
    for plan in GROUPS:
        created = start_of_group(start, plan) - timedelta(days=rng.randint(10, 20))
        groups[plan.name] = Group(
            name=plan.name,
            region=plan.region,
            format="online" if plan.online else "in_person",
            cadence=plan.cadence,
            description=(
                "Om de twee weken, rustig praten in een kleine kring."
                if plan.cadence == "two_weekly"
                else "Om de vier weken, rustig praten in een kleine kring."
            ),
            max_size=plan.max_size,
            created_at=created,
        )
    Group.objects.bulk_create(groups.values())
    entries = [
        AuditEntry(
            at=group.created_at,
            actor_code=coordinators[group.region].code,
            action="groups.created",
            target_code=group.code,
            region=group.region,
        )
        for group in groups.values()
    ]

    in_group = defaultdict(list)
    for person in people:
        if person.group:
            in_group[person.group.name].append(person)
    memberships, lead = [], {}
    for plan in GROUPS:
        group = groups[plan.name]
        for person in in_group[plan.name]:
            staying = person.member and person.status in (S.ACTIVE, S.PAUSED)
            is_lead = (
                plan.name not in lead
                and staying
                and (not plan.facilitator or plan.facilitator == person.pseudonym)
            )
            if is_lead:
                lead[plan.name] = person
            if staying:
                # Who left Echo left their groups too (groups.services.release_member).
                memberships.append(
                    GroupMembership(
                        group=group,
                        member=person.member,
                        role="facilitator" if is_lead else "member",
                        joined_at=person.joined_at,
                    )
                )
            entries.append(
                AuditEntry(
                    at=person.joined_at,
                    actor_code=coordinators[group.region].code,
                    action="groups.member_placed",
                    target_code=person.code,
                    region=group.region,
                    detail={"group": group.code},
                )
            )
    GroupMembership.objects.bulk_create(memberships)

    series_rows, meetings = [], []
    for plan in GROUPS:
        group, facilitator = groups[plan.name], lead.get(plan.name)
        first = start_of_group(start, plan).date()
        ahead = timedelta(0) if plan.facilitator else PLANNED_AHEAD
        last = (now + ahead).date() - timedelta(days=1)
        while first <= last:
            series = Series(
                group=group,
                frequency=plan.cadence,
                starts_on=first,
                start_time=plan.starts,
                duration=timedelta(hours=2),
                ends_on=min(first + SERIES_SPAN, last),
                capacity=plan.max_size,
                rsvp_closes_before=timedelta(hours=2),
                created_by=facilitator.member if facilitator else None,
                created_at=_at(rng, first - timedelta(days=rng.randint(5, 14))),
                **plan.place,
            )
            series_rows.append(series)
            dates = occurrence_dates(series.frequency, first, ends_on=series.ends_on)
            for day in dates:
                starts_at = local_instant(day, plan.starts)
                meetings.append(
                    Meeting(
                        group=group,
                        series=series,
                        occurrence_date=day,
                        starts_at=starts_at,
                        ends_at=starts_at + series.duration,
                        capacity=series.capacity,
                        rsvp_closes_at=starts_at - series.rsvp_closes_before,
                        created_at=series.created_at,
                        updated_at=series.created_at,
                        **plan.place,
                    )
                )
            first = dates[-1] + timedelta(weeks=2 if plan.cadence == "two_weekly" else 4)
    Series.objects.bulk_create(series_rows)
    for meeting in meetings:
        meeting.series_id = meeting.series.pk
        if meeting.ends_at < now and rng.random() < 0.04:
            # Now and then a meeting is called off a few days before.
            meeting.cancelled_at = meeting.starts_at - timedelta(days=rng.randint(1, 5))
            meeting.sequence = 1
    Meeting.objects.bulk_create(meetings, batch_size=500)
    entries += [
        AuditEntry(
            at=series.created_at,
            actor_code=lead[series.group.name].user_code if series.group.name in lead else "",
            action="events.series.planned",
            target_code=series.code,
            region=series.group.region,
            detail={"group": series.group.code},
        )
        for series in series_rows
    ]
    entries += _attendance(rng, meetings, in_group, lead, now)
    return groups, entries


def _attendance(rng, meetings, in_group, lead, now):
    """Answers before each meeting held and the attendance its facilitator
    recorded afterwards (a day or two later at most; the last ones may not
    be recorded yet)."""
    rsvps, attendance, entries, recorded = [], [], [], []
    for meeting in meetings:
        if meeting.cancelled_at or meeting.ends_at >= now:
            continue
        facilitator = lead.get(meeting.group.name)
        if facilitator is None:
            continue
        at = meeting.ends_at + timedelta(hours=rng.randint(1, 40))
        record = at < now
        for person in in_group[meeting.group.name]:
            if (
                person.joined_at > meeting.starts_at
                or person.status_on(meeting.starts_at) != S.ACTIVE
            ):
                continue
            if person.erased_at and person.erased_at <= now:
                continue
            roll = rng.random()
            status = "present" if roll < 0.74 else "excused" if roll < 0.88 else "absent"
            rsvps.append(
                Rsvp(
                    meeting=meeting,
                    member=person.member,
                    answer="not_going" if status == "excused" else "going",
                    answered_at=meeting.starts_at - timedelta(days=rng.randint(1, 10)),
                )
            )
            if record:
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        member=person.member,
                        status=status,
                        recorded_by=facilitator.user,
                        recorded_at=at,
                    )
                )
        if record:
            meeting.attendance_recorded_at = at
            recorded.append(meeting)
            entries.append(
                AuditEntry(
                    at=at,
                    actor_code=facilitator.user_code,
                    action="events.attendance.recorded",
                    target_code=meeting.code,
                    region=meeting.group.region,
                    detail={"group": meeting.group.code},
                )
            )
    Rsvp.objects.bulk_create(rsvps, batch_size=1000)
    Attendance.objects.bulk_create(attendance, batch_size=1000)
    Meeting.objects.bulk_update(recorded, ["attendance_recorded_at"], batch_size=500)
    return entries


def load(named, coordinators, password, now=None):
    """Write two years of history ending `now`.

    `named`: (pseudonym, region, user, applied how many days ago) of the demo
    people with logins, who become members at those moments; `coordinators`:
    the coordinator account of each region. Returns the members of the named
    people by pseudonym and the groups by name."""
    now = now or timezone.now()
    rng = random.Random(2021)
    start = timezone.localtime(now, BRUSSELS).date() - timedelta(days=DAYS)
    people = _people(rng, start, now, [(p, r, days) for p, r, _u, days in named])
    users = {pseudonym: user for pseudonym, _r, user, _d in named}
    for person in people:
        if person.pseudonym in users:
            person.user = users[person.pseudonym]
            person.user_code = person.user.code
    _join_groups(rng, people, start, now, GROUPS)
    entries = _write_people(people, coordinators, password)
    groups, group_entries = _write_groups(rng, people, start, now, coordinators)
    AuditEntry.objects.bulk_create(entries + group_entries, batch_size=1000)
    members = {person.pseudonym: person.member for person in people if person.pseudonym in users}
    return members, groups
