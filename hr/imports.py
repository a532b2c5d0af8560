"""People and managers from a CSV file an HR system exports: read, checked row by row, previewed.

Pure: `preview()` takes the file's text and what the database holds (`Known`), and says for every
row what applying would do (create, update, unchanged) or why it can't. Nothing is applied unless
every row is fine (hr.services.people_import_apply), so a file is never half-applied.

The file: a header row, then one row per person. Columns, matched by name whatever their case and
order (unknown columns are ignored): email (required), name, manager's email, discipline, current
role, start date (YYYY-MM-DD). A discipline or role is its catalog name or slug.

An empty cell leaves what careerpath holds, except the manager's email: the directory is the
truth about who reports to whom, and an empty one means the person reports to no one here.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from careerpath.security import CONTROL_CHARACTERS

MAX_ROWS = 5000
MAX_BYTES = 1_000_000
EMAIL_MAX, NAME_MAX = 254, 150  # the columns' lengths (accounts.User)

COLUMNS = {
    "email": ("email", "email address", "work email", "e-mail"),
    "name": ("name", "full name", "display name"),
    "manager_email": ("manager email", "manager's email", "manager_email", "manager e-mail", "manager"),
    "discipline": ("discipline",),
    "current_role": ("current role", "current_role", "role", "job role"),
    "start_date": ("start date", "start_date", "hire date", "started on"),
}
LABELS = {
    "name": "name",
    "manager_email": "manager",
    "discipline": "discipline",
    "current_role": "current role",
    "start_date": "start date",
}


class ImportFileError(Exception):
    """The file as a whole can't be read (encoding, header, size); the message says why."""


@dataclass(frozen=True)
class KnownPerson:
    user_id: int
    name: str
    manager_email: str
    discipline_id: int | None
    current_role_id: int | None
    start_date: date | None


@dataclass(frozen=True)
class Known:
    """What the database holds, as the preview needs it: people by email (lower case), and the
    catalog's disciplines and roles by lower-cased name and slug."""

    people: dict[str, KnownPerson]
    disciplines: dict[str, tuple[int, str]]
    roles: dict[str, tuple[int, str]]


@dataclass
class Row:
    line: int
    email: str
    name: str = ""
    manager_email: str = ""
    discipline: tuple[int, str] | None = None
    current_role: tuple[int, str] | None = None
    start_date: date | None = None
    action: str = ""  # create, update, unchanged, error
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Preview:
    rows: list[Row]
    ignored_columns: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def count_create(self) -> int:
        return self.count("create")

    @property
    def count_update(self) -> int:
        return self.count("update")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_BYTES // 1_000_000} MB; split it into smaller files.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {exc.start + 1} can't be read). Save it as “CSV UTF-8” and try again."
        ) from None


