"""Fill the database with a realistic organisation of engineers, for the demo and the benchmarks.

`make run` seeds 100 engineers (the default); `make bench` asks for 10,000. Every engineer gets a
profile (discipline, current role, years, some credentials, a time zone), a submitted self-assessment
whose answers follow a personal leaning and whose result comes from the real scoring engine and
advice, and, for most, an active plan proposed by the plan pages' own code (`plans.proposals`, which
runs the path finder and the generator) toward their advice's first next step, started some months
ago so that some milestones are done and some are overdue. Every tenth engineer also has a
self-assessment in progress. Engineer number 1 has all of it; `bench/run.py` logs in as them.

About half the engineers also aimed at other roles before: one or two earlier plans, proposed the
same way from the same result toward another of their next steps, each archived when the next one
was made, with the milestones done or left open by then.

The demo engineer of `create_demo_users` (engineer@example.com) answers the questionnaire and makes a
plan through the services the pages call (`demo_engineer_fill`), once.

The first 100 engineers are then put in an org chart (demo/organisation.py): twelve teams of 6 to 10
under managers who report to a director, the demo manager (manager@example.com) heading the team the
demo engineer is in, with manager ratings, plan comments, agreed plans and confirmed milestones made
through the teams' and plans' services.

Engineers are `engineer-00001@demo.careerpath.invalid` and so on; running the command again only
adds the ones missing (`--reset` deletes them all first), so a second `make run` adds nothing. Each
engineer's data depends only on their number, so it is the same however it is made. Rows are written
with bulk_create in chunks (COPY on PostgreSQL), so 10,000 engineers take about a minute.
"""

import csv
import io
import json
import multiprocessing
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import BooleanField, DateField, DateTimeField, F, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.management.commands.create_demo_users import DEMO_ENGINEER, DEMO_HR, DEMO_MANAGER
from accounts.models import Profile, User
from accounts.services import email_addresses_confirmed_create, hr_member_add
from assessments import advice, scoring
from assessments import selectors as assessment_selectors
from assessments.models import Answer, Item, Response, Result
from assessments.services import response_save_section, response_start, response_submit, result_build
from demo import organisation
from hr import services as hr_services
from plans import proposals
from plans import selectors as plan_selectors
from plans import services as plan_services
from plans.models import Milestone, Plan, PlanComment
from roles.models import Certification, Discipline, Role
from teams.models import ManagerRating, PeerRound, SkillRating

EMAIL_DOMAIN = "demo.careerpath.invalid"
HR_EMAIL = f"hr-demo@{EMAIL_DOMAIN}"
DEFAULT_ENGINEERS = 100  # `make run`; the benchmarks ask for 10,000
CHUNK = 500
SEED = 20260101
PLAN_SHARE = 0.8  # engineers with an active plan
# How many earlier, archived plans an engineer has (0, 1, 2): the weight of each.
EARLIER_PLAN_WEIGHTS = (0.52, 0.36, 0.12)
EARLIER_PLAN_DAYS = (60, 300)  # how long an earlier plan ran before the next one archived it
IN_PROGRESS_EVERY = 10  # every tenth engineer (1, 11, 21, ...) also has a self-assessment under way
# Engineers work across time zones, so at any hour of the day some are inside their reminder send window
# (09:00 to 15:00 their time): with `make run`, a reminder appears on the console within minutes.
TIME_ZONES = (
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Tokyo",
    "America/Sao_Paulo",
    "Australia/Sydney",
)
# The demo engineer's plan (create_demo_users' engineer@example.com): this many milestones done, and the
# next one due in a week.
DEMO_DONE_MILESTONES = 2
DEMO_NEXT_DUE_DAYS = 7


def engineer_email(number: int) -> str:
    return f"engineer-{number:05d}@{EMAIL_DOMAIN}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


