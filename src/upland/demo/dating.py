"""The demo dated to the day it is loaded.

The world and its market history are generated as of a fixed day (`profiles.AS_OF`), so the
same seed gives the same story. Loaded later, that story would end in the past: nothing open,
everything expired. So every date and moment of the world and the history moves by one delta,
taking AS_OF to the day before the load: the story keeps its shape (it grows year by year from
its first spring, as the cluster did from the 2018 letter of intent), its last working day is
yesterday, and nothing in it lies in the future of whoever loads it. Pure: the same load day,
the same dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar, cast

from pydantic import BaseModel

from upland.demo.profiles import AS_OF

T = TypeVar("T")


def delta(on: dt.date) -> dt.timedelta:
    """How far the demo moves when loaded on `on`: AS_OF becomes the day before."""
    return on - dt.timedelta(days=1) - AS_OF


def shifted(value: T, by: dt.timedelta) -> T:
    """`value` with every date and datetime in it (through dataclasses, Pydantic models,
    tuples, lists, sets and dicts) moved by `by`. An object met twice is copied once, so what
    the original shared (a spec two timelines name) the copy shares too."""
    if not by:
        return value
    return cast(T, _shift(value, by, {}))


def _shift(value: Any, by: dt.timedelta, done: dict[int, Any]) -> Any:
    if isinstance(value, dt.date):  # a datetime is a date too
        return value + by
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return value
    if id(value) in done:
        return done[id(value)]
    copy: Any
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        copy = dataclasses.replace(
            value,
            **{
                f.name: _shift(getattr(value, f.name), by, done)
                for f in dataclasses.fields(value)
                if f.init
            },
        )
    elif isinstance(value, BaseModel):
        names = type(value).model_fields
        copy = value.model_copy(update={n: _shift(getattr(value, n), by, done) for n in names})
    elif isinstance(value, tuple | list | set | frozenset):
        copy = type(value)(_shift(item, by, done) for item in value)
    elif isinstance(value, dict):
        copy = {key: _shift(item, by, done) for key, item in value.items()}
    else:
        return value
    done[id(value)] = copy
    return copy
