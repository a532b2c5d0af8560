"""What a SCIM request body asks for, read into plain data. Pure: no database.

A User body (POST, PUT) and PATCH operations become `UserFields`, the attributes careerpath keeps
about a person; a Group PATCH or PUT becomes the set of member ids. Every value is checked here
(type, length, control characters, a valid address), so the services write only good data, and
a bad one is refused with SCIM's error (scim.errors.ScimError) naming the attribute.

Attributes the SCIM schemas define but careerpath does not keep (phone numbers, addresses, title,
department, ...) are accepted and ignored, because identity providers send them by default; a
path that names no attribute of the schemas is refused (`invalidPath`). docs/scim.md lists both.
"""

import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from careerpath.security import CONTROL_CHARACTERS

from . import filters
from .errors import bad_request
from .filters import CORE_GROUP, CORE_USER, ENTERPRISE_USER

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_NAME_MAX = 254  # accounts.User.email
NAME_MAX = 150  # accounts.User.name
EXTERNAL_ID_MAX = 255  # scim.ScimIdentity.external_id
MAX_OPERATIONS = 1000
MAX_MEMBERS = 10_000
MAX_ID = 2**63 - 1

# Attributes of the User schemas careerpath accepts but does not keep.
IGNORED_USER = frozenset(
    {
        "emails",  # the address is userName (docs/scim.md)
        "title",
        "nickname",
        "profileurl",
        "usertype",
        "preferredlanguage",
        "locale",
        "timezone",
        "phonenumbers",
        "addresses",
        "ims",
        "photos",
        "roles",
        "entitlements",
        "x509certificates",
        "password",
        "groups",  # read-only: membership is changed on the group
    }
)
IGNORED_ENTERPRISE = frozenset({"employeenumber", "costcenter", "organization", "division", "department"})
IGNORED_NAME_PARTS = frozenset({"middlename", "honorificprefix", "honorificsuffix"})
# Read-only attributes a provider may echo back inside a value; never changed, never refused.
READ_ONLY = frozenset({"id", "meta", "schemas"})