FIRST_NAMES = [
    "Ada",
    "Alan",
    "Amara",
    "Ana",
    "Arjun",
    "Bea",
    "Carlos",
    "Chen",
    "Dana",
    "Dmitri",
    "Elif",
    "Emeka",
    "Eva",
    "Farah",
    "Grace",
    "Hana",
    "Ibrahim",
    "Ines",
    "Jamal",
    "Jin",
    "Kofi",
    "Lena",
    "Luca",
    "Maya",
    "Mei",
    "Nadia",
    "Noah",
    "Omar",
    "Priya",
    "Quinn",
    "Rafael",
    "Rosa",
    "Sam",
    "Sara",
    "Tariq",
    "Uma",
    "Viktor",
    "Wei",
    "Yara",
    "Zoe",
]
LAST_NAMES = [
    "Adeyemi",
    "Andersen",
    "Bauer",
    "Costa",
    "Dubois",
    "Edwards",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ivanova",
    "Jensen",
    "Kim",
    "Kowalski",
    "Lopez",
    "Müller",
    "Nakamura",
    "Novak",
    "Okafor",
    "Patel",
    "Quispe",
    "Rossi",
    "Santos",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Wang",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
]


class Catalog:
    """What generating an engineer needs from the database, read once."""

    def __init__(self):
        version = assessment_selectors.active_version()
        if version is None:
            raise CommandError("No active questionnaire: run `manage.py load_questionnaire` first.")
        roles = list(Role.objects.select_related("track").order_by("track__order", "rank", "name"))
        if not roles:
            raise CommandError("The catalog is empty: run `manage.py load_catalog` first.")
        self.version = version
        self.questionnaire = {"name": version.questionnaire.name, "version": version.number}
        self.items = assessment_selectors.item_specs(version=version)
        self.item_ids = dict(Item.objects.filter(version=version).values_list("key", "pk"))
        self.first_section_items = set(
            Item.objects.filter(version=version, section__order=1).values_list("key", flat=True)
        )
        self.role_specs, self.skill_names, self.certification_names = assessment_selectors.catalog_specs()
        self.role_dicts = [role.to_dict() for role in self.role_specs]
        self.specs_by_slug = {spec.slug: spec for spec in self.role_specs}
        self.roles = roles
        self.role_ids = {role.slug: role.pk for role in roles}
        self.role_names = {role.slug: role.name for role in roles}
        self.disciplines = list(Discipline.objects.values_list("pk", flat=True))
        self.certifications = list(Certification.objects.values_list("pk", "slug", "min_years_experience"))
        self.roles_by_slug = {role.slug: role for role in roles}
        self.moves, self.credential_specs = assessment_selectors.advice_inputs()
        # What the plan proposals read, read once for every engineer.
        self.reads = proposals.CatalogReads(role_specs=self.specs_by_slug)


class Engineer:
    """One generated engineer: plain data, made from their number alone."""

    def __init__(self, number: int, catalog: Catalog, today: date):
        rng = random.Random(SEED * 100_003 + number)
        self.number = number
        self.name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        self.years = min(40, int(rng.expovariate(1 / 8)))
        self.discipline_id = rng.choice(catalog.disciplines) if catalog.disciplines else None
        fitting = [r for r in catalog.roles if r.typical_years_min <= self.years] or catalog.roles[:1]
        self.current_role = rng.choice(fitting) if rng.random() < 0.9 else None
        self.certification_ids = [
            pk for pk, _slug, min_years in catalog.certifications if min_years <= self.years and rng.random() < 0.15
        ]
        held = frozenset(slug for pk, slug, _ in catalog.certifications if pk in set(self.certification_ids))
        self.person = scoring.PersonSpec(
            years_experience=self.years,
            current_role=self.current_role.slug if self.current_role else None,
            held_certifications=held,
        )
        leaning = {dim: rng.uniform(-1, 1) for dim in scoring.DIMENSIONS}
        self.answers = {item.key: _answer(item, leaning, self.years, rng) for item in catalog.items}
        self.submitted_at = timezone.make_aware(
            datetime.combine(
                today - timedelta(days=rng.randint(30, 540)), dt_time(rng.randint(8, 18), rng.randint(0, 59))
            ),
            UTC,
        )
        self.has_plan = rng.random() < PLAN_SHARE
        self.plan_started = today - timedelta(days=rng.randint(0, 450))
        self.done_chance = rng.uniform(0.3, 0.95)
        self.rng = rng
        self.in_progress = number % IN_PROGRESS_EVERY == 1
        self.draft_answers = {
            key: rng.randint(1, 5) for key in sorted(catalog.first_section_items) if rng.random() < 0.5
        }
        self.earlier_plans = _earlier_plans(number, self.plan_started if self.has_plan else None, today)


