"""Questionnaire versions: loading a file, publishing, cloning, and the lock on published versions.

A published version never changes, because responses point at it and their
results must stay explainable. To change the questionnaire, HR loads a changed
file (a new draft version) or clones a version in the admin, edits the draft,
then publishes it; publishing makes it the one active version for new
self-assessments. Older responses keep the version they were answered on.

The admin, the management commands and the tests all go through these services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from roles.models import Skill

from .models import Item, ItemKey, Questionnaire, QuestionnaireVersion, Section
from .questionnaire_io import (
    KEY_LISTS,
    QuestionnaireError,
    iter_items,
    normalise_questionnaire,
    questionnaire_export,
    same_content,
    version_content,
)


class VersioningError(ValueError):
    """A versioning rule was broken; the message says which and what to do instead."""


class VersionLocked(VersioningError):
    """The version is published, so it can't change any more; clone it into a draft instead."""


class VersionNotPublishable(VersioningError):
    """The draft is incomplete (no items, an item without keys or skill, ...)."""


@dataclass(frozen=True)
class LoadOutcome:
    """What `questionnaire_load` did (or, in a dry run, would have done)."""

    questionnaire: Questionnaire
    version: QuestionnaireVersion
    questionnaire_created: bool
    details_updated: bool
    version_created: bool
    activated: bool
    dry_run: bool

    @property
    def changed(self) -> bool:
        return self.questionnaire_created or self.details_updated or self.version_created or self.activated


def questionnaire_version_assert_editable(version: QuestionnaireVersion) -> None:
    """Raise VersionLocked when `version` is published: its sections, items and keys are frozen."""
    if version.is_published:
        raise VersionLocked(
            f"{version.questionnaire.name} v{version.number} is published and can't be changed; "
            "clone it into a new draft and edit that."
        )


