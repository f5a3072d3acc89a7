"""`upland bench market-digest`: the notification fan-out of saved searches, for 10 000 people.

Generates (fixed seed) the marketplace benchmark's organisations and opportunities, 10 000
people (most in a member organisation, some in none, a few named on restricted opportunities
through their organisation) with one to three saved searches each (type, city of interest, PKD
division, capability, TRL, owner kind and Polish words taken from the demo's products, mixed as
people filter), and a day of newly published opportunities. Then, in the same run:

- **project**: the real code path: `market.saved.fanout.announce` once per published
  opportunity (what each `OpportunityPublished` signal's job does: the set-based match, the
  visibility rule, `notify_each`), then the daily digests as the scheduled job builds them
  (`notifications.delivery.pending_people` + `collect_digests`, 500 people a batch);
- **baseline**: a naive per-person loop: for each person, each of their saved searches run as
  the browse list runs it (`market.queries.filtered` + the visibility condition) over the day's
  opportunities (`matching.naive_matches`), grouped into each person's digest.

Both produce, per person, the opportunities of the day their digest names; they are checked
equal before the times are reported. Prints absolute seconds and the ratio (target >= 10x).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from upland.accounts.models import Membership, User
from upland.bench.harness import (
    Report,
    machine,
    number,
    scratch_postgres,
    sqlite_database,
    write_section,
)
from upland.bench.market_data import SEED, build, settle
from upland.db import make_engine, utcnow
from upland.demo.activities import ACTIVITIES
from upland.market.models import Opportunity
from upland.market.saved import fanout, matching
from upland.market.saved.keys import key_of
from upland.market.saved.models import SavedSearch
from upland.market.search import query_terms
from upland.market.vocab import OpportunityKind
from upland.notifications import delivery
from upland.notifications.models import Delivery
from upland.organisations.models import Organisation
from upland.reference import queries as reference

USERS = 10_000
OPPORTUNITIES = 5_000  # the marketplace before the day
ORGANISATIONS = 1_000
DAY = 200  # opportunities published during the day
TARGET = 10.0
COLUMNS = ("figure", "people", "notified", "project s", "baseline s", "x faster")
WORD = re.compile(r"[a-ząćęłńóśźż]{6,}")
CITIES = ("0663011", "1463011", "2611011", "Lublin", "Radom", "Starachowice")


def _words() -> list[str]:
    """Words people search by: the Polish product names of the demo's activities."""
    found = {w for a in ACTIVITIES for pl, _ in a.products for w in WORD.findall(pl.lower())}
    return sorted(found)


def _search(rng: random.Random, words: list[str], terms: list[str]) -> dict[str, object]:
    """One saved search as people make them: two or three conditions (one alone, such as a
    kind, would bring an eighth of the marketplace every day: nobody keeps such a search)."""
    fields: dict[str, object] = {}
    wanted = rng.choice((2, 2, 3))
    while len(fields.keys() - {"city_teryt"}) < wanted:
        pick = rng.random()
        if pick < 0.25:
            fields["kind"] = rng.choice(list(OpportunityKind)).value
        elif pick < 0.45:
            fields["q"] = rng.choice(words)
        elif pick < 0.6:
            teryt = rng.choice(CITIES[:3])
            fields["city"], fields["city_teryt"] = teryt, teryt
        elif pick < 0.75:
            fields["pkd"] = rng.choice(("25", "28", "29", "22", "C", "27", "33"))
        elif pick < 0.85 and terms:
            fields["capability"] = rng.choice(terms)
        elif pick < 0.93:
            fields["owner_kind"] = rng.choice(("company", "research"))
        else:
            fields["trl_min"] = rng.randint(3, 7)
    return fields


def add_people(engine: Engine, people: int, seed: int = SEED) -> None:
    """`people` accounts, their memberships and saved searches (bulk Core inserts)."""
    rng = random.Random(seed + 1)
    words = _words()
    with Session(engine) as session:
        organisations = list(session.scalars(select(Organisation.id)))
        terms = [t.slug for t in reference.list_capability_terms(session)]
    now = utcnow()
    users, roles, searches = [], [], []
    for n in range(1, people + 1):
        users.append(
            {
                "id": 100_000 + n,
                "email": f"bench{n}@bench.example",
                "full_name": f"Bench {n}",
                "password_hash": None,
                "language": "pl" if rng.random() < 0.8 else "en",
                "created_at": now,
            }
        )
        if rng.random() < 0.85:
            roles.append(
                {
                    "user_id": 100_000 + n,
                    "organisation_id": rng.choice(organisations),
                    "role": "viewer",
                }
            )
        for k in range(rng.randint(1, 3)):
            fields = _search(rng, words, terms)
            columns = {
                c: fields.get(c)
                for c in (
                    "q",
                    "kind",
                    "pkd",
                    "capability",
                    "city",
                    "city_teryt",
                    "trl_min",
                    "owner_kind",
                )
            }
            searches.append(
                {
                    "user_id": 100_000 + n,
                    "name": f"Wyszukiwanie {k + 1}",
                    **columns,
                    "match_key": key_of(columns),
                    "sort": "newest",
                    "created_at": now,
                    "updated_at": now,
                }
            )
    with engine.begin() as connection:
        connection.execute(insert(User), users)
        connection.execute(insert(Membership), roles)
        connection.execute(insert(SavedSearch), searches)