@dataclass(frozen=True)
class EarlierPlan:
    """A plan the engineer made before their active one and archived when they made the next."""

    target_rank: int  # which of the result's closest role matches it aimed at (0 is the closest)
    started: date
    archived_at: datetime
    done_chance: float
    rng: random.Random


def _earlier_plans(number: int, active_started: date | None, today: date) -> list[EarlierPlan]:
    """Oldest first. Their own random stream, so adding them left every engineer's active plan as it was."""
    rng = random.Random(f"{SEED}:earlier-plans:{number}")
    count = rng.choices(range(len(EARLIER_PLAN_WEIGHTS)), weights=EARLIER_PLAN_WEIGHTS)[0]
    # Without an active plan, the last plan was archived some time ago and none made since.
    next_started = active_started or today - timedelta(days=rng.randint(0, 180))
    plans = []
    for rank in range(count, 0, -1):
        started = next_started - timedelta(days=rng.randint(*EARLIER_PLAN_DAYS))
        archived_at = timezone.make_aware(datetime.combine(next_started, dt_time(9)), UTC)
        plans.append(EarlierPlan(rank, started, archived_at, rng.uniform(0.3, 0.95), rng))
        next_started = started
    return plans[::-1]


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _pull(keys, leaning) -> float:
    return sum(key.direction * key.weight * leaning[key.dimension] for key in keys)


def _answer(item: scoring.ItemSpec, leaning: dict[str, float], years: int, rng: random.Random) -> int:
    """An answer following the person's leaning (and, for skills, their years), with noise."""
    if item.kind == scoring.SKILL:
        return _clamp(1 + years / 5 + rng.gauss(0, 0.8))
    if item.kind == scoring.CHOICE:  # 1 is "strongly A"
        return _clamp(3 - 1.5 * (_pull(item.a_keys, leaning) - _pull(item.b_keys, leaning)) + rng.gauss(0, 0.8))
    return _clamp(3 + 1.5 * _pull(item.keys, leaning) + rng.gauss(0, 0.9))


class Command(BaseCommand):
    help = (
        "Create demo engineers with profiles, scored self-assessments and plans with milestones "
        f"(default {DEFAULT_ENGINEERS:,}). Only the missing ones are added; --reset starts again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--engineers", type=int, default=DEFAULT_ENGINEERS, help="how many engineers in total")
        parser.add_argument("--reset", action="store_true", help="delete every demo engineer first")
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="processes generating in parallel (default: one per CPU on PostgreSQL, 1 otherwise)",
        )

    def handle(self, *args, engineers: int, reset: bool, jobs: int | None, **options):
        if engineers < 1:
            raise CommandError("--engineers must be at least 1.")
        started = time.perf_counter()
        if reset:
            deleted = reset_demo()
            self.stdout.write(f"Deleted {deleted:,} demo engineers.")
        catalog = Catalog()
        ensure_hr_user()
        prefix_len = len("engineer-")
        existing = {
            int(email[prefix_len : prefix_len + 5])
            for email in demo_engineers().values_list("email", flat=True).iterator()
        }
        missing = [n for n in range(1, engineers + 1) if n not in existing]
        if missing:
            self._seed(catalog, existing, missing, jobs, started)
        else:
            self.stdout.write(f"All {engineers:,} demo engineers are already there; nothing to do.")
        self.stdout.write(demo_engineer_fill(catalog=catalog, today=timezone.localdate()))
        org_started = time.perf_counter()
        self.stdout.write(
            organisation.organise(engineer_email=engineer_email, domain=EMAIL_DOMAIN, seed=SEED, names=person_name)
            + f" ({time.perf_counter() - org_started:.1f} s)"
        )
        # Results stored without a submit: the HR dashboard takes them in now, as its beat task would.
        figures = hr_services.dashboard_refresh()
        self.stdout.write(f"HR dashboard figures worked out at {figures.computed_at:%H:%M:%S}.")
        self._print_log_ins()

    def _print_log_ins(self):
        self.stdout.write("Log in to the demo as:")
        for account, who in ((DEMO_ENGINEER, "an engineer"), (DEMO_MANAGER, "their manager"), (DEMO_HR, "HR")):
            self.stdout.write(f"  {account['email']:<24} password: {account['password']:<26} ({who})")

    def _seed(self, catalog, existing, missing, jobs, started):
        chunks = [missing[i : i + CHUNK] for i in range(0, len(missing), CHUNK)]
        if jobs is None:
            jobs = (os.cpu_count() or 1) if connection.vendor == "postgresql" else 1
        jobs = max(1, min(jobs, len(chunks)))
        global _WORK
        _WORK = (catalog, make_password(None), timezone.localdate())
        done = 0
        if jobs == 1:
            for numbers in chunks:
                done += _seed_chunk(numbers)
                self.stdout.write(f"  {done:,} of {len(missing):,} engineers created")
        else:
            # Each process opens its own database connection; none may be inherited across the fork.
            connections.close_all()
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for count in pool.imap_unordered(_seed_chunk, chunks):
                    done += count
                    self.stdout.write(f"  {done:,} of {len(missing):,} engineers created")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A bulk load leaves the planner's statistics and the visibility map behind until autovacuum
            # comes round; the HR dashboard's plans (and its index-only scans) depend on both.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write("  Vacuumed and analysed the database")
        total = len(existing) + len(missing)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {len(missing):,} demo engineers ({total:,} in all) with {jobs} process"
                f"{'es' if jobs > 1 else ''} in {time.perf_counter() - started:.1f} s."
            )
        )


