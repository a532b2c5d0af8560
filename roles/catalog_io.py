"""The catalog file: its format, reading, checking, exporting and writing.

A catalog file (YAML, see docs/catalog.md) holds everything in roles/models.py
keyed by slugs, never by database ids, so it can move between installations.
The format is described once, in `SECTIONS`; the validator, the normaliser, the
exporter and the loader (`roles.services.catalog_load`) all read that table, so
they cannot disagree about which fields exist.

- `read_catalog(path)` parses a file (YAML safe_load).
- `normalise_catalog(data)` validates, raising `CatalogError` naming each bad
  entry, and returns the canonical form: every field present, in schema order,
  defaults filled in, text trimmed.
- `catalog_export()` reads the database into that same canonical form.
- `write_catalog(data, stream)` writes it back out as block-style YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Prefetch

from careerpath.datafiles import Checker, DataFileError, clean_text, read_yaml_mapping, type_name, write_yaml

from .models import (
    LEVEL_MAX,
    LEVEL_MIN,
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

FORMAT_VERSION = 1
UNRELEASED = "unreleased"
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
POSITION = object()  # default for `order`: the entry's 1-based position in its list


class CatalogError(DataFileError):
    """The catalog file is not valid. `errors` lists each problem, one per entry."""


# --- The format -----------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One key of a catalog entry.

    kind: slug | str | text | int | lines | ref | refs | nested
      str/text  a string (str is a one-line CharField, text a TextField)
      lines     a list of strings, stored one per line in a TextField
      ref       the slug of an entry in section `target` (a ForeignKey)
      refs      a list of such slugs (a ManyToManyField)
      nested    a list of entries of the nested section `target`
    """

    name: str
    kind: str
    required: bool = False
    default: Any = ""
    nullable: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    target: str = ""
    attr: str = ""  # model attribute, when it differs from `name`

    @property
    def model_attr(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class Section:
    name: str
    model: type[models.Model]
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ("slug",)  # the natural key inside its list

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def key_of(self, entry: dict) -> tuple:
        return tuple(entry.get(name) for name in self.key)

    def label(self, entry: Any, index: int) -> str:
        """How messages name an entry: by its natural key when it has one, else by position."""
        if isinstance(entry, dict):
            parts = [entry.get(name) for name in self.key]
            if all(isinstance(p, str) and p for p in parts):
                if self.name == "progressions":
                    return f"{parts[0]}->{parts[1]}"
                if len(parts) == 1:
                    return parts[0]
        return f"#{index + 1}"


def _slug() -> Field:
    return Field("slug", "slug", required=True)


def _order() -> Field:
    return Field("order", "int", default=POSITION, minimum=0, maximum=32767)


def _int(name: str, *, default: Any = 0, **kwargs) -> Field:
    return Field(name, "int", default=default, **kwargs)


REQUIREMENTS = Section(
    "requirements",
    RoleRequirement,
    (
        Field("skill", "ref", required=True, target="skills"),
        _int("level", required=True, default=None, minimum=LEVEL_MIN, maximum=LEVEL_MAX),
        _int("weight", default=1, minimum=1, maximum=3),
    ),
    key=("skill",),
)

SALARIES = Section(
    "salaries",
    SalaryFigure,
    (
        Field("region", "str", required=True),
        Field("currency", "str", required=True),
        _int("average", default=None, nullable=True, minimum=0),
        _int("median", default=None, nullable=True, minimum=0),
        _int("low", default=None, nullable=True, minimum=0),
        _int("high", default=None, nullable=True, minimum=0),
        _int("year", default=None, nullable=True, minimum=1900, maximum=2100),
        Field("note", "str"),
        Field("source", "ref", required=True, target="sources"),
    ),
    key=("region", "currency", "year", "source"),
)

INTERVIEW_QUESTIONS = Section(
    "interview_questions",
    InterviewQuestion,
    (
        Field("area", "ref", required=True, target="skill_areas"),
        Field("text", "text", required=True),
        _order(),
        Field("source", "ref", default=None, nullable=True, target="sources"),
    ),
    key=("area", "text"),
)

NESTED = {s.name: s for s in (REQUIREMENTS, SALARIES, INTERVIEW_QUESTIONS)}

SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        Section(
            "sources",
            Source,
            (
                _slug(),
                Field("title", "str", required=True),
                Field("publisher", "str"),
                Field("url", "str"),
                Field("published", "str"),
            ),
        ),
        Section("disciplines", Discipline, (_slug(), Field("name", "str", required=True), _order())),
        Section(
            "tracks",
            Track,
            (
                _slug(),
                Field("name", "str", required=True),
                Field("orientation", "str", required=True, choices=tuple(Track.Orientation.values)),
                Field("description", "text"),
                Field("suits", "text"),
                _order(),
            ),
        ),
        Section(
            "skill_areas",
            SkillArea,
            (_slug(), Field("name", "str", required=True), Field("description", "text"), _order()),
        ),
        Section(
            "skills",
            Skill,
            (
                _slug(),
                Field("name", "str", required=True),
                Field("area", "ref", required=True, target="skill_areas"),
                Field("description", "text"),
                *(Field(f"level_{n}", "text", required=True) for n in range(LEVEL_MIN, LEVEL_MAX + 1)),
                Field("actions", "lines", default=()),
                _order(),
            ),
        ),
        Section(
            "roles",
            Role,
            (
                _slug(),
                Field("name", "str", required=True),
                Field("track", "ref", required=True, target="tracks"),
                _int("rank", required=True, default=None, minimum=1, maximum=32767),
                _int("level", default=1, minimum=1, maximum=32767),
                Field("disciplines", "refs", default=(), target="disciplines"),
                Field("summary", "text", required=True),
                Field("responsibilities", "lines", default=()),
                Field("experiences", "lines", default=()),
                Field("suits", "text"),
                _int("typical_years_min", default=0, minimum=0, maximum=80),
                _int("typical_years_max", default=None, nullable=True, minimum=0, maximum=80),
                Field("typical_education", "text"),
                Field("source", "ref", default=None, nullable=True, target="sources"),
                Field("requirements", "nested", default=(), target="requirements"),
                Field("salaries", "nested", default=(), target="salaries"),
                Field("interview_questions", "nested", default=(), target="interview_questions"),
            ),
        ),
        Section(
            "certifications",
            Certification,
            (
                _slug(),
                Field("name", "str", required=True),
                Field("abbreviation", "str"),
                Field(
                    "kind",
                    "str",
                    default=Certification.Kind.CERTIFICATION.value,
                    choices=tuple(Certification.Kind.values),
                ),
                Field("issuer", "str"),
                Field("proves", "text", required=True),
                _int("prep_months", required=True, default=None, minimum=0, maximum=120),
                Field("prerequisites_text", "text"),
                Field("prerequisites", "refs", default=(), target="certifications"),
                _int("min_years_experience", default=0, minimum=0, maximum=80),
                Field("renewal", "text"),
                _int("renewal_months", default=None, nullable=True, minimum=1, maximum=240),
                Field("skills", "refs", default=(), target="skills"),
                Field("roles", "refs", default=(), target="roles"),
                Field("region", "str"),
                Field("disciplines", "refs", default=(), target="disciplines"),
                Field("source", "ref", default=None, nullable=True, target="sources"),
            ),
        ),
        Section(
            "progressions",
            Progression,
            (
                Field("from", "ref", required=True, target="roles", attr="from_role"),
                Field("to", "ref", required=True, target="roles", attr="to_role"),
                Field("kind", "str", default=Progression.Kind.PROMOTION.value, choices=tuple(Progression.Kind.values)),
                _int("typical_years_min", default=1, minimum=0, maximum=80),
                _int("typical_years_max", default=3, minimum=0, maximum=80),
                Field("note", "text"),
                Field("source", "ref", default=None, nullable=True, target="sources"),
            ),
            key=("from", "to"),
        ),
    )
}

