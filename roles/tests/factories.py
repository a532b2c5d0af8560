"""Factories for the catalog, and `build_catalog()`: a small, realistic catalog for page tests.

`build_catalog(copies=10)` builds the same shape ten times over (with different
slugs), which the query-count tests use to show a page costs the same number of
queries however big the catalog is.
"""

from dataclasses import dataclass, field

import factory
from factory.django import DjangoModelFactory

from roles.models import (
    Certification,
    Discipline,
    InterviewQuestion,
    Progression,
    Role,
    RoleRequirement,
    SalaryFigure,
    Skill,
    SkillArea,
    Source,
    Track,
)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Engineering careers guide {n}")
    publisher = "Example Publishing"
    url = factory.LazyAttribute(lambda o: f"https://example.com/{o.slug}")
    published = "2024"


class DisciplineFactory(DjangoModelFactory):
    class Meta:
        model = Discipline
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"discipline-{n}")
    name = factory.Sequence(lambda n: f"Discipline {n}")
    order = factory.Sequence(lambda n: n)


class TrackFactory(DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")
    orientation = factory.Iterator([o for o, _ in Track.Orientation.choices])
    description = "A way to grow as an engineer."
    suits = "People who like this kind of work."
    order = factory.Sequence(lambda n: n)


class SkillAreaFactory(DjangoModelFactory):
    class Meta:
        model = SkillArea
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Skill area {n}")
    order = factory.Sequence(lambda n: n)


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    area = factory.SubFactory(SkillAreaFactory)
    description = "What this skill covers."
    level_1 = "Learning the basics with guidance."
    level_2 = "Does routine work alone."
    level_3 = "Handles most situations without help."
    level_4 = "Guides others and handles the hard cases."
    level_5 = "Sets the standard across the organisation."
    order = factory.Sequence(lambda n: n)


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"role-{n}")
    name = factory.Sequence(lambda n: f"Role {n}")
    track = factory.SubFactory(TrackFactory)
    rank = 1
    summary = "Does the work this role exists for."
    responsibilities = "Deliver the work\nHelp colleagues"
    suits = "People who enjoy this work."
    typical_years_min = 2
    typical_years_max = 5
    typical_education = "A bachelor's degree in engineering."

    @factory.post_generation
    def disciplines(self, create, extracted, **kwargs):
        if create and extracted:
            self.disciplines.set(extracted)


class RoleRequirementFactory(DjangoModelFactory):
    class Meta:
        model = RoleRequirement

    role = factory.SubFactory(RoleFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3
    weight = 1


class SalaryFigureFactory(DjangoModelFactory):
    class Meta:
        model = SalaryFigure

    role = factory.SubFactory(RoleFactory)
    region = "United States"
    currency = "USD"
    average = 120_000
    year = 2024
    source = factory.SubFactory(SourceFactory)


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"cert-{n}")
    name = factory.Sequence(lambda n: f"Certification {n}")
    abbreviation = factory.Sequence(lambda n: f"C{n}")
    kind = Certification.Kind.CERTIFICATION
    issuer = "An Institute"
    proves = "That you know the body of knowledge."
    prep_months = 6

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(extracted)


class ProgressionFactory(DjangoModelFactory):
    class Meta:
        model = Progression

    from_role = factory.SubFactory(RoleFactory)
    to_role = factory.SubFactory(RoleFactory, track=factory.SelfAttribute("..from_role.track"))
    kind = Progression.Kind.PROMOTION
    typical_years_min = 2
    typical_years_max = 4


class InterviewQuestionFactory(DjangoModelFactory):
    class Meta:
        model = InterviewQuestion

    role = factory.SubFactory(RoleFactory)
    area = factory.SubFactory(SkillAreaFactory)
    text = factory.Sequence(lambda n: f"Tell us about a time you handled situation {n}.")
    order = factory.Sequence(lambda n: n)


# --- A realistic small catalog ------------------------------------------------


@dataclass
class Catalog:
    """What `build_catalog` made, by short key (`roles["senior"]`), for the first copy."""

    disciplines: dict[str, Discipline] = field(default_factory=dict)
    tracks: dict[str, Track] = field(default_factory=dict)
    areas: dict[str, SkillArea] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    certifications: dict[str, Certification] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)


# key, name, track, rank, years min, years max, disciplines (empty = every discipline)
ROLE_ROWS = [
    ("engineer", "Engineer", "technical", 1, 0, 3, []),
    ("senior", "Senior Engineer", "technical", 2, 3, 6, []),
    ("staff", "Staff Engineer", "technical", 3, 6, 10, ["software"]),
    ("principal", "Principal Engineer", "technical", 4, 10, None, ["software"]),
    ("manager", "Engineering Manager", "management", 2, 5, 8, []),
    ("mech-manager", "Mechanical Engineering Manager", "management", 3, 8, 12, ["mechanical"]),
    ("director", "Director of Engineering", "management", 4, 10, None, []),
    ("project-engineer", "Project Engineer", "project", 1, 1, 4, ["mechanical"]),
    ("project-manager", "Project Manager", "project", 2, 4, 8, []),
]
# from, to, kind, years min, years max
PROGRESSION_ROWS = [
    ("engineer", "senior", "promotion", 2, 4),
    ("senior", "staff", "promotion", 3, 5),
    ("staff", "principal", "promotion", 3, 6),
    ("senior", "manager", "lateral", 1, 3),
    ("manager", "mech-manager", "promotion", 2, 4),
    ("mech-manager", "director", "promotion", 3, 5),
    ("project-engineer", "project-manager", "promotion", 2, 4),
    ("senior", "project-manager", "lateral", 1, 2),
]
# role, skill, level
REQUIREMENT_ROWS = [
    ("engineer", "design", 2),
    ("engineer", "communication", 2),
    ("senior", "design", 4),
    ("senior", "communication", 3),
    ("senior", "planning", 2),
    ("staff", "design", 5),
    ("staff", "communication", 4),
    ("manager", "design", 3),
    ("manager", "communication", 4),
    ("manager", "people", 4),
    ("manager", "planning", 3),
    ("mech-manager", "people", 4),
    ("director", "people", 5),
    ("project-manager", "planning", 5),
    ("project-manager", "communication", 4),
]