# Set by the command before the worker processes fork: (catalog, password hash, today).
_WORK: tuple | None = None


def _seed_chunk(numbers: list[int]) -> int:
    catalog, password, today = _WORK
    engineers = [Engineer(n, catalog, today) for n in numbers]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Demo data: a crash may lose the last chunk, so don't wait for each commit's WAL flush.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        create_chunk(engineers, catalog, password, today)
    return len(numbers)


def demo_engineer_fill(*, catalog: Catalog, today: date) -> str:
    """Give the demo engineer a result and a plan, through the pages' own services; once.

    They answer the questionnaire like a generated engineer with their profile's years, submit it
    (scored by the engine), and make the plan the plan page proposes toward their advice's first
    next step. The first milestones are ticked off and the next falls due in a week, so their home,
    result and plan pages show what they are for, and a reminder is on its way.
    """
    user = account_selectors.user_by_email(DEMO_ENGINEER["email"])
    if user is None:
        return f"No {DEMO_ENGINEER['email']} yet (`manage.py create_demo_users` makes it); left out."
    if Result.objects.filter(user=user).exists():
        return f"{DEMO_ENGINEER['email']} has a result already; left as it is."
    profile = account_selectors.profile_for(user)
    rng = random.Random(f"{SEED}:demo-engineer")
    leaning = {dim: rng.uniform(-1, 1) for dim in scoring.DIMENSIONS}
    by_key = {item.key: item for item in catalog.items}
    response = response_start(user=user)
    for section in catalog.version.sections.order_by("order"):
        items = Item.objects.filter(section=section).values_list("pk", "key")
        answers = {pk: _answer(by_key[key], leaning, profile.years_experience, rng) for pk, key in items}
        response_save_section(response=response, section=section, answers=answers)
    result = response_submit(response=response)

    advised = result.data.get("advice") or {}
    steps = [step["slug"] for step in (*advised.get("next_steps", ()), *advised.get("further_ahead", ()))]
    target = next((catalog.roles_by_slug[slug] for slug in steps if slug in catalog.roles_by_slug), None)
    if target is None:
        return f"{DEMO_ENGINEER['email']} has a result; their advice names no role to plan toward."
    target = plan_selectors.role_for_plan(slug=target.slug)
    context = proposals.build_proposal(result=result, target=target)
    plan = plan_services.plan_create(
        user=user,
        result=result,
        target_role=target,
        goal_slug=context.goal.slug,
        goal_name=context.goal.name,
        path=[{"slug": step.slug, "name": step.name, "kind": step.kind} for step in context.path.steps],
        generator_version=context.proposal.generator_version,
        horizon_months=context.proposal.horizon_months,
        milestones=[
            plan_services.MilestoneDraft(
                kind=m.kind,
                title=m.title,
                due_date=m.due_date,
                description=m.description,
                actions=tuple(m.actions),
                subject_slug=m.subject_slug,
                from_level=m.from_level,
                to_level=m.to_level,
            )
            for m in context.proposal.milestones
        ],
    )
    milestones = list(plan.milestones.order_by("order"))
    for milestone in milestones[:DEMO_DONE_MILESTONES]:
        plan_services.milestone_set_status(milestone=milestone, status=Milestone.Status.DONE)
    if len(milestones) > DEMO_DONE_MILESTONES:
        upcoming = milestones[DEMO_DONE_MILESTONES]
        plan_services.milestone_update(
            milestone=upcoming,
            title=upcoming.title,
            due_date=today + timedelta(days=DEMO_NEXT_DUE_DAYS),
            description=upcoming.description,
        )
    return (
        f"{DEMO_ENGINEER['email']}: a result and a plan toward {plan.target_name} with "
        f"{len(milestones)} milestones, {min(DEMO_DONE_MILESTONES, len(milestones))} done."
    )