TOP_LEVEL_KEYS = ("format", "catalog_version", *SECTIONS)


def _max_length(section: Section, f: Field) -> int | None:
    if f.kind not in ("str", "slug"):
        return None
    return getattr(section.model._meta.get_field(f.model_attr), "max_length", None)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- Reading and checking ------------------------------------------------------------


def read_catalog(path: str | Path) -> dict:
    """Parse a catalog file. Raises CatalogError when it is missing or is not YAML."""
    return read_yaml_mapping(path, error=CatalogError, expected="`format`, `catalog_version` and the sections")


def normalise_catalog(data: Any) -> dict:
    """Validate `data` (CatalogError lists every problem, each message naming its entry) and return its
    canonical form (see module docstring)."""
    checker = _Checker()
    result = checker.check(data)
    if checker.errors:
        raise CatalogError(checker.errors)
    return result


class _Checker(Checker):
    def check(self, data: Any) -> dict:
        if not self.expect_mapping("catalog", data):
            return {}
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.error(
                    str(key), f"unknown section (expected one of: {', '.join(TOP_LEVEL_KEYS)})", at=data, key=key
                )
        fmt = data.get("format")
        if fmt != FORMAT_VERSION:
            self.error("format", f"expected {FORMAT_VERSION}, got {fmt!r}", at=data, key="format")
        version = data.get("catalog_version")
        if not isinstance(version, str) or not version.strip():
            self.error(
                "catalog_version", 'required, as text such as "2026.11.1" (in quotes)', at=data, key="catalog_version"
            )
            version = ""
        result: dict[str, Any] = {"format": FORMAT_VERSION, "catalog_version": str(version).strip()}
        for name, section in SECTIONS.items():
            result[name] = self.check_list(name, section, data.get(name, []), at=data, key=name)
        self.check_references(result)
        self.check_rules(result)
        return result

    def check_list(self, where: str, section: Section, entries: Any, *, at: Any, key: str) -> list[dict]:
        if entries is None:
            return []
        if not self.expect_list(where, entries, at=at, key=key):
            return []
        out, seen = [], {}
        for index, entry in enumerate(entries):
            label = f"{where}[{section.label(entry, index)}]"
            if not self.expect_mapping(label, entry, at=entries, key=index):
                continue
            clean = self.adopt(self.check_entry(label, section, entry, index), entry)
            natural_key = section.key_of(clean)
            # An entry missing part of its key has already been reported; a null year is a real key part.
            parts = zip(section.key, natural_key, strict=True)
            if all(part is not None or not section.field(k).required for k, part in parts):
                if natural_key in seen:
                    shown = ", ".join(f"{k}={v}" for k, v in zip(section.key, natural_key, strict=True))
                    self.error(label, f"duplicate ({shown} is also entry #{seen[natural_key] + 1})", at=entry)
                else:
                    seen[natural_key] = index
            out.append(clean)
        return out

    def check_entry(self, where: str, section: Section, entry: dict, index: int) -> dict:
        self.unknown_keys(where, entry, (f.name for f in section.fields))
        return {f.name: self.check_value(where, section, f, entry, index) for f in section.fields}

    def check_value(self, where: str, section: Section, f: Field, entry: dict, index: int) -> Any:
        here = f"{where}.{f.name}"
        if f.name not in entry or (entry[f.name] is None and not f.nullable and not f.required):
            if f.required:
                self.missing(where, f.name, at=entry)
                return None
            if f.default is POSITION:
                return index + 1
            return list(f.default) if isinstance(f.default, tuple) else f.default
        value = entry[f.name]
        if value is None:
            if f.nullable:
                return None
            self.error(here, "required, but empty", at=entry, key=f.name)
            return None
        if f.kind in ("slug", "str", "text", "ref"):
            return self.text(
                here,
                value,
                at=entry,
                key=f.name,
                required=f.required,
                slug=f.kind in ("slug", "ref"),
                single_line=f.kind == "str",
                max_length=_max_length(section, f),
                choices=f.choices,
            )
        if f.kind == "int":
            value = self.whole_number(here, value, at=entry, key=f.name)
            if value is None:
                return None
            if f.minimum is not None and f.maximum is not None and not f.minimum <= value <= f.maximum:
                self.error(where, f"{f.name} {value} is outside {f.minimum}-{f.maximum}", at=entry, key=f.name)
            elif f.minimum is not None and value < f.minimum:
                self.error(where, f"{f.name} {value} is below {f.minimum}", at=entry, key=f.name)
            return value
        if f.kind in ("lines", "refs"):
            if not self.expect_list(here, value, at=entry, key=f.name):
                return []
            items = []
            for i, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    self.error(
                        f"{here}[{i + 1}]", f"expected non-empty text, got {type_name(item)} {item!r}", at=value, key=i
                    )
                    continue
                item = self.text(f"{here}[{i + 1}]", item, at=value, key=i, single_line=True)
                items.append(item)
            if f.kind == "refs":
                for slug in sorted({s for s in items if items.count(s) > 1}):
                    self.error(here, f"{slug!r} is listed more than once", at=entry, key=f.name)
                return sorted(set(items))
            return items
        if f.kind == "nested":
            return self.check_list(here, NESTED[f.target], value, at=entry, key=f.name)
        raise AssertionError(f"unknown field kind {f.kind}")  # pragma: no cover

    def check_references(self, catalog: dict) -> None:
        known = {
            name: {e["slug"] for e in catalog[name] if e.get("slug")} for name in SECTIONS if name != "progressions"
        }

        def check(where: str, section: Section, entry: dict) -> None:
            for f in section.fields:
                value = entry.get(f.name)
                if f.kind == "ref" and value and value not in known[f.target]:
                    self.error(f"{where}.{f.name}", f"unknown {_singular(f.target)} {value!r}", at=entry, key=f.name)
                elif f.kind == "refs":
                    for slug in value or []:
                        if slug not in known[f.target]:
                            self.error(
                                f"{where}.{f.name}", f"unknown {_singular(f.target)} {slug!r}", at=entry, key=f.name
                            )
                elif f.kind == "nested":
                    nested = NESTED[f.target]
                    for i, sub in enumerate(value or []):
                        check(f"{where}.{f.name}[{nested.label(sub, i)}]", nested, sub)

        for name, section in SECTIONS.items():
            for index, entry in enumerate(catalog[name]):
                check(f"{name}[{section.label(entry, index)}]", section, entry)

    def check_rules(self, catalog: dict) -> None:
        """Rules that span fields, mirroring the models' database constraints."""
        for index, role in enumerate(catalog["roles"]):
            where = f"roles[{SECTIONS['roles'].label(role, index)}]"
            lo, hi = role.get("typical_years_min"), role.get("typical_years_max")
            if isinstance(lo, int) and isinstance(hi, int) and hi < lo:
                self.error(
                    where,
                    f"typical_years_max ({hi}) is below typical_years_min ({lo})",
                    at=role,
                    key="typical_years_max",
                )
            for i, salary in enumerate(role.get("salaries") or []):
                here = f"{where}.salaries[#{i + 1}]"
                figures = [salary.get(k) for k in ("average", "median", "low", "high")]
                if all(v is None for v in figures):
                    self.error(here, "give at least one of average, median, low or high", at=salary)
                low, high = salary.get("low"), salary.get("high")
                if isinstance(low, int) and isinstance(high, int) and high < low:
                    self.error(here, f"high ({high}) is below low ({low})", at=salary, key="high")
                currency = salary.get("currency")
                if currency and not CURRENCY_RE.match(currency):
                    self.error(
                        f"{here}.currency",
                        f"{currency!r} is not an ISO 4217 code such as USD",
                        at=salary,
                        key="currency",
                    )
        for index, move in enumerate(catalog["progressions"]):
            where = f"progressions[{SECTIONS['progressions'].label(move, index)}]"
            if move.get("from") and move.get("from") == move.get("to"):
                self.error(where, "a role cannot progress to itself", at=move, key="to")
            lo, hi = move.get("typical_years_min"), move.get("typical_years_max")
            if isinstance(lo, int) and isinstance(hi, int) and hi < lo:
                self.error(
                    where,
                    f"typical_years_max ({hi}) is below typical_years_min ({lo})",
                    at=move,
                    key="typical_years_max",
                )
        url_validator = URLValidator()
        for index, source in enumerate(catalog["sources"]):
            if source.get("url"):
                try:
                    url_validator(source["url"])
                except ValidationError:
                    label = SECTIONS["sources"].label(source, index)
                    self.error(f"sources[{label}].url", f"{source['url']!r} is not a valid URL", at=source, key="url")
        orientations: dict[str, str] = {}
        for track in catalog["tracks"]:
            orientation = track.get("orientation")
            if orientation in orientations:
                self.error(
                    f"tracks[{track.get('slug')}].orientation",
                    f"{orientation!r} is already the orientation of track {orientations[orientation]!r}",
                    at=track,
                    key="orientation",
                )
            elif orientation:
                orientations[orientation] = track.get("slug")
        self.check_prerequisite_cycles(catalog["certifications"])

    def check_prerequisite_cycles(self, certifications: list[dict]) -> None:
        needs = {c["slug"]: c.get("prerequisites") or [] for c in certifications if c.get("slug")}
        entries = {c["slug"]: c for c in certifications if c.get("slug")}
        reported: set[str] = set()

        def walk(slug: str, path: list[str]) -> None:
            for prerequisite in needs.get(slug, []):
                if prerequisite in path:
                    cycle = [*path[path.index(prerequisite) :], prerequisite]
                    if prerequisite not in reported:
                        reported.update(cycle)
                        self.error(
                            f"certifications[{prerequisite}].prerequisites",
                            "cycle: " + " -> ".join(cycle),
                            at=entries[prerequisite],
                            key="prerequisites",
                        )
                elif prerequisite in needs:
                    walk(prerequisite, [*path, prerequisite])

        for slug in needs:
            walk(slug, [slug])


