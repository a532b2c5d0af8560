"""The data files HR moves between installations (the catalog, the questionnaire): reading,
checking and writing, shared by `roles.catalog_io` and `assessments.questionnaire_io`.

- `read_yaml_mapping(path, error=..., expected=...)` parses a YAML file (JSON is YAML too)
  whose top level must be a mapping. Every mapping and list in the result remembers the
  line it starts on and the line of each key or item (`LocatedDict`, `LocatedList`: plain
  dicts and lists otherwise), so problems can be reported where they are in the file.
- `DataFileError` is the error both loaders raise: one message per problem, `errors`
  listing them all.
- `Checker` is the base of both files' checkers: it collects those messages, each naming
  its entry (`roles[engineer].rank`) and, for data read from a file, its line
  (`line 42: roles[engineer].rank: ...`), and checks the values both formats share
  (mappings, lists, text, slugs, whole numbers, unknown keys) with the same words.
- `write_yaml(data, stream, header=...)` writes block-style YAML back out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

import yaml
from django.core.validators import slug_re

MAX_ERRORS_SHOWN = 40


class DataFileError(ValueError):
    """A data file is not valid. `errors` lists each problem, one per entry."""

    def __init__(self, errors: str | list[str]):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        shown = self.errors[:MAX_ERRORS_SHOWN]
        if len(self.errors) > MAX_ERRORS_SHOWN:
            shown.append(f"... and {len(self.errors) - MAX_ERRORS_SHOWN} more problems")
        super().__init__("\n".join(shown))


# --------------------------------------------------------------------------- reading


class LocatedDict(dict):
    """A mapping read from a file: `line` is where it starts, `key_lines[key]` where each key is (1-based)."""

    line: int | None = None
    key_lines: Mapping[Any, int] = MappingProxyType({})  # set per instance by the loader


class LocatedList(list):
    """A list read from a file: `line` is where it starts, `item_lines[i]` where item i is (1-based)."""

    line: int | None = None
    item_lines: Sequence[int] = ()  # set per instance by the loader


class _LocatingLoader(yaml.SafeLoader):
    """PyYAML's safe loader, building LocatedDict and LocatedList instead of dict and list."""


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode):
    data = LocatedDict()
    yield data
    data.update(loader.construct_mapping(node))  # merges `<<` keys into node.value first
    data.line = node.start_mark.line + 1
    data.key_lines = {loader.construct_object(key): key.start_mark.line + 1 for key, _ in node.value}


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode):
    data = LocatedList()
    yield data
    data.extend(loader.construct_sequence(node))
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
# So that data read here can be changed and dumped again with yaml.safe_dump, as plain data.
yaml.SafeDumper.add_representer(LocatedDict, yaml.SafeDumper.represent_dict)
yaml.SafeDumper.add_representer(LocatedList, yaml.SafeDumper.represent_list)