def demo_engineers():
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}", email__startswith="engineer-")


def ensure_hr_user() -> None:
    user = User.objects.filter(email=HR_EMAIL).first()
    if user is None:
        user = User.objects.create(email=HR_EMAIL, name="Demo HR", password=make_password(None))
        Profile.objects.get_or_create(user=user)
        email_addresses_confirmed_create(users=[user])
    hr_member_add(user=user)


def demo_managers():
    """The org chart's director and managers (demo/organisation.py); the demo manager is not one of them."""
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").filter(
        Q(email__startswith="manager-") | Q(email=organisation.director_email(EMAIL_DOMAIN))
    )


@transaction.atomic
def reset_demo() -> int:
    users = demo_engineers()
    # Bottom up, so each delete is a few queries rather than Django collecting 100,000s of related rows.
    SkillRating.objects.filter(rating__subject__in=users).delete()
    # Rounds of peer input they asked for or were asked in (the demo engineer's too: seeding makes them again).
    PeerRound.objects.filter(Q(subject__in=users) | Q(requests__rater__in=users)).delete()
    ManagerRating.objects.filter(subject__in=users).delete()
    PlanComment.objects.filter(plan__user__in=users).delete()
    Milestone.objects.filter(plan__user__in=users).delete()
    Plan.objects.filter(user__in=users).delete()
    Answer.objects.filter(response__user__in=users).delete()
    Result.objects.filter(user__in=users).only("pk").delete()  # not 10,000s of JSON documents
    Response.objects.filter(user__in=users).delete()
    Profile.certifications.through.objects.filter(profile__user__in=users).delete()
    Profile.objects.filter(user__in=users).delete()
    User.groups.through.objects.filter(user__in=users).delete()
    EmailAddress.objects.filter(user__in=users).delete()
    deleted = users.delete()[1].get(User._meta.label, 0)
    demo_managers().delete()  # a dozen people: their ratings and comments of others went with the engineers
    return deleted


NULL = "\\N"


def insert(model, attnames: Sequence[str], rows: list[Sequence]) -> None:
    """Insert many rows (values in `attnames` order) without needing their ids back.

    On PostgreSQL this is one COPY, several times faster than bulk_create's multi-row
    INSERT for 100,000s of rows or large JSON; elsewhere it is bulk_create. Fields not
    named get their default (timestamps: now), as they would from the ORM.
    """
    if not rows:
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    now = timezone.now()
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**dict(zip(attnames, row, strict=True))) for row in rows), batch_size=2000)
        return
    named = [fields[name] for name in attnames]
    rest = [f for f in fields.values() if f.attname not in attnames and not f.primary_key]
    constants = [_copy_converter(f, now)(None if _is_timestamp(f) else f.get_default()) for f in rest]
    converters = [_copy_converter(f, now) for f in named]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(
        [*(convert(value) for convert, value in zip(converters, row, strict=True)), *constants] for row in rows
    )
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*named, *rest])
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
            f"FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
            buffer,
        )


