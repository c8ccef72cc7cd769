"""Event payloads to JSON-ready values and back, by their type hints: the one place an event's data is read.

Parsing is strict about what a payload needs (a missing field, a malformed id or quantity is a
`PayloadError` naming the field, so the worker dead-letters the message instead of half-applying
it) and lenient about what it does not know (unknown fields are ignored, so an emitter can add a
field before every consumer has been upgraded).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping


class PayloadError(ValueError):
    """An event's data does not match its payload type; `field` names where (dotted, with list positions)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def dump(value: Any) -> Any:
    """A payload (or any part of one) as JSON-ready values: ids and instants as text, quantities kept as Decimal
    (the envelope writes them as JSON numbers)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _field_names(kind)
    if names is not None:
        return {name: dump(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [dump(entry) for entry in value]
    if isinstance(value, Mapping):
        return {str(key): dump(entry) for key, entry in value.items()}
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


# Values that are already what JSON (with Decimal as a number) holds; a 20,000-position import dumps
# 20,000 payloads, so the common case is answered by one set lookup.
_PLAIN = frozenset({str, int, float, bool, Decimal, type(None)})


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names, looked up once per class; None for anything else."""
    if dataclasses.is_dataclass(kind):
        return tuple(field.name for field in dataclasses.fields(kind))
    return None


def load(cls: type, raw: Any, *, path: str = "data") -> Any:
    """`raw` (an event's data, as decoded from JSON) as an instance of the payload dataclass `cls`."""
    if not isinstance(raw, Mapping):
        raise PayloadError(path, "is not an object")
    values = {}
    for field in dataclasses.fields(cls):
        where = f"{path}.{field.name}"
        if field.name in raw:
            values[field.name] = _convert(_hints(cls)[field.name], raw[field.name], where)
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise PayloadError(where, "is missing")
    return cls(**values)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(hint: Any, raw: Any, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if raw is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _convert(inner, raw, where)
    if raw is None:
        raise PayloadError(where, "is null")
    if origin in (list, tuple):
        if not isinstance(raw, list):
            raise PayloadError(where, "is not a list")
        converted = [_convert(args[0], entry, f"{where}[{index}]") for index, entry in enumerate(raw)]
        return tuple(converted) if origin is tuple else converted
    if origin is dict:
        if not isinstance(raw, Mapping):
            raise PayloadError(where, "is not an object")
        return {str(key): _convert(args[1], entry, f"{where}.{key}") for key, entry in raw.items()}
    if dataclasses.is_dataclass(hint):
        return load(hint, raw, path=where)
    return _scalar(hint, raw, where)


def _scalar(hint: Any, raw: Any, where: str) -> Any:
    try:
        if hint is uuid.UUID:
            return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        if hint is Decimal:
            if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
                raise ValueError
            number = Decimal(str(raw))
            if not number.is_finite():
                raise ValueError
            return number
        if hint is dt.datetime:
            moment = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
            # An instant without offset is taken as UTC, like every instant ERDM stores.
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
        if hint is dt.date:
            return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
        if hint is bool:
            if not isinstance(raw, bool):
                raise ValueError
            return raw
        if hint is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ValueError
            return raw
        if hint is str:
            if not isinstance(raw, str):
                raise ValueError
            return raw
        if hint is Any:
            return raw
    except (ValueError, TypeError, InvalidOperation, OverflowError):
        raise PayloadError(where, f"is not a valid {getattr(hint, '__name__', hint)}: {raw!r}") from None
    raise TypeError(f"{where}: payload fields of type {hint!r} are not supported")