def build_catalog(copies: int = 1) -> Catalog:
    """Three tracks, two disciplines, nine roles with skills, moves, pay, credentials and questions.

    With `copies` > 1 every role, skill and credential is made again under a new
    slug, with its own moves, pay and questions, so the catalog is that many times
    bigger; tracks, disciplines, areas and sources are shared.
    """
    catalog = Catalog()
    catalog.sources["payscale"] = SourceFactory(
        slug="payscale-guide", title="How to advance in engineering", publisher="MEM guide", url=""
    )
    catalog.sources["glassdoor"] = SourceFactory(
        slug="em-guide",
        title="Engineering manager career guide",
        publisher="Career guide",
        url="https://example.com/em",
    )
    for key, name, order in [("software", "Software", 1), ("mechanical", "Mechanical", 2)]:
        catalog.disciplines[key] = DisciplineFactory(slug=key, name=name, order=order)
    for key, name, orientation, order, description in [
        ("technical", "Technical track", "technical", 1, "Grow by going deeper into engineering work."),
        ("management", "Management track", "managerial", 2, "Grow by leading people and teams."),
        ("project", "Project track", "project", 3, "Grow by leading projects from idea to delivery."),
    ]:
        catalog.tracks[key] = TrackFactory(
            slug=key, name=name, orientation=orientation, order=order, description=description
        )
    for key, name, order in [
        ("technical", "Technical", 1),
        ("project-management", "Project management", 2),
        ("communication", "Communication", 3),
        ("leadership", "Leadership", 4),
    ]:
        catalog.areas[key] = SkillAreaFactory(slug=key, name=name, order=order)

    for copy in range(copies):
        suffix = "" if copy == 0 else f"-{copy}"
        label = "" if copy == 0 else f" {copy}"
        skills = {
            key: SkillFactory(slug=f"{key}{suffix}", name=f"{name}{label}", area=catalog.areas[area], order=order)
            for key, name, area, order in [
                ("design", "Engineering design", "technical", 1),
                ("planning", "Planning and scheduling", "project-management", 1),
                ("communication", "Explaining to non-engineers", "communication", 1),
                ("people", "Coaching people", "leadership", 1),
            ]
        }
        roles = {}
        for key, name, track, rank, years_min, years_max, disciplines in ROLE_ROWS:
            roles[key] = RoleFactory(
                slug=f"{key}{suffix}",
                name=f"{name}{label}",
                track=catalog.tracks[track],
                rank=rank,
                summary=f"The {name.lower()} role in short.",
                responsibilities=f"Own the {name.lower()} work\nWork with other teams",
                suits=f"People who want the {name.lower()} kind of work.",
                typical_years_min=years_min,
                typical_years_max=years_max,
                typical_education="A bachelor's degree in engineering; some employers prefer a master's.",
                disciplines=[catalog.disciplines[d] for d in disciplines],
            )
        for from_key, to_key, kind, years_min, years_max in PROGRESSION_ROWS:
            ProgressionFactory(
                from_role=roles[from_key],
                to_role=roles[to_key],
                kind=kind,
                typical_years_min=years_min,
                typical_years_max=years_max,
            )
        for role_key, skill_key, level in REQUIREMENT_ROWS:
            RoleRequirementFactory(role=roles[role_key], skill=skills[skill_key], level=level)
        for role_key in ("manager", "mech-manager", "director"):
            SalaryFigureFactory(
                role=roles[role_key], average=150_000, low=120_000, high=190_000, year=2024,
                source=catalog.sources["glassdoor"],
            )  # fmt: skip
        SalaryFigureFactory(role=roles["manager"], average=144_000, year=None, source=catalog.sources["payscale"])
        SalaryFigureFactory(role=roles["senior"], average=118_500, year=2025, source=catalog.sources["payscale"])
        pmp = CertificationFactory(
            slug=f"pmp{suffix}",
            name=f"Project Management Professional{label}",
            abbreviation="PMP",
            issuer="Project Management Institute",
            roles=[roles["project-manager"], roles["manager"]],
        )
        pe = CertificationFactory(
            slug=f"pe{suffix}",
            name=f"Professional Engineer licence{label}",
            abbreviation="PE",
            kind="licence",
            roles=[roles["senior"], roles["mech-manager"]],
        )
        for role_key, area_key, text in [
            ("manager", "leadership", "How do you handle a conflict between two engineers on your team?"),
            ("manager", "project-management", "How do you keep a slipping project on schedule?"),
            ("manager", "leadership", "Describe how you give difficult feedback."),
            ("senior", "technical", "Walk us through a design decision you would make differently today."),
        ]:
            InterviewQuestionFactory(role=roles[role_key], area=catalog.areas[area_key], text=text)
        if copy == 0:
            catalog.skills, catalog.roles = skills, roles
            catalog.certifications = {"pmp": pmp, "pe": pe}
    return catalog