_PATH = re.compile(
    r"^(?:(?P<schema>" + "|".join(re.escape(s) for s in (ENTERPRISE_USER, CORE_USER, CORE_GROUP)) + r"):)?"
    r"(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>[^\]]*)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Path:
    schema: str  # "core" or "enterprise"
    attr: str  # lower case
    sub: str | None = None
    where: filters.Comparison | None = None


def parse_path(raw) -> Path:
    if not isinstance(raw, str) or not raw or len(raw) > 500:
        raise bad_request("The operation's path must be an attribute path, e.g. “active”.", "invalidPath")
    match = _PATH.match(raw.strip())
    if match is None:
        raise bad_request(f"“{raw[:100]}” is not an attribute path.", "invalidPath")
    schema = "enterprise" if (match["schema"] or "").lower() == ENTERPRISE_USER.lower() else "core"
    where = None
    if match["filter"] is not None:
        try:
            comparisons = filters.parse(match["filter"])
        except filters.FilterError as exc:
            raise bad_request(f"The path's value filter: {exc}", "invalidPath") from None
        if len(comparisons) != 1:
            raise bad_request("A path's value filter must be one comparison.", "invalidPath")
        where = comparisons[0]
    return Path(schema, match["attr"].lower(), match["sub"].lower() if match["sub"] else None, where)


# --- Values ---------------------------------------------------------------------------------------


def text(value, *, label: str, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise bad_request(f"{label} must be a string.")
    value = value.strip()
    if required and not value:
        raise bad_request(f"{label} is required.")
    if len(value) > limit:
        raise bad_request(f"{label} is longer than {limit} characters.")
    if not CONTROL_CHARACTERS.isdisjoint(value):
        raise bad_request(f"{label} holds a line break or an invisible control character.")
    return value


def user_name(value) -> str:
    address = text(value, label="userName", limit=USER_NAME_MAX, required=True)
    try:
        validate_email(address)
    except ValidationError:
        raise bad_request(
            "userName must be the person's email address (the one they log in with), e.g. ada@example.com."
        ) from None
    return address.lower()


def boolean(value, *, label: str) -> bool:
    """true/false, or the strings "True"/"False" Microsoft Entra sends in PATCH operations."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise bad_request(f"{label} must be true or false.")


def resource_id(value, *, label: str) -> int:
    """A SCIM id of this server (a person's or the group's): a whole number as a string."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip().isascii() or not value.strip().isdigit():
        raise bad_request(f"{label} must be the id careerpath gave the person, e.g. “42”.")
    if len(value.strip()) > 19 or int(value.strip()) > MAX_ID:
        raise bad_request(f"{label} must be the id careerpath gave the person, e.g. “42”.")
    return int(value.strip())


def manager_id(value) -> int | None:
    """The enterprise extension's manager: {"value": id}, the id alone (Entra), or empty for none."""
    if isinstance(value, dict):
        value = value.get("value")
    if value in (None, ""):
        return None
    return resource_id(value, label="manager.value")


# --- Users ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserFields:
    """What careerpath keeps of a SCIM User. `touched` names the name parts a PATCH set, which decide
    the stored name (`stored_name`)."""

    user_name: str
    formatted: str = ""
    given: str = ""
    family: str = ""
    display: str = ""
    external_id: str = ""
    active: bool = True
    manager: int | None = None
    touched: frozenset[str] = field(default_factory=frozenset)

    def stored_name(self) -> str:
        """The one name careerpath keeps (accounts.User.name), from the parts the request set."""
        given_family = " ".join(part for part in (self.given, self.family) if part)
        if "formatted" in self.touched or not self.touched & {"given", "family", "display"}:
            choice = self.formatted or given_family or self.display
        elif self.touched & {"given", "family"}:
            choice = given_family or self.formatted or self.display
        else:
            choice = self.display or self.formatted or given_family
        if len(choice) > NAME_MAX:
            raise bad_request(f"The name is longer than {NAME_MAX} characters.")
        return choice


def split_name(name: str) -> tuple[str, str]:
    """A stored name as SCIM's givenName and familyName: the first word, and the rest."""
    given, _, family = name.strip().partition(" ")
    return given, family.strip()


def _object(value, label: str) -> dict:
    if not isinstance(value, dict):
        raise bad_request(f"{label} must be a JSON object.", "invalidSyntax")
    return value


def user_fields_from_body(body: dict, *, current: UserFields | None = None) -> UserFields:
    """A whole User, as POST creates it or PUT replaces it: what the body leaves out is empty, except
    `active`, which stays as it is (true for a new person)."""
    body = _object(body, "The body")
    fields = UserFields(user_name="", active=current.active if current else True)
    for key, value in body.items():
        fields = _set_user(fields, key, value, op="replace")
    if not fields.user_name:
        raise bad_request("userName is required.")
    return replace(fields, touched=frozenset())


def _set_user(fields: UserFields, key, value, *, op: str) -> UserFields:
    """One attribute set by a body key or an operation without a path (its value's keys).

    An object under another extension's schema (a provider's custom attributes) is ignored; a
    plain attribute name careerpath does not know is refused."""
    if not isinstance(key, str):
        raise bad_request("Attribute names must be strings.", "invalidSyntax")
    lowered = key.lower()
    if lowered in READ_ONLY:
        return fields
    if lowered == ENTERPRISE_USER.lower():
        for sub_key, sub_value in _object(value, ENTERPRISE_USER).items():
            fields = _apply_user(fields, parse_path(f"{ENTERPRISE_USER}:{sub_key}"), value=sub_value, op=op)
        return fields
    if lowered == CORE_USER.lower():
        for sub_key, sub_value in _object(value, CORE_USER).items():
            fields = _set_user(fields, sub_key, sub_value, op=op)
        return fields
    if lowered.startswith("urn:") and not lowered.startswith((CORE_USER.lower() + ":", ENTERPRISE_USER.lower() + ":")):
        return fields
    return _apply_user(fields, parse_path(key), value=value, op=op)


def _apply_user(fields: UserFields, path: Path, *, value, op: str) -> UserFields:
    remove = op == "remove"
    if path.schema == "enterprise":
        if path.attr == "manager" and path.sub in (None, "value"):
            return replace(fields, manager=None if remove else manager_id(value))
        if path.attr == "manager" and path.sub in ("displayname", "$ref"):
            return fields
        if path.attr in IGNORED_ENTERPRISE and path.where is None:
            return fields
        raise bad_request(f"{ENTERPRISE_USER}:{path.attr} is not an attribute careerpath knows.", "invalidPath")
    if path.attr in IGNORED_USER:
        return fields
    if path.where is not None:
        raise bad_request(f"{path.attr} takes no value filter.", "invalidPath")
    if path.attr == "name":
        if path.sub is None:
            if remove:
                return replace(fields, formatted="", given="", family="", touched=fields.touched | {"formatted"})
            for part, part_value in _object(value, "name").items():
                fields = _apply_user(fields, Path("core", "name", str(part).lower()), value=part_value, op=op)
            return fields
        parts = {"formatted": "formatted", "givenname": "given", "familyname": "family"}
        if path.sub in IGNORED_NAME_PARTS:
            return fields
        if path.sub not in parts:
            raise bad_request(f"name.{path.sub} is not an attribute careerpath knows.", "invalidPath")
        name = parts[path.sub]
        part = "" if remove else text(value, label=f"name.{path.sub}", limit=NAME_MAX)
        return replace(fields, **{name: part}, touched=fields.touched | {name})
    if path.sub is not None:
        raise bad_request(f"{path.attr}.{path.sub} is not an attribute careerpath knows.", "invalidPath")
    if path.attr == "username":
        if remove:
            raise bad_request("userName can't be removed: it is the person's email address.", "mutability")
        return replace(fields, user_name=user_name(value))
    if path.attr == "displayname":
        display = "" if remove else text(value, label="displayName", limit=NAME_MAX)
        return replace(fields, display=display, touched=fields.touched | {"display"})
    if path.attr == "externalid":
        return replace(fields, external_id="" if remove else text(value, label="externalId", limit=EXTERNAL_ID_MAX))
    if path.attr == "active":
        if remove:
            raise bad_request("active can't be removed; set it to false to deactivate the person.", "mutability")
        return replace(fields, active=boolean(value, label="active"))
    if path.attr in READ_ONLY:
        raise bad_request(f"{path.attr} is read-only.", "mutability")
    raise bad_request(f"{path.attr} is not an attribute careerpath knows.", "invalidPath")


def operations_of(body) -> list[tuple[str, str | None, object]]:
    """A PatchOp body's operations as (op, path, value), op lower-cased (Entra writes "Replace")."""
    body = _object(body, "The body")
    schemas = body.get("schemas")
    if not isinstance(schemas, list) or PATCH_SCHEMA not in schemas:
        raise bad_request(f"A PATCH body must name the schema {PATCH_SCHEMA}.", "invalidSyntax")
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise bad_request("A PATCH body needs a list of Operations.", "invalidSyntax")
    if len(operations) > MAX_OPERATIONS:
        raise bad_request(f"A PATCH body may hold at most {MAX_OPERATIONS} operations.", "tooMany")
    found = []
    for operation in operations:
        operation = {str(k).lower(): v for k, v in _object(operation, "Each operation").items()}
        op = operation.get("op")
        if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
            raise bad_request("Each operation's op must be add, replace or remove.", "invalidSyntax")
        path = operation.get("path")
        if path is not None and not isinstance(path, str):
            raise bad_request("An operation's path must be a string.", "invalidPath")
        if op.lower() != "remove" and "value" not in operation:
            raise bad_request(f"The {op} operation needs a value.", "invalidSyntax")
        found.append((op.lower(), path or None, operation.get("value")))
    return found


def user_fields_patch(fields: UserFields, body) -> UserFields:
    """`fields` with a PatchOp body's operations applied, in order."""
    for op, path, value in operations_of(body):
        if path is None:
            if op == "remove":
                raise bad_request("A remove operation needs a path.", "noTarget")
            for key, item in _object(value, "The value of an operation without a path").items():
                fields = _set_user(fields, key, item, op=op)
        else:
            fields = _apply_user(fields, parse_path(path), value=value, op=op)
    return fields


# --- The HR group ---------------------------------------------------------------------------------


def member_ids(value) -> set[int]:
    """[{"value": "42"}, ...] (or one such object) as ids."""
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_MEMBERS:
        raise bad_request(f"At most {MAX_MEMBERS} members at a time.", "tooMany")
    return {resource_id(item, label="members.value") for item in items}


def group_check_name(value, *, name: str) -> None:
    if not isinstance(value, str) or value.strip().lower() != name.lower():
        raise bad_request(f"The group is careerpath's {name} group; its name can't change.", "mutability")


def group_members_from_body(body, *, name: str) -> set[int]:
    """A whole Group, as PUT replaces it: its members (its name must stay the HR group's)."""
    body = _object(body, "The body")
    for key, value in body.items():
        lowered = str(key).lower()
        if lowered == "displayname":
            group_check_name(value, name=name)
        elif lowered not in READ_ONLY | {"members", "externalid"}:
            raise bad_request(f"{str(key)[:100]} is not an attribute of a Group.", "invalidPath")
    return member_ids(body.get("members") or [])


def group_members_patch(members: set[int], body, *, name: str) -> set[int]:
    members = set(members)
    for op, raw_path, value in operations_of(body):
        if raw_path is None:
            if op == "remove":
                raise bad_request("A remove operation needs a path.", "noTarget")
            items = _object(value, "The value of an operation without a path").items()
            steps = [(str(key), item) for key, item in items if str(key).lower() not in READ_ONLY]
        else:
            steps = [(raw_path, value)]
        for key, item in steps:
            path = parse_path(key)
            if path.attr == "displayname" and path.where is None and path.sub is None:
                if op == "remove":
                    raise bad_request("The group's name can't be removed.", "mutability")
                group_check_name(item, name=name)
            elif path.attr == "externalid" and path.where is None:
                continue  # the directory's id for the group: not kept
            elif path.attr == "members" and path.sub in (None, "value"):
                if path.where is not None:
                    if op != "remove" or path.where.attribute != "value":
                        raise bad_request('A members filter is only for removing, as members[value eq "42"].')
                    members.discard(resource_id(path.where.value, label="members.value"))
                elif op == "add":
                    members |= member_ids(item)
                elif op == "replace":
                    members = member_ids(item or [])
                elif item in (None, [], ""):
                    members = set()
                else:
                    members -= member_ids(item)
            else:
                raise bad_request(f"{key[:100]} is not an attribute of a Group.", "invalidPath")
    return members
