"""From the marketplace's signals to people's notifications. A handler registered with `on`
runs as a job after the commit that published its signal (RQ on Redis, else this process's job
thread), in a transaction of its own: a failure is retried by the queue and never undoes the
change that caused it, and a request never waits for the news it causes.

Nothing is lost on the way: publishing the signal writes a `PendingNews` row in the same
transaction as the change (`upland.signals.record_with`); the job makes the notifications and
stamps the row in one transaction. When the job cannot be queued (Redis down) or keeps
failing, the row stays pending and the scheduled sweep (`deliver_pending`) delivers it. Every
failed try is counted on the row; after `ATTEMPTS` of them the row is parked (kept, logged,
no longer tried), so news that cannot be delivered is neither lost nor retried forever.

Also what the marketplace's notices share: their kinds' wording (titles in the reader's
language, dates written out, labels translated) and who hears news meant for an organisation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from upland import clock, jobs
from upland.accounts import queries as accounts
from upland.db import transaction, utcnow
from upland.i18n import N_, Day, Message, Texts, label_message
from upland.market import signals as market_signals
from upland.market.models import Opportunity, PendingNews
from upland.notifications import kinds
from upland.notifications.kinds import Delivery
from upland.organisations import queries as organisations
from upland.scheduler.registry import Periodic, register
from upland.signals import Signal, Unloadable, load, record_with

log = logging.getLogger(__name__)

CATEGORY = N_("Marketplace")
RETRY_AFTER = (10, 60, 600)  # seconds before each retry of a failed delivery (RQ)
STALE = dt.timedelta(minutes=5)  # news pending this long is the sweep's: its job is not coming
KEPT = dt.timedelta(days=30)  # delivered news is forgotten after this long
ATTEMPTS = 12  # failed tries (the job's and the sweep's) before news is parked
# Characters of JSON one title may take in a notice's params: both titles, a reason of 1 000
# characters and the names around them stay within `notifications.service.MAX_PARAMS`.
TITLE_BUDGET = 600
_QUEUED = "upland_market_news"

Handler = Callable[[Session, Any], None]
_HANDLERS: dict[str, list[Handler]] = {}  # by signal name, in the order registered

# Params that name a label of a vocabulary, rendered in the reader's language.
LABELLED = {"agreement": "partnership_type", "reason_label": "decline_reason"}


def on(signal_type: type[Signal]) -> Callable[[Handler], Handler]:
    """Register `handler(session, signal)` as news about `signal_type`: the owner's notices,
    the saved searches' and the followers' alike. Every handler of a signal runs in the one
    transaction that stamps its pending row, so a failure of any retries all of them and none
    is told twice."""

    def register(handler: Handler) -> Handler:
        name = signal_type.__name__
        if getattr(market_signals, name, None) is not signal_type:
            raise ValueError(f"{name} is not one of the marketplace's signals")
        handlers = _HANDLERS.setdefault(name, [])
        if handler not in handlers:
            handlers.append(handler)
        record_with(signal_type, _record)
        return handler

    return register


def _record(session: Session, signal: Signal) -> None:
    """In the publishing transaction: the news to deliver once it commits."""
    if clock.replaying():
        return  # the demo writing its history: nobody is told of the past
    news = PendingNews(
        signal=type(signal).__name__, fields=dataclasses.asdict(signal), created_at=utcnow()
    )
    session.add(news)
    session.flush()
    session.info.setdefault(_QUEUED, []).append(news.id)


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session: Session) -> None:
    for news_id in session.info.pop(_QUEUED, []):
        try:
            dispatch(news_id)
        except Exception:  # the row stays pending: the sweep delivers it
            log.exception("market news not queued", extra={"news_id": news_id})


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_QUEUED, None)


def dispatch(news_id: int) -> None:
    """Queue the delivery of one signal's news (tests replace this)."""
    jobs.enqueue(f"{__name__}.deliver", news_id, retry_after=RETRY_AFTER)


def deliver(news_id: int) -> bool:
    """The job: every handler of one pending signal and the stamp that it was delivered, in
    one transaction of its own; False when there was nothing (left) to deliver. A failure is
    counted on the row and raised, for the queue to retry, until the row is parked."""
    return _attempt(news_id) == "delivered"


def _attempt(news_id: int) -> str:
    """`deliver`: "delivered", "nothing" (delivered, parked or taken already) or "parked"
    (this failure was its last try); any other failure raises."""
    try:
        with transaction() as session:
            news = session.scalars(
                select(PendingNews)
                .where(
                    PendingNews.id == news_id,
                    PendingNews.delivered_at.is_(None),
                    PendingNews.parked_at.is_(None),
                )
                .with_for_update(skip_locked=True)
            ).one_or_none()
            if news is None:
                return "nothing"
            signal = _signal(news)
            for handler in _HANDLERS.get(news.signal, []):
                handler(session, signal)
            news.delivered_at = utcnow()
            session.flush()
    except Exception as error:
        if _failed(news_id, error, at_once=isinstance(error, Unloadable)):
            return "parked"
        raise
    return "delivered"


def _signal(news: PendingNews) -> Signal:
    """The stored signal as its class now is (`upland.signals.load`); `Unloadable` when the
    class is gone or needs a field the row lacks (changed by a deploy since)."""
    signal_type = getattr(market_signals, news.signal, None)
    if not (isinstance(signal_type, type) and issubclass(signal_type, Signal)):
        raise Unloadable(f"no marketplace signal is called {news.signal} any more")
    return load(signal_type, news.fields)


