"""Dataclasses to JSON-ready data and back, read from their type hints.

The engines (scoring, advice, the plan generator) return frozen dataclasses that are stored
as JSON (`Result.data`, a proposal in the session). One writer and one reader serve them all:

- `to_data(obj)`: a dataclass becomes a dict of its init fields in field order; tuples and
  lists become lists, sets and frozensets sorted lists, dates and datetimes ISO text, enums
  their value; other values are kept as they are.
- `from_data(cls, data)`: the reverse, guided by `cls`'s type hints: nested dataclasses,
  `tuple[X, ...]`, fixed tuples, `list[X]`, `frozenset[X]`, `dict[str, X]` / `Mapping`,
  `X | None`, enums, `date`, `datetime`. A key missing from `data` takes the field's
  default, so results stored before a field existed still load; unknown keys are ignored.
  Numbers and text are not converted (a stored 1 stays 1, as the hand-written readers did).

The reader and the writer for a class are worked out once from its hints and cached, so
loading or writing a stored result costs about what the hand-written methods did.

`Serialisable` gives a dataclass `to_dict()` and `from_dict()` built on these.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, Self

Decoder = Callable[[Any], Any]


class Serialisable:
    """Mix into a dataclass (it adds no slots) for `to_dict()` and `from_dict()`."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return to_data(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return from_data(cls, data)


def _keep(value: Any) -> Any:
    return value


# --------------------------------------------------------------------------- writing


def to_data(value: Any) -> Any:
    """`value` as plain JSON-ready data (see the module docstring)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _encoder(type(value))(value)
    return _encode_any(value)


def _encode_any(value: Any) -> Any:
    """The writer for a value whose type the hints don't tell (typed `Any`, or a union)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _encoder(type(value))(value)
    if isinstance(value, tuple | list):
        return [_encode_any(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode_any(item) for key, item in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(_encode_any(item) for item in value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return value


PLAIN = (str, int, float, bool, type(None))


@cache
def _encoder(tp: Any) -> Callable[[Any], Any]:
    """A function writing a value of type `tp`, worked out once from the hints (fast for plain fields)."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, _encoder(hints[f.name])) for f in dataclasses.fields(tp) if f.init]

        def encode(value: Any) -> dict[str, Any]:
            out = {}
            for name, field_encoder in fields:
                item = getattr(value, name)
                out[name] = item if field_encoder is _keep else field_encoder(item)
            return out

        return encode
    if tp in PLAIN:
        return _keep
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        if all(option in PLAIN for option in options):
            return _keep
        if len(options) == 1:
            inner = _encoder(options[0])
            return lambda value: None if value is None else inner(value)
    if origin in (tuple, list) and args and ((len(args) == 2 and args[1] is Ellipsis) or origin is list):
        item = _encoder(args[0])
        return list if item is _keep else (lambda value: [item(v) for v in value])
    if origin in (frozenset, set) and args and _encoder(args[0]) is _keep:
        return sorted
    if origin in (dict, Mapping) and len(args) == 2 and args[0] is str:
        item = _encoder(args[1])
        return dict if item is _keep else (lambda value: {key: item(v) for key, v in value.items()})
    return _encode_any


# --------------------------------------------------------------------------- reading


def from_data[T](cls: type[T], data: Mapping[str, Any]) -> T:
    """Build dataclass `cls` from data written by `to_data` (see the module docstring)."""
    return _decoder(cls)(data)


@cache
def _decoder(tp: Any) -> Decoder:
    """A function turning stored data into a value of type `tp`."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        if len(options) == 1:
            inner = _decoder(options[0])
            return lambda value: None if value is None else inner(value)
        return _keep  # int | float and the like: stored as they are
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return _keep_or(lambda value: tuple(item(v) for v in value), args[0], tuple)
        if args:
            items = [_decoder(arg) for arg in args]
            return lambda value: tuple(decode(v) for decode, v in zip(items, value, strict=True))
        return tuple
    if origin in (list, frozenset, set):
        item = _decoder(args[0]) if args else _keep
        return _keep_or(lambda value: origin(item(v) for v in value), args[0] if args else Any, origin)
    if origin in (dict, Mapping) or tp in (dict, Mapping):
        value_decoder = _decoder(args[1]) if args else _keep
        if value_decoder is _keep:
            return dict
        return lambda value: {key: value_decoder(v) for key, v in value.items()}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if tp is datetime:
        return lambda value: value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if tp is date:
        return lambda value: value if isinstance(value, date) else date.fromisoformat(value)
    return _keep


def _keep_or(decode: Decoder, item_type: Any, container: Callable[[Any], Any]) -> Decoder:
    """For containers of plain values, the container's constructor alone (faster, same result)."""
    return container if _decoder(item_type) is _keep else decode


def _dataclass_decoder(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = [
        (f.name, _decoder(hints[f.name]), f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(cls)
        if f.init
    ]

    def decode(data: Mapping[str, Any]) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"{cls.__name__}: expected a mapping, got {type(data).__name__}")
        kwargs = {}
        for name, field_decoder, required in fields:
            if name in data:
                kwargs[name] = field_decoder(data[name])
            elif required:
                raise KeyError(f"{cls.__name__}: the stored data has no {name!r}")
        return cls(**kwargs)

    return decode