def _singular(section_name: str) -> str:
    return {
        "sources": "source",
        "disciplines": "discipline",
        "tracks": "track",
        "skill_areas": "skill area",
        "skills": "skill",
        "roles": "role",
        "certifications": "certification",
    }[section_name]


# --- From rows to entries (shared by the exporter and the loader) ----------------------


def row_to_entry(section: Section, obj: models.Model) -> dict:
    """The canonical entry for one row. Related rows must already be loaded.

    Nested sections (a role's requirements, salaries, questions) are left out;
    the caller adds them.
    """
    entry: dict[str, Any] = {}
    for f in section.fields:
        if f.kind == "nested":
            continue
        value = getattr(obj, f.model_attr)
        if f.kind in ("str", "text", "slug"):
            entry[f.name] = clean_text(value or "")
        elif f.kind == "lines":
            entry[f.name] = _lines(value or "")
        elif f.kind == "ref":
            entry[f.name] = value.slug if value is not None else None
        elif f.kind == "refs":
            entry[f.name] = sorted(related.slug for related in value.all())
        else:
            entry[f.name] = value
    return entry


def _year_key(year: int | None) -> tuple[int, int]:
    return (1, 0) if year is None else (0, -year)


def _none_last(value: int | None) -> tuple[int, int]:
    return (1, 0) if value is None else (0, value)


