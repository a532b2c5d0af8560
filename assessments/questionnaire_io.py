"""The questionnaire file: its format, reading, checking, exporting and writing.

A questionnaire file (YAML, see docs/questionnaire.md) holds one version of a
questionnaire: its header, the version's intro, and its sections of items with
their scoring keys. Skills are named by slug, never by database id, so a file
moves between installations.

- `read_questionnaire(path)` parses a file (YAML safe_load).
- `normalise_questionnaire(data, known_skills=...)` checks it and returns the
  canonical form; every problem is listed in one `QuestionnaireError`, each
  message naming its entry (`sections[#2].items[enjoy-planning].keys[#1].weight`).
- `questionnaire_export(version=...)` reads a version from the database into
  that same canonical form, in a fixed number of queries.
- `write_questionnaire(data, stream)` writes it back out as YAML.

The loader and the versioning services (assessments/versioning.py) compare a
file with a stored version through these canonical forms, so "identical" means
the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import yaml
from django.conf import settings
from django.core.validators import slug_re

from careerpath.datafiles import (
    BlockDumper,
    Checker,
    DataFileError,
    clean_text,
    read_yaml_mapping,
    type_name,
    write_yaml,
)

from .models import Dimension, Item, ItemKey, Questionnaire, QuestionnaireVersion, Section

FORMAT_VERSION = 1
DEFAULT_PATH = Path(settings.BASE_DIR) / "assessments" / "data" / "questionnaire.yaml"
SLUG_MAX = 50
DIMENSIONS: tuple[str, ...] = tuple(Dimension.values)
KINDS: tuple[str, ...] = tuple(Item.Kind.values)
WEIGHT_MAX = Decimal("99.99")
MINUTES_MAX = 600

TOP_LEVEL_KEYS = ("format", "questionnaire", "version", "sections")
HEADER_KEYS = ("slug", "name", "description")
VERSION_KEYS = ("intro", "estimated_minutes", "change_note")
SECTION_KEYS = ("title", "intro", "items")
KEY_KEYS = ("dimension", "weight", "direction")
COMMON_ITEM_KEYS = ("key", "kind", "text", "required", "consistency_group")
# The keys each kind of item takes besides the common ones, in canonical order.
KIND_KEYS = {
    Item.Kind.LIKERT: ("keys",),
    Item.Kind.CHOICE: ("option_a", "option_b", "a_keys", "b_keys"),
    Item.Kind.SKILL: ("skill",),
}
ALL_ITEM_KEYS = COMMON_ITEM_KEYS + tuple(dict.fromkeys(k for keys in KIND_KEYS.values() for k in keys))
# Which ItemKey.option each list of keys is stored under.
KEY_LISTS = {"keys": ItemKey.Option.NONE, "a_keys": ItemKey.Option.A, "b_keys": ItemKey.Option.B}
LIST_OF_OPTION = {option: name for name, option in KEY_LISTS.items()}


class QuestionnaireError(DataFileError):
    """The questionnaire file is not valid. `errors` lists each problem, one per entry."""


# --- Small conversions shared by the checker and the exporter ---------------------


def canonical_weight(value: Decimal | int | float) -> int | float:
    """A weight as the file writes it: 1 rather than 1.00, 0.5 rather than 0.50."""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    return int(number) if number == number.to_integral_value() else float(number)


def _key_sort(key: dict) -> tuple:
    dimension = key.get("dimension")
    return (DIMENSIONS.index(dimension) if dimension in DIMENSIONS else len(DIMENSIONS), str(dimension))


def _max_length(model: type, name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def item_label(item: Any, index: int) -> str:
    """How messages name an item: by its key when it has one, else by position."""
    key = item.get("key") if isinstance(item, dict) else None
    if isinstance(key, str) and slug_re.match(key.strip()):
        return key.strip()
    return f"#{index + 1}"


def iter_items(content: dict) -> Iterator[tuple[int, dict]]:
    """(section position from 1, item) for every item of a canonical questionnaire."""
    for number, section in enumerate(content.get("sections", []), start=1):
        for item in section.get("items", []):
            yield number, item


# --- Reading and checking ----------------------------------------------------------


def read_questionnaire(path: str | Path) -> dict:
    """Parse a questionnaire file. Raises QuestionnaireError when it is missing or is not YAML."""
    return read_yaml_mapping(
        path, error=QuestionnaireError, expected="`format`, `questionnaire`, `version` and `sections`"
    )


def normalise_questionnaire(data: Any, *, known_skills: Collection[str] | None = None) -> dict:
    """Check `data` and return its canonical form.

    With `known_skills` (the catalog's skill slugs), skill items must name one of them.
    """
    checker = _Checker(known_skills=known_skills)
    result = checker.check(data)
    if checker.errors:
        raise QuestionnaireError(checker.errors)
    return result


@dataclass
class _Checker(Checker):
    known_skills: Collection[str] | None = None

    # -- the file

    def check(self, data: Any) -> dict:
        if not self.expect_mapping("questionnaire file", data):
            return {}
        self.unknown_keys("questionnaire file", data, TOP_LEVEL_KEYS)
        if data.get("format") != FORMAT_VERSION:
            self.error("format", f"expected {FORMAT_VERSION}, got {data.get('format')!r}", at=data, key="format")
        result = {
            "format": FORMAT_VERSION,
            "questionnaire": self.check_header(self.mapping(data, "questionnaire", required=True)),
            "version": self.check_version(self.mapping(data, "version")),
            "sections": self.check_sections(data),
        }
        self.check_keys_unique(result["sections"])
        self.check_consistency_groups(result["sections"])
        return result

    def check_header(self, header: dict) -> dict:
        self.unknown_keys("questionnaire", header, HEADER_KEYS)
        return {
            "slug": self.slug("questionnaire", header, "slug", required=True),
            "name": self.field(
                "questionnaire", header, "name", required=True, max_length=_max_length(Questionnaire, "name")
            ),
            "description": self.field("questionnaire", header, "description"),
        }

    def check_version(self, version: dict) -> dict:
        self.unknown_keys("version", version, VERSION_KEYS)
        return {
            "intro": self.field("version", version, "intro"),
            "estimated_minutes": self.integer("version", version, "estimated_minutes", default=10),
            "change_note": self.field("version", version, "change_note"),
        }

    def check_sections(self, data: dict) -> list[dict]:
        sections = data.get("sections")
        if sections is None or sections == []:
            self.error("sections", "at least one section is needed", at=data, key="sections")
            return []
        if not self.expect_list("sections", sections, at=data, key="sections"):
            return []
        result = []
        for index, section in enumerate(sections):
            where = f"sections[#{index + 1}]"
            if not self.expect_mapping(where, section, at=sections, key=index):
                continue
            self.unknown_keys(where, section, SECTION_KEYS)
            clean = {
                "title": self.field(where, section, "title", required=True, max_length=_max_length(Section, "title")),
                "intro": self.field(where, section, "intro"),
                "items": self.check_items(where, section),
            }
            result.append(self.adopt(clean, section))
        return result

    # -- items

    def check_items(self, where: str, section: dict) -> list[dict]:
        here, items = f"{where}.items", section.get("items")
        if items is None or items == []:
            self.error(here, "at least one item is needed", at=section, key="items")
            return []
        if not self.expect_list(here, items, at=section, key="items"):
            return []
        result = []
        for index, item in enumerate(items):
            label = f"{here}[{item_label(item, index)}]"
            if not self.expect_mapping(label, item, at=items, key=index):
                continue
            result.append(self.adopt(self.check_item(label, item), item))
        return result

    def check_item(self, where: str, item: dict) -> dict:
        self.unknown_keys(where, item, ALL_ITEM_KEYS)
        kind = item.get("kind")
        if "kind" not in item or kind is None:
            self.missing(where, "kind", at=item)
        elif kind not in KINDS:
            self.error(
                f"{where}.kind", f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})", at=item, key="kind"
            )
        clean: dict[str, Any] = {
            "key": self.slug(where, item, "key", required=True),
            "kind": kind if kind in KINDS else None,
            "text": self.field(where, item, "text", required=True),
        }
        if kind in KINDS:
            for name in ALL_ITEM_KEYS:
                if name in item and name not in COMMON_ITEM_KEYS and name not in KIND_KEYS[kind]:
                    owners = [k for k, names in KIND_KEYS.items() if name in names]
                    self.error(
                        f"{where}.{name}",
                        f"only {' and '.join(owners)} items take {name!r}, not {kind} items",
                        at=item,
                        key=name,
                    )
        if kind == Item.Kind.LIKERT:
            clean["keys"] = self.check_keys(where, item, "keys", required=True)
        elif kind == Item.Kind.CHOICE:
            for name in ("option_a", "option_b"):
                clean[name] = self.field(
                    where, item, name, required=True, max_length=_max_length(Item, name), single_line=True
                )
            clean["a_keys"] = self.check_keys(where, item, "a_keys")
            clean["b_keys"] = self.check_keys(where, item, "b_keys")
            if not clean["a_keys"] and not clean["b_keys"]:
                self.error(
                    where, "a choice item needs a_keys, b_keys or both, or its answer counts for nothing", at=item
                )
        elif kind == Item.Kind.SKILL:
            clean["skill"] = self.slug(where, item, "skill", required=True)
            skill = clean["skill"]
            if skill and self.known_skills is not None and skill not in self.known_skills:
                self.error(
                    f"{where}.skill",
                    f"unknown skill {skill!r}: the catalog has no skill with this slug "
                    "(run `manage.py load_catalog` first, or fix the slug)",
                    at=item,
                    key="skill",
                )
        required = item.get("required", True)
        if not isinstance(required, bool):
            self.error(
                f"{where}.required",
                f"expected true or false, got {type_name(required)} {required!r}",
                at=item,
                key="required",
            )
        elif not required:
            clean["required"] = False
        group = self.slug(where, item, "consistency_group")
        if group:
            clean["consistency_group"] = group
        return clean

    def check_keys(self, where: str, item: dict, name: str, *, required: bool = False) -> list[dict]:
        here = f"{where}.{name}"
        keys = item.get(name)
        if keys is None or keys == []:
            if required:
                self.error(
                    where,
                    f"a {item.get('kind')} item needs {name!r}: at least one dimension it counts toward",
                    at=item,
                    key=name,
                )
            return []
        if not self.expect_list(here, keys, at=item, key=name):
            return []
        result, seen = [], set()
        for index, key in enumerate(keys):
            label = f"{here}[#{index + 1}]"
            if not self.expect_mapping(
                label, key, at=keys, key=index, what="a mapping with dimension, weight and direction"
            ):
                continue
            self.unknown_keys(label, key, KEY_KEYS)
            dimension = key.get("dimension")
            if dimension is None:
                self.missing(label, "dimension", at=key)
            elif dimension not in DIMENSIONS:
                self.error(
                    f"{label}.dimension",
                    f"unknown dimension {dimension!r} (expected one of: {', '.join(DIMENSIONS)})",
                    at=key,
                    key="dimension",
                )
            elif dimension in seen:
                self.error(f"{label}.dimension", f"{dimension!r} is keyed twice in {name}", at=key, key="dimension")
            seen.add(dimension)
            result.append(
                {"dimension": dimension, "weight": self.weight(label, key), "direction": self.direction(label, key)}
            )
        return sorted(result, key=_key_sort)

    def weight(self, where: str, key: dict) -> int | float | None:
        value = key.get("weight", 1)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(f"{where}.weight", f"expected a number, got {type_name(value)} {value!r}", at=key, key="weight")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - inf/nan come in as floats Decimal accepts
            number = Decimal("NaN")
        if not number.is_finite() or number <= 0:
            self.error(f"{where}.weight", f"must be greater than 0, got {value!r}", at=key, key="weight")
            return None
        if number > WEIGHT_MAX or number.as_tuple().exponent < -2:
            self.error(
                f"{where}.weight",
                f"must be at most {WEIGHT_MAX} with at most two decimals, got {value!r}",
                at=key,
                key="weight",
            )
            return None
        return canonical_weight(number)

    def direction(self, where: str, key: dict) -> int | None:
        value = key.get("direction", 1)
        if isinstance(value, bool) or value not in (1, -1):
            self.error(
                f"{where}.direction",
                f"must be 1, or -1 for a reverse-keyed statement, got {value!r}",
                at=key,
                key="direction",
            )
            return None
        return int(value)

    # -- rules across items

    def check_keys_unique(self, sections: list[dict]) -> None:
        seen: dict[str, int] = {}
        for number, item in iter_items({"sections": sections}):
            key = item.get("key")
            if not key:
                continue
            if key in seen:
                self.error(
                    f"sections[#{number}].items[{key}]",
                    f"duplicate key {key!r} (already used in sections[#{seen[key]}]); keys are unique in a version",
                    at=item,
                    key="key",
                )
            else:
                seen[key] = number

    def check_consistency_groups(self, sections: list[dict]) -> None:
        groups: dict[str, list[tuple[int, dict]]] = {}
        for number, item in iter_items({"sections": sections}):
            if item.get("consistency_group"):
                groups.setdefault(item["consistency_group"], []).append((number, item))
        for group, members in groups.items():
            if len(members) < 2:
                number, item = members[0]
                self.error(
                    f"sections[#{number}].items[{item.get('key') or '?'}].consistency_group",
                    f"{group!r} has no other item; a group compares at least two items",
                    at=item,
                    key="consistency_group",
                )

    # -- values

    def mapping(self, data: dict, name: str, *, required: bool = False) -> dict:
        value = data.get(name)
        if value is None:
            if required:
                self.error(name, "required: a mapping", at=data, key=name)
            return {}
        return value if self.expect_mapping(name, value, at=data, key=name) else {}

    def field(
        self,
        where: str,
        entry: dict,
        name: str,
        *,
        required: bool = False,
        max_length: int | None = None,
        single_line: bool = False,
        slug: bool = False,
    ) -> str:
        """The text under `name` in `entry`, cleaned; "" when it is missing or not text (reported)."""
        value = entry.get(name)
        if value is None:
            if required:
                self.missing(where, name, at=entry)
            return ""
        text = self.text(
            f"{where}.{name}",
            value,
            at=entry,
            key=name,
            required=required,
            max_length=max_length,
            single_line=single_line,
            slug=slug,
        )
        return "" if text is None else text

    def slug(self, where: str, entry: dict, name: str, *, required: bool = False) -> str:
        return self.field(where, entry, name, required=required, max_length=SLUG_MAX, slug=True)

    def integer(self, where: str, entry: dict, name: str, *, default: int) -> int:
        value = self.whole_number(f"{where}.{name}", entry.get(name, default), at=entry, key=name)
        if value is None:
            return default
        if not 1 <= value <= MINUTES_MAX:
            self.error(f"{where}.{name}", f"{value} is outside 1-{MINUTES_MAX}", at=entry, key=name)
        return value


# --- From the database --------------------------------------------------------------


def _key_entry(key: ItemKey) -> dict:
    return {"dimension": key.dimension, "weight": canonical_weight(key.weight), "direction": key.direction}


def _item_entry(item: Item) -> dict:
    entry: dict[str, Any] = {"key": item.key, "kind": item.kind, "text": clean_text(item.text)}
    keys: dict[str, list[dict]] = {name: [] for name in KEY_LISTS}
    for key in item.keys.all():
        keys[LIST_OF_OPTION.get(key.option, "keys")].append(_key_entry(key))
    if item.kind == Item.Kind.LIKERT:
        entry["keys"] = sorted(keys["keys"], key=_key_sort)
    elif item.kind == Item.Kind.CHOICE:
        entry["option_a"] = clean_text(item.option_a)
        entry["option_b"] = clean_text(item.option_b)
        entry["a_keys"] = sorted(keys["a_keys"], key=_key_sort)
        entry["b_keys"] = sorted(keys["b_keys"], key=_key_sort)
    elif item.kind == Item.Kind.SKILL:
        entry["skill"] = item.skill.slug if item.skill is not None else None
    if not item.required:
        entry["required"] = False
    if item.consistency_group:
        entry["consistency_group"] = item.consistency_group
    return entry


def version_content(version: QuestionnaireVersion) -> dict:
    """The `version` and `sections` parts of the file, read from the database in three queries.

    Sections and items are put in order here, in Python, so the output is the same on
    SQLite and PostgreSQL; positions replace the stored `order` numbers.
    """
    sections = sorted(Section.objects.filter(version=version), key=lambda s: (s.order, s.pk))
    items = sorted(
        Item.objects.filter(version=version).select_related("skill").prefetch_related("keys"),
        key=lambda i: (i.order, i.pk),
    )
    by_section: dict[int, list[Item]] = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(item)
    return {
        "version": {
            "intro": clean_text(version.intro),
            "estimated_minutes": version.estimated_minutes,
            "change_note": clean_text(version.change_note),
        },
        "sections": [
            {
                "title": clean_text(section.title),
                "intro": clean_text(section.intro),
                "items": [_item_entry(item) for item in by_section.get(section.pk, [])],
            }
            for section in sections
        ],
    }


def questionnaire_export(*, version: QuestionnaireVersion) -> dict:
    """A whole file for `version`. Load `version` with select_related("questionnaire") to save a query."""
    questionnaire = version.questionnaire
    content = version_content(version)
    return {
        "format": FORMAT_VERSION,
        "questionnaire": {
            "slug": questionnaire.slug,
            "name": clean_text(questionnaire.name),
            "description": clean_text(questionnaire.description),
        },
        **content,
    }


def same_content(first: dict, second: dict) -> bool:
    """Whether two canonical questionnaires hold the same version (the header is not versioned)."""
    return first.get("version") == second.get("version") and first.get("sections") == second.get("sections")


# --- Writing ---------------------------------------------------------------------------


class _Dumper(BlockDumper):
    """The data files' block style, with each scoring key on one line."""


def _represent_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.MappingNode:
    node = dumper.represent_mapping("tag:yaml.org,2002:map", value.items())
    if tuple(value) == KEY_KEYS:
        node.flow_style = True
    return node


_Dumper.add_representer(dict, _represent_dict)

HEADER = (
    "# careerpath self-assessment questionnaire. Format: docs/questionnaire.md.\n"
    "# Load with `manage.py load_questionnaire <file>`; loading a changed file creates a new version.\n"
)


def write_questionnaire(data: dict, stream: IO[str]) -> None:
    """Write a questionnaire as YAML: block style, unicode as is, keys in the order given."""
    write_yaml(data, stream, header=HEADER, dumper=_Dumper)