def publish_day(engine: Engine, count: int, on: dt.date, seed: int = SEED) -> list[int]:
    """Make `count` opportunities of the data the day's publications: published today, live."""
    rng = random.Random(seed + 2)
    with Session(engine) as session:
        ids = sorted(session.scalars(select(Opportunity.id)))
    day = sorted(rng.sample(ids, count))
    start = dt.datetime.combine(on, dt.time(7), tzinfo=dt.UTC)
    with engine.begin() as connection:
        for i, opportunity_id in enumerate(day):
            connection.execute(
                update(Opportunity)
                .where(Opportunity.id == opportunity_id)
                .values(
                    status="published",
                    published_at=start + dt.timedelta(minutes=3 * i),
                    expires_on=None,
                    closed_at=None,
                )
            )
    return day


def project(session: Session, day: list[int], on: dt.date) -> dict[int, list[int]]:
    """The real path: one announcement per published opportunity, then the daily digests."""
    for opportunity_id in day:
        fanout.announce(session, [opportunity_id], on)
    now = utcnow()
    digests: dict[int, list[int]] = {}
    after = 0
    while True:
        people = delivery.pending_people(session, Delivery.DAILY, now, after, delivery.BATCH)
        if not people:
            return digests
        for digest in delivery.collect_digests(session, Delivery.DAILY, people, now):
            digests[digest.recipient.id] = sorted(
                int(str(n.link).rsplit("/", 1)[1]) for n in digest.notifications
            )
        after = people[-1]


def baseline(session: Session, day: list[int], on: dt.date) -> dict[int, list[int]]:
    """The naive path: every person's every saved search run over the day's opportunities."""
    digests: dict[int, list[int]] = defaultdict(list)
    for match in matching.naive_matches(session, day, on):
        digests[match.user_id].append(match.opportunity_id)
    return {user: sorted(ids) for user, ids in digests.items()}


def run(
    engine: Engine,
    people: int,
    report: Report,
    progress: Callable[[str], None],
    new: int = DAY,
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Time both paths over the same day (each in a transaction rolled back afterwards);
    their digests, checked equal."""
    on = dt.datetime.now(dt.UTC).date()
    day = publish_day(engine, new, on)
    dialect = engine.dialect.name
    query_terms("frezowanie")  # the lemma dictionaries load once, outside either timing
    with Session(engine) as session:
        progress(f"{dialect}: naive per-person loop over {people} people")
        started = time.perf_counter()
        naive = baseline(session, day, on)
        naive_s = time.perf_counter() - started
        session.rollback()
        progress(f"{dialect}: the real fan-out and digests")
        started = time.perf_counter()
        fast = project(session, day, on)
        fast_s = time.perf_counter() - started
        session.rollback()
    if fast != naive:
        raise AssertionError(
            f"the digests differ: {len(fast)} people vs {len(naive)} by the naive loop"
        )
    notified = sum(len(v) for v in fast.values())
    ratio = naive_s / fast_s if fast_s else float("inf")
    verdict = "met" if ratio >= TARGET else "missed"
    report.line(
        f"[{dialect}] digests for {number(people)} people, {new} new opportunities: "
        f"{number(len(fast))} people told {number(notified)} times; project {fast_s:.2f} s, "
        f"naive loop {naive_s:.2f} s, x{ratio:.1f} (target >= {TARGET:.0f}x {verdict})",
        f"digests, {new} new",
        number(people),
        number(notified),
        f"{fast_s:.2f}",
        f"{naive_s:.2f}",
        f"{ratio:.1f}",
    )
    return fast, naive


def _prepare(
    engine: Engine, people: int, opportunities: int, progress: Callable[[str], None]
) -> None:
    progress(f"generating {opportunities} opportunities and {people} people (seed {SEED})")
    build(engine, opportunities, progress, organisations=ORGANISATIONS)
    add_people(engine, people)
    settle(engine)  # the saved searches' statistics and visibility map, as autovacuum leaves them


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    markdown: Path | None = None,
    opportunities: int = OPPORTUNITIES,
) -> dict[str, Report]:
    """SQLite, and PostgreSQL when `database_url` is given; `rows` is the number of people."""
    people = rows or USERS

    def progress(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr, flush=True)

    print(
        f"market digests: {people} people with saved searches, {DAY} opportunities published in "
        f"a day among {opportunities} (seed {SEED}); the real fan-out + daily digests against a "
        f"naive per-person query loop; target >= {TARGET:.0f}x faster"
    )
    reports: dict[str, Report] = {}
    with sqlite_database("market_digest.db") as url:
        engine = make_engine(url)
        try:
            reports["sqlite"] = Report(f"SQLite, {number(people)} people", COLUMNS)
            _prepare(engine, people, opportunities, progress)
            run(engine, people, reports["sqlite"], progress)
        finally:
            engine.dispose()
    if database_url:
        with scratch_postgres(database_url, f"upland_bench_digest_{os.getpid()}") as scratch:
            engine = make_engine(scratch)
            try:
                reports["postgresql"] = Report(f"PostgreSQL, {number(people)} people", COLUMNS)
                _prepare(engine, people, opportunities, progress)
                run(engine, people, reports["postgresql"], progress)
            finally:
                engine.dispose()
    where = machine()
    print(where)
    if markdown is not None:
        for backend, report in reports.items():
            note = f"_{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {where}._"
            write_section(markdown, f"market-digest-{backend}", f"{report.markdown()}\n\n{note}")
    return reports