def role_entry(role: Role) -> dict:
    """A role's entry with its requirements, pay and questions (loaded with the role: no queries)."""
    entry = row_to_entry(SECTIONS["roles"], role)
    requirements = sorted(
        role.requirements.all(),
        key=lambda r: (r.skill.area.order, r.skill.area.slug, r.skill.order, r.skill.slug),
    )
    salaries = sorted(
        role.salaries.all(),
        key=lambda f: (
            f.region,
            f.currency,
            _year_key(f.year),
            f.source.slug,
            _none_last(f.average),
            _none_last(f.median),
            _none_last(f.low),
            _none_last(f.high),
            f.note,
        ),
    )
    questions = sorted(role.interview_questions.all(), key=lambda q: (q.area.order, q.area.slug, q.order, q.text))
    entry["requirements"] = [row_to_entry(REQUIREMENTS, r) for r in requirements]
    entry["salaries"] = [row_to_entry(SALARIES, f) for f in salaries]
    entry["interview_questions"] = [row_to_entry(INTERVIEW_QUESTIONS, q) for q in questions]
    return entry


def catalog_entry(section: str, obj: models.Model) -> dict:
    """The entry of one row of `section`, as a catalog file holds it (related rows already loaded)."""
    return role_entry(obj) if section == "roles" else row_to_entry(SECTIONS[section], obj)


