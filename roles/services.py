"""Writes to the roles catalog.

`catalog_load` is the one way a catalog file gets into the database; the
`load_catalog` command and anything else that loads a catalog call it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db import DataError, IntegrityError, models, transaction

from .cache import catalog_changed
from .catalog_io import (
    INTERVIEW_QUESTIONS,
    REQUIREMENTS,
    SALARIES,
    SECTIONS,
    CatalogError,
    Section,
    catalog_export,
    normalise_catalog,
    row_to_entry,
)
from .models import InterviewQuestion, Progression, RoleRequirement, SalaryFigure, Track

LOAD_ORDER = (
    "sources",
    "disciplines",
    "tracks",
    "skill_areas",
    "skills",
    "roles",
    "requirements",
    "salaries",
    "interview_questions",
    "certifications",
    "progressions",
)


@dataclass
class SectionCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        """Rows the file describes (removed rows are not in the file)."""
        return self.created + self.updated + self.unchanged


@dataclass
class CatalogLoadReport:
    catalog_version: str
    dry_run: bool
    sections: dict[str, SectionCounts] = field(default_factory=lambda: {name: SectionCounts() for name in LOAD_ORDER})

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.removed for c in self.sections.values())


def catalog_load(*, data: dict, dry_run: bool = False) -> CatalogLoadReport:
    """Validate a catalog and upsert it by natural key, in one transaction.

    Rows the file does not mention are left alone (HR may have added them),
    except the set-valued data of entries the file does describe: a role's
    requirements and disciplines, a certification's prerequisites, skills and
    roles are made to match the file. Rows whose content already matches the
    file are not saved, so loading the same file twice changes nothing.
    With `dry_run` everything runs and is counted, then rolled back.
    """
    catalog = normalise_catalog(data)
    report = CatalogLoadReport(catalog_version=catalog["catalog_version"], dry_run=dry_run)
    try:
        with transaction.atomic():
            _Loader(catalog, report).run()
            if dry_run:
                transaction.set_rollback(True)
    except (IntegrityError, DataError) as exc:
        raise CatalogError(f"the database refused the catalog: {exc}") from exc
    if report.changed and not dry_run:
        catalog_changed()
    return report


class _Loader:
    def __init__(self, catalog: dict, report: CatalogLoadReport):
        self.catalog = catalog
        self.report = report
        # section name -> slug -> row, for every row in the database after loading that section
        self.rows: dict[str, dict[str, models.Model]] = {}

    def run(self) -> None:
        for name in ("sources", "disciplines", "tracks", "skill_areas", "skills", "roles"):
            self.load_slugged(name)
        self.load_role_parts()
        self.load_slugged("certifications")
        self.load_progressions()

    # --- sections keyed by slug ---

    def load_slugged(self, name: str) -> None:
        section = SECTIONS[name]
        foreign_keys = [f.model_attr for f in section.fields if f.kind == "ref"]
        many_to_many = [f.model_attr for f in section.fields if f.kind == "refs"]
        queryset = section.model.objects.prefetch_related(*many_to_many)
        if foreign_keys:
            queryset = queryset.select_related(*foreign_keys)
        existing = {obj.slug: obj for obj in queryset}
        if name == "tracks":
            self.check_track_orientations(existing)
        wanted = {entry["slug"]: entry for entry in self.catalog[name]}
        created, changed = self.upsert(section, wanted, existing, lambda key: section.model())
        self.rows[name] = {obj.slug: obj for obj in existing.values()} | {o.slug: o for o, _ in created + changed}
        self.set_many_to_many(section, created, changed)

    def check_track_orientations(self, existing: dict[str, Track]) -> None:
        in_file = {entry["slug"] for entry in self.catalog["tracks"]}
        for entry in self.catalog["tracks"]:
            for other in existing.values():
                if other.slug not in in_file and other.orientation == entry["orientation"]:
                    raise CatalogError(
                        f"tracks[{entry['slug']}].orientation: {entry['orientation']!r} already belongs to track "
                        f"{other.slug!r} in the database, which the file does not mention; "
                        "rename that track's slug to match, or change its orientation first"
                    )

    # --- a role's requirements, salary figures and interview questions ---

    def load_role_parts(self) -> None:
        roles = {entry["slug"]: self.rows["roles"][entry["slug"]] for entry in self.catalog["roles"]}
        role_ids = {role.pk for role in roles.values()}

        def wanted(part: Section) -> dict[tuple, dict]:
            return {
                (roles[entry["slug"]].pk, *part.key_of(sub)): sub
                for entry in self.catalog["roles"]
                for sub in entry[part.name]
            }

        def existing(queryset: models.QuerySet, part: Section) -> dict[tuple, models.Model]:
            rows: dict[tuple, models.Model] = {}
            for obj in queryset.order_by("pk"):
                if obj.role_id in role_ids:
                    rows.setdefault((obj.role_id, *part.key_of(row_to_entry(part, obj))), obj)
            return rows

        def new_for_role(model: type[models.Model]) -> Callable[[tuple], models.Model]:
            by_id = {role.pk: role for role in roles.values()}
            return lambda key: model(role=by_id[key[0]])

        requirements = existing(RoleRequirement.objects.select_related("skill"), REQUIREMENTS)
        wanted_requirements = wanted(REQUIREMENTS)
        self.upsert(REQUIREMENTS, wanted_requirements, requirements, new_for_role(RoleRequirement))
        # A role's requirements are a set: the file's list is the whole of it.
        stale = [obj.pk for key, obj in requirements.items() if key not in wanted_requirements]
        if stale:
            RoleRequirement.objects.filter(pk__in=stale).delete()
            self.report.sections["requirements"].removed += len(stale)

        salaries = existing(SalaryFigure.objects.select_related("source"), SALARIES)
        self.upsert(SALARIES, wanted(SALARIES), salaries, new_for_role(SalaryFigure))

        questions = existing(InterviewQuestion.objects.select_related("area", "source"), INTERVIEW_QUESTIONS)
        self.upsert(INTERVIEW_QUESTIONS, wanted(INTERVIEW_QUESTIONS), questions, new_for_role(InterviewQuestion))

    def load_progressions(self) -> None:
        section = SECTIONS["progressions"]
        existing = {
            (obj.from_role.slug, obj.to_role.slug): obj
            for obj in Progression.objects.select_related("from_role", "to_role", "source")
        }
        wanted = {section.key_of(entry): entry for entry in self.catalog["progressions"]}
        self.upsert(section, wanted, existing, lambda key: Progression())

    # --- shared machinery ---

    def upsert(
        self,
        section: Section,
        wanted: dict[Hashable, dict],
        existing: dict[Hashable, models.Model],
        new: Callable[[Any], models.Model],
    ) -> tuple[list[tuple[models.Model, dict]], list[tuple[models.Model, dict]]]:
        """Create missing rows, save rows that differ from the file, count the rest as unchanged."""
        counts = self.report.sections[section.name]
        nested = {f.name for f in section.fields if f.kind == "nested"}
        created: list[tuple[models.Model, dict]] = []
        changed: list[tuple[models.Model, dict]] = []
        for key, entry in wanted.items():
            obj = existing.get(key)
            if obj is None:
                obj = new(key)
                self.apply(section, obj, entry)
                created.append((obj, entry))
            elif row_to_entry(section, obj) != {k: v for k, v in entry.items() if k not in nested}:
                self.apply(section, obj, entry)
                changed.append((obj, entry))
            else:
                counts.unchanged += 1
        section.model.objects.bulk_create([obj for obj, _ in created])
        for obj, _ in changed:
            obj.save()
        counts.created += len(created)
        counts.updated += len(changed)
        return created, changed

    def apply(self, section: Section, obj: models.Model, entry: dict) -> None:
        for f in section.fields:
            if f.kind in ("nested", "refs"):
                continue
            value = entry[f.name]
            if f.kind == "lines":
                value = "\n".join(value)
            elif f.kind == "ref":
                value = self.rows[f.target][value] if value else None
            setattr(obj, f.model_attr, value)

    def set_many_to_many(
        self, section: Section, created: list[tuple[models.Model, dict]], changed: list[tuple[models.Model, dict]]
    ) -> None:
        """Make the many-to-many sets of created and changed rows equal the file's lists."""
        for f in section.fields:
            if f.kind != "refs":
                continue
            model_field = section.model._meta.get_field(f.model_attr)
            through = model_field.remote_field.through
            source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
            if changed:
                through.objects.filter(**{f"{source}__in": [obj.pk for obj, _ in changed]}).delete()
            links = [
                through(**{f"{source}_id": obj.pk, f"{target}_id": self.rows[f.target][slug].pk})
                for obj, entry in created + changed
                for slug in entry[f.name]
            ]
            if links:
                through.objects.bulk_create(links)