def _failed(news_id: int, error: Exception, at_once: bool = False) -> bool:
    """Count a failed try of one piece of news; park it after `ATTEMPTS` (`at_once`: now,
    when no retry can help). Whether it was parked."""
    with transaction() as session:
        news = session.get(PendingNews, news_id)
        if news is None or news.delivered_at is not None or news.parked_at is not None:
            return False
        news.attempts += 1
        news.problem = f"{type(error).__name__}: {error}"[:500]
        if at_once or news.attempts >= ATTEMPTS:
            news.parked_at = utcnow()
            log.error(
                "market news parked after %d failed attempt(s): %s",
                news.attempts,
                news.problem,
                exc_info=error,
                extra={"news_id": news_id, "signal": news.signal},
            )
        session.flush()
        return news.parked_at is not None


def deliver_pending(now: dt.datetime | None = None) -> dict[str, int]:
    """The sweep: deliver every piece of news pending longer than `STALE` (its job could not
    be queued, or failed every try), each in its own transaction; a failure waits for the
    next sweep (`failed`), the one that makes `ATTEMPTS` parks the news (`parked`). Parked
    news is kept and not tried again; news delivered more than `KEPT` ago is deleted."""
    now = now or utcnow()
    before = now - STALE
    with transaction() as session:
        old = delete(PendingNews).where(PendingNews.delivered_at < now - KEPT)
        forgotten = session.execute(old).rowcount  # type: ignore[attr-defined]
        waiting = list(
            session.scalars(
                select(PendingNews.id)
                .where(
                    PendingNews.delivered_at.is_(None),
                    PendingNews.parked_at.is_(None),
                    PendingNews.created_at <= before,
                )
                .order_by(PendingNews.id)
            )
        )
    counts = {"delivered": 0, "failed": 0, "parked": 0, "forgotten": forgotten}
    for news_id in waiting:
        try:
            outcome = _attempt(news_id)
        except Exception:
            log.exception("market news not delivered", extra={"news_id": news_id})
            counts["failed"] += 1
        else:
            if outcome != "nothing":
                counts[outcome] += 1
    return counts


register(
    Periodic(
        "market.pending-news",
        f"{__name__}.deliver_pending",
        every=dt.timedelta(minutes=10),
        description="deliver the marketplace's news whose job could not be queued or failed",
    )
)


# --- wording ---------------------------------------------------------------------------------


def localised(params: Mapping[str, Any]) -> dict[str, Any]:
    """The params as a sentence needs them in the reader's language: `title` from the Polish
    and English titles, `*_on` dates written out, labels translated."""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key in ("title_pl", "title_en"):
            continue
        if key.endswith("_on") and isinstance(value, str):
            shown[key] = Day(dt.date.fromisoformat(value))
        elif key in LABELLED and value:
            shown[key] = label_message(LABELLED[key], value)
        else:
            shown[key] = value
    if "title_pl" in params or "title_en" in params:
        shown["title"] = Texts({"pl": params.get("title_pl", ""), "en": params.get("title_en", "")})
    return shown


@dataclasses.dataclass(frozen=True)
class Worded:
    """A kind's sentence with its params localised (`localised`)."""

    msgid: str

    def __call__(self, params: Mapping[str, Any]) -> Message:
        return Message(self.msgid, localised(params))


def kind(
    code: str,
    label: str,
    sentence: str,
    default: Delivery = Delivery.IMMEDIATE,
    describe: Callable[[Mapping[str, Any]], Message] | None = None,
) -> str:
    """Register one of the marketplace's kinds; its code."""
    kinds.register(
        kinds.Kind(
            code,
            category=CATEGORY,
            label=label,
            sentence=sentence,
            default=default,
            describe=describe or Worded(sentence),
        )
    )
    return code


def titled(opportunity: Opportunity, **more: Any) -> dict[str, Any]:
    """The params naming an opportunity by its titles (the reader's language is picked when
    the sentence is read)."""
    return {**titled_params(opportunity.title_pl, opportunity.title_en), **more}


def titled_params(title_pl: str, title_en: str) -> dict[str, str]:
    """Both titles, each cut to `TITLE_BUDGET` characters of JSON (with "…" where cut)."""
    return {"title_pl": _capped(title_pl), "title_en": _capped(title_en)}


def _capped(title: str) -> str:
    if len(json.dumps(title, ensure_ascii=False)) <= TITLE_BUDGET:
        return title
    room = TITLE_BUDGET - len(json.dumps("…", ensure_ascii=False))
    kept = []
    for char in title:
        room -= len(json.dumps(char, ensure_ascii=False)) - 2
        if room < 0:
            break
        kept.append(char)
    return "".join(kept) + "…"


# --- recipients ------------------------------------------------------------------------------


def editors(session: Session, organisation_id: int) -> list[int]:
    """Who may act for an organisation: its active editors and admins."""
    return accounts.editor_ids(session, [organisation_id])[organisation_id]


def coordinators(session: Session) -> list[int]:
    return accounts.coordinator_ids(session)


def person_or_editors(session: Session, user_id: int | None, organisation_id: int) -> list[int]:
    """The person who acted for the organisation while they still belong to it, else whoever
    may act for it now."""
    if user_id is not None and accounts.is_member_of(session, user_id, organisation_id):
        return [user_id]
    return editors(session, organisation_id)


def name_of(session: Session, organisation_id: int) -> str:
    facts = organisations.owner_facts(session, [organisation_id]).get(organisation_id)
    return facts.name if facts else ""