def catalog_export(*, catalog_version: str = UNRELEASED) -> dict:
    """Read the whole catalog from the database into the file structure.

    Ordering is done here, in Python, on natural keys, so the output is the same
    on SQLite and PostgreSQL. The number of queries does not depend on the size
    of the catalog.
    """
    s = SECTIONS
    sources = sorted(Source.objects.all(), key=lambda o: o.slug)
    disciplines = sorted(Discipline.objects.all(), key=lambda o: (o.order, o.slug))
    tracks = sorted(Track.objects.all(), key=lambda o: (o.order, o.slug))
    areas = sorted(SkillArea.objects.all(), key=lambda o: (o.order, o.slug))
    skills = sorted(Skill.objects.select_related("area"), key=lambda o: (o.area.order, o.area.slug, o.order, o.slug))
    roles = sorted(
        Role.objects.select_related("track", "source").prefetch_related(
            "disciplines",
            Prefetch("requirements", queryset=RoleRequirement.objects.select_related("skill__area")),
            Prefetch("salaries", queryset=SalaryFigure.objects.select_related("source")),
            Prefetch("interview_questions", queryset=InterviewQuestion.objects.select_related("area", "source")),
        ),
        key=lambda o: (o.track.order, o.track.slug, o.rank, o.slug),
    )
    certifications = sorted(
        Certification.objects.select_related("source").prefetch_related(
            "prerequisites", "skills", "roles", "disciplines"
        ),
        key=lambda o: o.slug,
    )
    progressions = sorted(
        Progression.objects.select_related("from_role", "to_role", "source"),
        key=lambda o: (o.from_role.slug, o.to_role.slug),
    )

    return {
        "format": FORMAT_VERSION,
        "catalog_version": catalog_version,
        "sources": [row_to_entry(s["sources"], o) for o in sources],
        "disciplines": [row_to_entry(s["disciplines"], o) for o in disciplines],
        "tracks": [row_to_entry(s["tracks"], o) for o in tracks],
        "skill_areas": [row_to_entry(s["skill_areas"], o) for o in areas],
        "skills": [row_to_entry(s["skills"], o) for o in skills],
        "roles": [role_entry(o) for o in roles],
        "certifications": [row_to_entry(s["certifications"], o) for o in certifications],
        "progressions": [row_to_entry(s["progressions"], o) for o in progressions],
    }


# --- Writing ------------------------------------------------------------------------------


HEADER = "# careerpath roles catalog. Format: docs/catalog.md. Load with `manage.py load_catalog <file>`.\n"


def write_catalog(data: dict, stream: IO[str]) -> None:
    """Write a catalog as YAML: block style, unicode as is, keys in the order given."""
    write_yaml(data, stream, header=HEADER)
