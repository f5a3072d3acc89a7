"""Search quality over the demo registry: queries a user would type, judged against forms of the
words written out by hand (independently of the analyser and its override list).

An organisation is relevant when its own text (names, descriptions, capacity, capability labels,
headquarters' town) holds, for every concept of the query, one of the concept's forms. The
bars are reasonable levels for a lemmatiser, not tuned figures; `-s` prints the figures and,
for comparison, those of the previous search (every word a prefix of a folded word).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy.orm import Session, selectinload

from upland.actor import Actor
from upland.organisations import queries
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter
from upland.reference.models import CapabilityTerm, Municipality
from upland.textkit.folding import fold

TODAY = dt.date(2026, 6, 1)
COORDINATOR = Actor(user_id=-1, label="coordinator", is_cluster_member=True, is_coordinator=True)

_CASES = "|".join
EVALUATION: dict[str, list[str]] = {
    "spawanie": [r"spaw(anie|ania|aniu|aniem|ać|a|amy|ane|any|ana|anych)"],
    "spawania": [r"spaw(anie|ania|aniu|aniem|ać|a|amy|ane|any|ana|anych)"],
    "obróbki skrawaniem": [r"obróbk(a|i|ę|ą|ce)", r"skrawani(e|a|u|em)"],
    "maszynach rolniczych": [
        r"maszyn(a|y|ie|ę|ą|o|om|ami|ach)?",
        r"rolnicz(y|a|e|ych|ym|ymi|ej|ą)",
    ],
    "przyczepy": [r"przyczep(a|y|ie|ę|ą|om|ami|ach)?"],
    "autobusów elektrycznych": [
        r"autobus(|y|u|ie|em|ów|om|ami|ach)",
        r"elektryczn(y|a|e|ych|ym|ymi|ej|ą)",
    ],
    "lakierni": [r"lakierni(a|i|ę|ą)"],
    "tokarki": [r"tokar(ka|ki|kę|ką|ce|ek|kami|kach)"],
    "Radomiu": [r"radom(|iu|ia|iem)"],
    "Starachowicach": [r"starachowic(e|ach|ami|om)?"],
    "welded frames": [r"weld(|s|ed|ing|er|ers)", r"frame(|s|d)"],
    "robotic welding": [r"robotic", r"weld(|s|ed|ing)"],
    "agricultural machinery": [r"agricultural", r"machinery"],
    "laser cutters": [r"laser(|s)", r"cutter(|s)"],
}


def _text(org: Organisation, cities: dict[str, str], terms: dict[int, str]) -> str:
    """What the profile shows: names, descriptions, capacity, town, capabilities (own labels
    and vocabulary names)."""
    parts = [org.legal_name, org.short_name, org.description_pl, org.description_en]
    parts += [org.capacity_notes, cities.get(org.teryt or "", "")]
    parts += [c.label for c in org.capabilities]
    parts += [terms.get(c.term_id or 0, "") for c in org.capabilities]
    return " ".join(p for p in parts if p).lower()


def _relevant(text: str, concepts: list[str]) -> bool:
    return all(re.search(rf"(?<!\w)({c})(?!\w)", text) for c in concepts)


def _previous_search(text: str, q: str) -> bool:
    """The search before the analyser: every folded query word begins a folded word."""
    words = fold(text).split()
    return all(any(w.startswith(t) for w in words) for t in fold(q).split())


def _scores(found: dict[str, set[int]], relevant: dict[str, set[int]]) -> tuple[float, float]:
    hits = sum(len(found[q] & relevant[q]) for q in relevant)
    returned = sum(len(found[q]) for q in relevant)
    wanted = sum(len(relevant[q]) for q in relevant)
    return hits / max(returned, 1), hits / max(wanted, 1)


@pytest.fixture
def session(demo_session: Session) -> Session:
    """The demo registry (tests/demo_database.py), loaded once per run."""
    return demo_session


@pytest.fixture
def demo(session: Session) -> dict[int, str]:
    cities = {m.teryt: m.name for m in session.query(Municipality)}
    terms = {t.id: f"{t.name_pl} {t.name_en}" for t in session.query(CapabilityTerm)}
    orgs = session.query(Organisation).options(selectinload(Organisation.capabilities))
    return {o.id: _text(o, cities, terms) for o in orgs}


def test_precision_and_recall_over_the_demo_registry(session, demo, capsys):
    relevant = {q: {i for i, t in demo.items() if _relevant(t, c)} for q, c in EVALUATION.items()}
    assert all(relevant.values()), "every evaluation query has relevant organisations"
    found = {}
    for q in EVALUATION:
        page = queries.list_organisations(
            session, COORDINATOR, OrganisationFilter(q=q), today=TODAY, limit=500
        )
        found[q] = {o.id for o in page.items}
    before = {q: {i for i, t in demo.items() if _previous_search(t, q)} for q in EVALUATION}
    precision, recall = _scores(found, relevant)
    old_precision, old_recall = _scores(before, relevant)
    with capsys.disabled():
        print(f"\nsearch quality: precision {precision:.3f} recall {recall:.3f}")
        print(f"previous search: precision {old_precision:.3f} recall {old_recall:.3f}")
        for q in EVALUATION:
            print(
                f"  {q!r}: relevant {len(relevant[q])}, found {len(found[q])}, "
                f"hits {len(found[q] & relevant[q])}, previously found {len(before[q])}"
            )
    assert recall >= 0.9
    assert precision >= 0.8