def insert_objects(model, objs: list) -> None:
    """`insert` for unsaved model instances (their primary key too, when set)."""
    if not objs:
        return
    attnames = [
        f.attname for f in model._meta.concrete_fields if not (f.primary_key and getattr(objs[0], f.attname) is None)
    ]
    insert(model, attnames, [tuple(getattr(obj, name) for name in attnames) for obj in objs])


def _is_timestamp(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _copy_converter(field, now: datetime):
    """value -> text COPY reads, for one field."""
    if _is_timestamp(field):
        stamp = now.isoformat()
        return lambda value: stamp if value is None else value.isoformat()
    if isinstance(field, JSONField):
        return lambda value: NULL if value is None else json.dumps(value, cls=field.encoder)
    if isinstance(field, BooleanField):
        return lambda value: NULL if value is None else ("t" if value else "f")
    if isinstance(field, DateField):  # DateTimeField too
        return lambda value: NULL if value is None else value.isoformat()
    return lambda value: NULL if value is None else value


def allocate_ids(model, count: int) -> list[int]:
    """Primary keys for rows inserted by COPY that other rows point at."""
    if connection.vendor != "postgresql":
        return [None] * count
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def create_chunk(engineers: list[Engineer], catalog: Catalog, password: str, today: date) -> None:
    users = User.objects.bulk_create(
        User(email=engineer_email(e.number), name=e.name, password=password) for e in engineers
    )
    email_addresses_confirmed_create(users=users)
    profiles = Profile.objects.bulk_create(
        Profile(
            user=user,
            discipline_id=e.discipline_id,
            current_role_id=e.current_role.pk if e.current_role else None,
            years_experience=e.years,
            time_zone=TIME_ZONES[e.number % len(TIME_ZONES)],
        )
        for user, e in zip(users, engineers, strict=True)
    )
    Through = Profile.certifications.through
    Through.objects.bulk_create(
        Through(profile_id=profile.pk, certification_id=cert_id)
        for profile, e in zip(profiles, engineers, strict=True)
        for cert_id in e.certification_ids
    )
    responses = Response.objects.bulk_create(
        Response(
            user=user,
            version=catalog.version,
            status=Response.Status.SUBMITTED,
            last_section=1,
            submitted_at=e.submitted_at,
            created_at=e.submitted_at,
        )
        for user, e in zip(users, engineers, strict=True)
    )
    insert(
        Answer,
        ("response_id", "item_id", "value"),
        [
            (response.pk, catalog.item_ids[key], value)
            for response, e in zip(responses, engineers, strict=True)
            for key, value in e.answers.items()
        ],
    )
    scored = [
        scoring.score(
            items=catalog.items,
            answers=e.answers,
            roles=catalog.role_specs,
            person=e.person,
            skills=catalog.skill_names,
        )
        for e in engineers
    ]
    advised = [
        advice.advise(
            result=outcome, roles=catalog.role_specs, moves=catalog.moves, credentials=catalog.credential_specs
        )
        for outcome in scored
    ]
    results = [
        result_build(
            response=response,
            scored=outcome,
            advised=advised_one,
            roles=catalog.role_dicts,
            skills=catalog.skill_names,
            certifications=catalog.certification_names,
            answers=e.answers,
            questionnaire=catalog.questionnaire,
        )
        for response, outcome, advised_one, e in zip(responses, scored, advised, engineers, strict=True)
    ]
    for result, result_id, e in zip(results, allocate_ids(Result, len(results)), engineers, strict=True):
        result.pk = result_id
        result.created_at = e.submitted_at
    if connection.vendor == "postgresql":
        insert_objects(Result, results)
    else:
        results = Result.objects.bulk_create(results, batch_size=250)
    # bulk_create stamps created_at with now; date each response and result when it was submitted.
    response_ids = [r.pk for r in responses]
    Response.objects.filter(pk__in=response_ids).update(created_at=F("submitted_at"))
    Result.objects.filter(response_id__in=response_ids).update(
        created_at=Subquery(Response.objects.filter(pk=OuterRef("response_id")).values("submitted_at")[:1])
    )

    drafts = [(user, e) for user, e in zip(users, engineers, strict=True) if e.in_progress]
    in_progress = Response.objects.bulk_create(
        Response(user=user, version=catalog.version, last_section=1) for user, _e in drafts
    )
    insert(
        Answer,
        ("response_id", "item_id", "value"),
        [
            (response.pk, catalog.item_ids[key], value)
            for response, (_user, e) in zip(in_progress, drafts, strict=True)
            for key, value in e.draft_answers.items()
        ],
    )

    plans, milestones = [], []
    for user, result, outcome, e in zip(users, results, scored, engineers, strict=True):
        for earlier in e.earlier_plans:
            made = plan_for(user, result, outcome, e, catalog, today, earlier=earlier)
            if made is not None:
                plans.append(made[0])
                milestones.append(made[1])
        made = plan_for(user, result, outcome, e, catalog, today) if e.has_plan else None
        if made is not None:
            plans.append(made[0])
            milestones.append(made[1])
    Plan.objects.bulk_create(plans)
    # bulk_create stamps created_at with now; date each plan by its start, as the panel lists them newest first.
    Plan.objects.filter(pk__in=[plan.pk for plan in plans]).update(
        created_at=Cast("starts_on", DateTimeField()) + timedelta(hours=12)
    )
    insert_objects(
        Milestone,
        [m for plan, plan_milestones in zip(plans, milestones, strict=True) for m in _attach(plan, plan_milestones)],
    )


def plan_for(
    user,
    result,
    outcome: scoring.AssessmentResult,
    e: Engineer,
    catalog: Catalog,
    today: date,
    earlier: EarlierPlan | None = None,
):
    """An active plan toward the best-matching role, as the plan pages would propose it, started in the past.

    With `earlier`: an archived plan toward another close match instead, its milestones as they stood
    on the day it was archived.
    """
    # Plans toward what the advice suggests, as a person would make them: next steps, then further ahead.
    advised = result.data.get("advice") or {"next_steps": [], "further_ahead": []}
    matches = [step["slug"] for step in (*advised["next_steps"], *advised["further_ahead"])]
    matches = matches or [r.slug for r in outcome.readiness if not r.is_current]
    if not matches:
        return None
    target_slug = matches[0]
    started, rng, done_chance = e.plan_started, e.rng, e.done_chance
    if earlier is not None:
        target_slug = matches[min(earlier.target_rank, len(matches) - 1)]
        started, rng, done_chance = earlier.started, earlier.rng, earlier.done_chance
        today = earlier.archived_at.date()
    # The plan pages' own proposal: the route, the gaps toward the target and the generator.
    context = proposals.build_proposal(
        result=result, target=catalog.roles_by_slug[target_slug], person=e.person, start=started, reads=catalog.reads
    )
    proposal = context.proposal
    if not proposal.milestones:
        return None
    target = context.target
    plan = Plan(
        user=user,
        result=result,
        target_role=target,
        target_slug=target.slug,
        target_name=target.name,
        goal_slug=context.goal.slug,
        goal_name=context.goal.name,
        path=[{"slug": step.slug, "name": step.name, "kind": step.kind} for step in context.path.steps],
        generator_version=proposal.generator_version,
        starts_on=started,
        horizon_months=proposal.horizon_months,
    )
    if earlier is not None:
        plan.status, plan.archived_at = Plan.Status.ARCHIVED, earlier.archived_at
    milestones = []
    for proposed in proposal.milestones:
        status, completed_at = Milestone.Status.TODO, None
        if proposed.due_date < today and rng.random() < done_chance:
            status = Milestone.Status.DONE
            done_on = proposed.due_date - timedelta(days=rng.randint(0, 20))
            completed_at = timezone.make_aware(datetime.combine(max(done_on, started), dt_time(12)), UTC)
        elif proposed.due_date < today + timedelta(days=60) and rng.random() < 0.3:
            status = Milestone.Status.IN_PROGRESS
        milestones.append(
            Milestone(
                kind=proposed.kind,
                title=proposed.title,
                description=proposed.description,
                actions=list(proposed.actions),
                order=proposed.order,
                due_date=proposed.due_date,
                status=status,
                completed_at=completed_at,
                subject_slug=proposed.subject_slug,
                from_level=proposed.from_level,
                to_level=proposed.to_level,
            )
        )
    return plan, milestones


def _attach(plan: Plan, milestones: list[Milestone]) -> list[Milestone]:
    for milestone in milestones:
        milestone.plan = plan
    return milestones
