"""The SCIM filters identity providers send (RFC 7644 §3.4.2.2), parsed into plain comparisons. Pure.

Okta and Microsoft Entra look people and groups up before creating them, always with `eq`,
sometimes joined by `and`: `userName eq "ada@example.com"`, `externalId eq "00u1"`,
`emails.value eq "ada@example.com"`, `emails[type eq "work"].value eq "ada@example.com"`,
`displayName eq "HR"`, `id eq "7" and members eq "12"`. That is the grammar here: comparisons
with `eq` (of a string, a number, true, false or null) joined by `and`. Anything else (`or`,
`not`, parentheses, other operators) raises FilterError naming what is not supported, answered
as SCIM's `invalidFilter`.
"""

import json
import re
from dataclasses import dataclass

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
SCHEMA_PREFIXES = (CORE_USER, ENTERPRISE_USER, CORE_GROUP)

MAX_FILTER_LENGTH = 1000
OPERATORS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<open>[(\[])
      | (?P<close>[)\]])
      | (?P<word>[A-Za-z0-9$_:.\-]+)
    )""",
    re.VERBOSE,
)
ATTRIBUTE = re.compile(r"^[A-Za-z][\w$-]*(?:\.[A-Za-z][\w$-]*)?$")


def unstorable(text: str) -> bool:
    """Whether `text` holds what no database column can: NUL, or half of a UTF-16 surrogate pair
    (JSON's escapes for code 0 and for a lone surrogate read into such strings)."""
    return "\x00" in text or any(0xD800 <= ord(character) <= 0xDFFF for character in text)


class FilterError(ValueError):
    """A filter that can't be read or asks what this server does not support; the message says which."""


@dataclass(frozen=True)
class Comparison:
    """`attribute eq value`: the attribute lower-cased, without its schema, with its sub-attribute
    (`emails.value`); `where` is a value filter's own comparison (`emails[type eq "work"].value`)."""

    attribute: str
    value: object
    where: "Comparison | None" = None


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FilterError(f"The filter can't be read from character {position + 1}.")
        kind = match.lastgroup
        tokens.append((kind, match[kind]))
        position = match.end()
    return tokens


def attribute_name(raw: str) -> str:
    """`urn:...:User:userName` → `username`; `emails.value` stays two parts. FilterError if it is no name."""
    name = raw
    for prefix in SCHEMA_PREFIXES:
        if raw.lower().startswith(prefix.lower() + ":"):
            name = raw[len(prefix) + 1 :]
            break
    if not ATTRIBUTE.match(name):
        raise FilterError(f"“{raw[:100]}” is not an attribute name.")
    return name.lower()


def _value(kind: str, text: str) -> object:
    if kind == "string":
        try:
            value = json.loads(text)
        except ValueError:
            raise FilterError("A quoted value in the filter is not a valid string.") from None
        if unstorable(value):
            raise FilterError("A value in the filter holds a NUL or an unpaired surrogate character.")
        return value
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text) if "." in text else int(text)
    raise FilterError(f"“{text[:100]}” is not a value: put strings in double quotes.")


def _comparison(tokens: list[tuple[str, str]], index: int) -> tuple[Comparison, int]:
    """One `attr eq value` (the attribute maybe with a [value filter] and a sub-attribute) from `index`."""
    if index >= len(tokens) or tokens[index][0] != "word":
        raise FilterError('The filter should start with an attribute name, e.g. userName eq "ada@example.com".')
    raw = tokens[index][1]
    index += 1
    where = None
    if index < len(tokens) and tokens[index] == ("open", "["):
        where, index = _comparison(tokens, index + 1)
        if index >= len(tokens) or tokens[index] != ("close", "]"):
            raise FilterError("A value filter in brackets is not closed with ].")
        index += 1
        if index < len(tokens) and tokens[index][0] == "word" and tokens[index][1].startswith("."):
            raw += tokens[index][1]
            index += 1
    attribute = attribute_name(raw)
    if index >= len(tokens) or tokens[index][0] != "word":
        raise FilterError(f"After “{raw[:100]}” the filter needs an operator, e.g. eq.")
    operator = tokens[index][1].lower()
    if operator != "eq":
        if operator in OPERATORS:
            raise FilterError(f"Only the eq operator is supported, not {operator}.")
        raise FilterError(f"“{tokens[index][1][:100]}” is not an operator.")
    index += 1
    if index >= len(tokens) or tokens[index][0] not in ("string", "word"):
        raise FilterError(f"“{raw[:100]} eq” needs a value.")
    value = _value(*tokens[index])
    return Comparison(attribute, value, where), index + 1


def parse(text: str) -> list[Comparison]:
    """The comparisons of `text`, all of which must hold (FilterError when it isn't supported)."""
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterError(f"The filter is longer than {MAX_FILTER_LENGTH} characters.")
    tokens = _tokens(text)
    if not tokens:
        raise FilterError("The filter is empty.")
    comparisons, index = [], 0
    while True:
        comparison, index = _comparison(tokens, index)
        comparisons.append(comparison)
        if index == len(tokens):
            return comparisons
        joiner = tokens[index][1].lower() if tokens[index][0] == "word" else tokens[index][1]
        if joiner != "and":
            if joiner in ("or", "not", "(", ")"):
                raise FilterError(f"Only comparisons joined by and are supported, not {joiner}.")
            raise FilterError(f"Unexpected “{tokens[index][1][:100]}” in the filter.")
        index += 1
