"""Who a notification goes to, as e-mail needs them: the accounts area registers one query
(`register`) giving each account's address, language and whether it is active, so the core
reads people without naming the area that keeps them. The digests join it once per batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

Directory = Callable[[], Select[int, str, str, bool]]
"""A SELECT of (user id, e-mail, language, active), labelled id/email/language/active."""

_directory: list[Directory] = []


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    language: str
    active: bool


def register(directory: Directory) -> None:
    _directory[:] = [directory]


def directory() -> Select[int, str, str, bool]:
    if not _directory:
        raise RuntimeError("no directory of people is registered (import upland.accounts)")
    return _directory[0]()


def get_recipients(session: Session, user_ids: Iterable[int]) -> dict[int, Recipient]:
    """The people with these ids, in one query."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    people = directory().subquery()
    rows = session.execute(
        select(people.c.id, people.c.email, people.c.language, people.c.active).where(
            people.c.id.in_(ids)
        )
    )
    return {row[0]: Recipient(*row) for row in rows}