def read_yaml_mapping(path: str | Path, *, error: type[Exception], expected: str) -> dict:
    """Parse a YAML file whose top level must be a mapping; problems raise `error` with a clear message."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise error(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    try:
        data = yaml.load(text, Loader=_LocatingLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise error(f"{path} is not valid YAML{_yaml_place(exc)}: {_yaml_problem(exc)}") from exc
    if not isinstance(data, dict):
        raise error(f"{path}: expected a mapping with {expected}")
    return data


def _yaml_place(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        return f"{problem} ({context})" if context else problem
    return str(exc)


def line_of(container: Any, key: Any = None) -> int | None:
    """The line of `container[key]` in the file it was read from (of the container itself when the
    key isn't there), or None for data that was not read from a file."""
    if key is not None:
        if isinstance(key, int) and isinstance(container, LocatedList) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        if isinstance(container, LocatedDict) and key in container.key_lines:
            return container.key_lines[key]
    return getattr(container, "line", None)


# --------------------------------------------------------------------------- checking


def type_name(value: Any) -> str:
    """A value's type in the words a file's author uses."""
    if value is None:
        return "nothing (null)"
    for kind, name in _KINDS:
        if isinstance(value, kind):
            return name
    return type(value).__name__


_KINDS = (
    (bool, "true/false"),
    (int, "a number"),
    (float, "a number"),
    (str, "text"),
    (list, "a list"),
    (dict, "a mapping"),
)


def clean_text(value: str) -> str:
    """Text as stored: newlines made \\n, surrounding blanks trimmed."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


SLUG_WORDS = "letters, digits, - and _ only"


@dataclass
class Checker:
    """Collects the problems of one file; subclasses walk their format and call the checks below.

    Every check takes `where` (how messages name the entry) and, to find the line, the
    container the value came from (`at`) and its key or index. Checks on the canonical
    form built from a file find their lines through `adopt`.
    """

    errors: list[str] = field(default_factory=list)
    _sources: dict[int, Any] = field(default_factory=dict, repr=False)

    def error(self, where: str, message: str, *, at: Any = None, key: Any = None) -> None:
        line = line_of(self._sources.get(id(at), at), key) if at is not None else None
        self.errors.append(f"line {line}: {where}: {message}" if line else f"{where}: {message}")

    def adopt(self, clean: dict, source: Any) -> dict:
        """Remember that canonical entry `clean` came from `source`, so later checks on it find its line."""
        self._sources[id(clean)] = source
        return clean

    def unknown_keys(self, where: str, entry: dict, known: Iterable[str]) -> None:
        known = tuple(known)
        for key in entry:
            if key not in known:
                self.error(where, f"unknown key {key!r} (expected: {', '.join(known)})", at=entry, key=key)

    def expect_mapping(
        self, where: str, value: Any, *, at: Any = None, key: Any = None, what: str = "a mapping"
    ) -> bool:
        """Whether `value` is a mapping; reports it when not."""
        if isinstance(value, dict):
            return True
        self.error(where, f"expected {what}, got {type_name(value)}", at=at, key=key)
        return False

    def expect_list(self, where: str, value: Any, *, at: Any = None, key: Any = None) -> bool:
        """Whether `value` is a list; reports it when not."""
        if isinstance(value, list):
            return True
        self.error(where, f"expected a list, got {type_name(value)}", at=at, key=key)
        return False

    def missing(self, where: str, name: str, *, at: Any = None) -> None:
        self.error(where, f"missing required key {name!r}", at=at)

    def text(
        self,
        where: str,
        value: Any,
        *,
        at: Any = None,
        key: Any = None,
        required: bool = False,
        max_length: int | None = None,
        single_line: bool = False,
        slug: bool = False,
        choices: tuple[str, ...] = (),
    ) -> str | None:
        """`value` as clean text, or None when it isn't text; every rule broken is reported."""
        if not isinstance(value, str):
            self.error(where, f"expected text, got {type_name(value)} {value!r} (put it in quotes)", at=at, key=key)
            return None
        value = clean_text(value)
        if required and not value:
            self.error(where, "required, but empty", at=at, key=key)
        if slug and value and not slug_re.match(value):
            self.error(where, f"{value!r} is not a slug ({SLUG_WORDS})", at=at, key=key)
        if single_line and "\n" in value:
            self.error(where, "must be a single line", at=at, key=key)
        if max_length and len(value) > max_length:
            self.error(where, f"is {len(value)} characters long; at most {max_length} fit", at=at, key=key)
        if choices and value not in choices:
            self.error(where, f"{value!r} is not one of: {', '.join(choices)}", at=at, key=key)
        return value

    def whole_number(self, where: str, value: Any, *, at: Any = None, key: Any = None) -> int | None:
        """`value` when it is a whole number (not true/false), else None, reported."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"expected a whole number, got {type_name(value)} {value!r}", at=at, key=key)
            return None
        return value


# --------------------------------------------------------------------------- writing


class BlockDumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


BlockDumper.add_representer(str, _represent_str)


def write_yaml(data: dict, stream: IO[str], *, header: str, dumper: type[yaml.SafeDumper] = BlockDumper) -> None:
    """Write `data` after a comment header: block style, unicode as is, keys in the order given."""
    stream.write(header)
    yaml.dump(data, stream, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