def _header(names: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    found: dict[str, int] = {}
    ignored = []
    for index, raw in enumerate(names):
        name = " ".join(raw.strip().lower().split())
        key = next((key for key, aliases in COLUMNS.items() if name in aliases), None)
        if key is None:
            if raw.strip():
                ignored.append(raw.strip())
        elif key in found:
            raise ImportFileError(f"The column “{raw.strip()}” appears twice in the header row.")
        else:
            found[key] = index
    if "email" not in found:
        raise ImportFileError(
            "The header row has no email column. The first row must name the columns: email, name, manager email, "
            "discipline, current role, start date."
        )
    return found, tuple(ignored)


def _reader(text: str):
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _cell(values: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return values[index].strip() if index is not None and index < len(values) else ""


def _text_problem(value: str, label: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"The {label} is longer than {limit} characters."
    if not CONTROL_CHARACTERS.isdisjoint(value):
        return f"The {label} holds a line break or an invisible control character."
    return None


def _email(value: str, label: str, errors: list[str]) -> str:
    problem = _text_problem(value, label, EMAIL_MAX)
    if problem:
        errors.append(problem)
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.append(f"“{value}” is not a valid {label}.")
        return ""
    return value.lower()


def _parse_row(line: int, values: list[str], columns: dict[str, int], known: Known) -> Row:
    errors: list[str] = []
    raw_email = _cell(values, columns, "email")
    email = _email(raw_email, "email address", errors) if raw_email else ""
    if not raw_email:
        errors.append("The email address is empty.")
    row = Row(line=line, email=email, errors=errors)

    name = _cell(values, columns, "name")
    problem = _text_problem(name, "name", NAME_MAX)
    if problem:
        errors.append(problem)
    else:
        row.name = name

    manager = _cell(values, columns, "manager_email")
    if manager:
        row.manager_email = _email(manager, "manager's email address", errors)

    for key, table, label in (
        ("discipline", known.disciplines, "discipline"),
        ("current_role", known.roles, "role"),
    ):
        value = _cell(values, columns, key)
        if value:
            match = table.get(value.lower())
            if match is None:
                errors.append(f"No {label} called “{value[:100]}” in the catalog.")
            setattr(row, key, match)

    start = _cell(values, columns, "start_date")
    if start:
        try:
            row.start_date = date.fromisoformat(start)
        except ValueError:
            errors.append(f"“{start[:40]}” is not a date; write the start date as YYYY-MM-DD, e.g. 2021-03-15.")
        else:
            if not date(1950, 1, 1) <= row.start_date <= date(2100, 12, 31):
                errors.append("The start date must be between 1950 and 2100.")
                row.start_date = None
    return row


def _check_managers(rows: list[Row], known: Known) -> None:
    """Managers exist (in the file or in careerpath), aren't the person, and make no loop once applied."""
    in_file = {row.email: row for row in rows if row.email}
    final = {email: person.manager_email for email, person in known.people.items()}
    final.update({row.email: row.manager_email for row in in_file.values()})
    for row in in_file.values():
        if not row.manager_email:
            continue
        if row.manager_email == row.email:
            row.errors.append("A person can't be their own manager.")
        elif row.manager_email not in in_file and row.manager_email not in known.people:
            row.errors.append(f"The manager {row.manager_email} is neither in this file nor in careerpath.")
    for row in in_file.values():
        seen, current = [row.email], final.get(row.email, "")
        while current and current not in seen and len(seen) <= len(final):
            seen.append(current)
            current = final.get(current, "")
        if current == row.email and len(seen) > 1:
            loop = " → ".join([*seen, row.email])
            row.errors.append(f"These managers make a loop: {loop}.")


def _decide(row: Row, known: Known) -> None:
    if row.errors:
        row.action = "error"
        return
    person = known.people.get(row.email)
    if person is None:
        row.action = "create"
        return
    changes = []
    if row.name and row.name != person.name:
        changes.append("name")
    if row.manager_email != person.manager_email:
        changes.append("manager")
    if row.discipline and row.discipline[0] != person.discipline_id:
        changes.append("discipline")
    if row.current_role and row.current_role[0] != person.current_role_id:
        changes.append("current role")
    if row.start_date and row.start_date != person.start_date:
        changes.append("start date")
    row.changes = changes
    row.action = "update" if changes else "unchanged"


def preview(text: str, known: Known) -> Preview:
    """What applying `text` would do, row by row (ImportFileError when the file can't be read at all)."""
    reader = _reader(text)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError("The file is empty.")
        columns, ignored = _header(header)
        rows: list[Row] = []
        seen: dict[str, int] = {}
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(f"The file has more than {MAX_ROWS:,} people; split it into smaller files.")
            row = _parse_row(reader.line_num, values, columns, known)
            if row.email in seen:
                row.errors.append(f"This email address is already on line {seen[row.email]}.")
            elif row.email:
                seen[row.email] = row.line
            rows.append(row)
    except csv.Error as exc:
        raise ImportFileError(f"The file is not valid CSV near line {reader.line_num}: {exc}.") from None
    if not rows:
        raise ImportFileError("The file has a header row but no people.")
    _check_managers(rows, known)
    for row in rows:
        _decide(row, known)
    return Preview(rows=rows, ignored_columns=ignored)