# --- One entry at a time (the REST API's catalog writes) ------------------------------------------

# The sections written one entry at a time, each with the model whose rows it holds.
ENTRY_SECTIONS = ("tracks", "skills", "roles", "certifications")


def catalog_entry_save(*, section: str, entry: dict, slug: str | None = None) -> dict:
    """Create an entry of `section` (slug None) or change the one called `slug`, in the catalog file's format.

    The entry is merged onto the whole catalog as the database holds it (a change names only the keys it
    changes), and that catalog is loaded with `catalog_load`: the file's checks (references, ranges, a track's
    orientation, credential prerequisite cycles) and its upsert are the only ones, whoever writes. Raises
    CatalogError naming each problem, or LookupError when `slug` names no entry. Returns the entry as stored.
    """
    if section not in ENTRY_SECTIONS:
        raise ValueError(f"Unknown catalog section {section!r}.")
    with transaction.atomic():
        catalog = catalog_export()
        entries = catalog[section]
        if slug is None:
            new_slug = entry.get("slug")
            if any(existing["slug"] == new_slug for existing in entries):
                raise CatalogError([f"{section}[{new_slug}].slug: already exists"])
            entries.append(dict(entry))
        else:
            index = next((i for i, existing in enumerate(entries) if existing["slug"] == slug), None)
            if index is None:
                raise LookupError(slug)
            entries[index] = {**entries[index], **entry, "slug": slug}
        catalog_load(data=catalog)
        key = slug if slug is not None else entry.get("slug")
        return next(saved for saved in catalog_export()[section] if saved["slug"] == key)


def catalog_entry_delete(*, section: str, slug: str) -> None:
    """Delete the entry of `section` called `slug` (LookupError if there is none). CatalogError when other
    rows still need it (a track's roles, a skill some questionnaire asks about)."""
    if section not in ENTRY_SECTIONS:
        raise ValueError(f"Unknown catalog section {section!r}.")
    model = SECTIONS[section].model
    try:
        with transaction.atomic():
            deleted, _ = model.objects.filter(slug=slug).delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        rows = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        used_by = sorted({str(obj._meta.verbose_name_plural) for obj in rows})
        raise CatalogError([f"{section}[{slug}]: still used by {', '.join(used_by)}; change those first"]) from exc
    if not deleted:
        raise LookupError(slug)
    catalog_changed()