@transaction.atomic
def questionnaire_version_publish(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Publish a draft and make it the active version; the previously active one is deactivated.

    Refused for a published version (VersionLocked) and for an incomplete draft
    (VersionNotPublishable: no items, a likert item without keys, a skill item
    without a skill, ...), checked by the same rules as a questionnaire file.
    """
    version = QuestionnaireVersion.objects.select_for_update().select_related("questionnaire").get(pk=version.pk)
    if version.is_published:
        raise VersionLocked(f"{version.questionnaire.name} v{version.number} is already published.")
    label = f"{version.questionnaire.name} v{version.number}"
    if not Item.objects.filter(version=version).exists():
        raise VersionNotPublishable(f"{label} has no items; add at least one before publishing it.")
    try:
        normalise_questionnaire(questionnaire_export(version=version))
    except QuestionnaireError as exc:
        raise VersionNotPublishable(f"{label} can't be published yet:\n{exc}") from exc
    _activate(version, publish=True)
    return version


@transaction.atomic
def questionnaire_version_clone(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Copy a version's sections, items and keys into a new draft numbered after the latest one."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    content = version_content(version)
    content["version"]["change_note"] = ""
    skills = Skill.objects.in_bulk(
        {item["skill"] for _, item in iter_items(content) if item.get("skill")}, field_name="slug"
    )
    return _version_create(questionnaire=questionnaire, content=content, skills=skills)


@transaction.atomic
def questionnaire_load(*, data: dict, activate: bool | None = None, dry_run: bool = False) -> LoadOutcome:
    """Load a questionnaire file's contents (already parsed) as a version.

    - The file is checked first; skills are looked up in the database catalog.
      Any problem raises QuestionnaireError naming the entry.
    - When the questionnaire's latest version holds the same content, no version
      is created: loading the same file twice changes nothing.
    - Otherwise a new version numbered latest + 1 is created as a draft.
    - The loaded version is published and activated when `activate` is True, or
      when it is None and no version is active yet. With False it stays a draft.
    - With `dry_run`, everything is rolled back at the end; the outcome says what
      would have happened.
    """
    content = normalise_questionnaire(data)
    slugs = {item["skill"] for _, item in iter_items(content) if item.get("skill")}
    skills = Skill.objects.in_bulk(slugs, field_name="slug")
    if len(skills) < len(slugs):
        content = normalise_questionnaire(data, known_skills=skills.keys())  # raises, naming each item

    header = content["questionnaire"]
    questionnaire, questionnaire_created = Questionnaire.objects.get_or_create(
        slug=header["slug"], defaults={"name": header["name"], "description": header["description"]}
    )
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    details_updated = False
    if (questionnaire.name, questionnaire.description) != (header["name"], header["description"]):
        questionnaire.name, questionnaire.description = header["name"], header["description"]
        questionnaire.save(update_fields=["name", "description", "updated_at"])
        details_updated = True

    latest = questionnaire.versions.order_by("-number").first()
    if latest is not None and same_content(content, version_content(latest)):
        version, version_created = latest, False
    else:
        version, version_created = _version_create(questionnaire=questionnaire, content=content, skills=skills), True

    activated = False
    if not version.is_active:
        if activate is None:
            activate = not QuestionnaireVersion.objects.filter(is_active=True).exists()
        if activate:
            if version.is_published:
                _activate(version, publish=False)
            else:
                version = questionnaire_version_publish(version=version)
            activated = True

    if dry_run:
        transaction.set_rollback(True)
    return LoadOutcome(
        questionnaire=questionnaire,
        version=version,
        questionnaire_created=questionnaire_created,
        details_updated=details_updated,
        version_created=version_created,
        activated=activated,
        dry_run=dry_run,
    )


# --- Helpers ------------------------------------------------------------------------------


def _activate(version: QuestionnaireVersion, *, publish: bool) -> None:
    """Make `version` the one active version (deactivating the other first: one active at a time)."""
    QuestionnaireVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(
        is_active=False, updated_at=timezone.now()
    )
    fields = ["is_active", "updated_at"]
    version.is_active = True
    if publish:
        version.status = QuestionnaireVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        fields += ["status", "published_at"]
    version.save(update_fields=fields)


def _version_create(
    *, questionnaire: Questionnaire, content: dict, skills: Mapping[str, Skill]
) -> QuestionnaireVersion:
    """A new draft from canonical content, numbered after the latest version; 4 inserts in all.

    The caller holds a lock on the questionnaire row, so two loads can't pick the same number.
    """
    latest = questionnaire.versions.aggregate(latest=Max("number"))["latest"] or 0
    meta = content["version"]
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=latest + 1,
        intro=meta["intro"],
        estimated_minutes=meta["estimated_minutes"],
        change_note=meta["change_note"],
    )
    sections = Section.objects.bulk_create(
        Section(version=version, order=number, title=section["title"], intro=section["intro"])
        for number, section in enumerate(content["sections"], start=1)
    )
    items, entries = [], []
    for section, section_entry in zip(sections, content["sections"], strict=True):
        for number, entry in enumerate(section_entry["items"], start=1):
            items.append(
                Item(
                    version=version,
                    section=section,
                    key=entry["key"],
                    order=number,
                    kind=entry["kind"],
                    text=entry["text"],
                    option_a=entry.get("option_a", ""),
                    option_b=entry.get("option_b", ""),
                    skill=skills[entry["skill"]] if entry.get("skill") else None,
                    required=entry.get("required", True),
                    consistency_group=entry.get("consistency_group", ""),
                )
            )
            entries.append(entry)
    items = Item.objects.bulk_create(items)
    ItemKey.objects.bulk_create(
        ItemKey(
            item=item,
            dimension=key["dimension"],
            option=option,
            weight=Decimal(str(key["weight"])),
            direction=key["direction"],
        )
        for item, entry in zip(items, entries, strict=True)
        for name, option in KEY_LISTS.items()
        for key in entry.get(name, ())
    )
    return version
