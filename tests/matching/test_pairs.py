"""The fit of two organisations (the network's missing-tie recommendations): what one does is
what the other is scored against, capabilities included."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session
from tests import factories

from upland.matching.pairs import organisation_pairs

TODAY = dt.date.today()
PAINTING = [{"kind": "process", "term": "surface-treatment"}]


def test_shared_capabilities_raise_a_pair_and_are_named(session: Session):
    """Found by the review pass: the pair's need had lost its capabilities when a free
    text's stopped borrowing the asker's."""
    first, second = factories.organisation(session), factories.organisation(session)
    other = factories.organisation(session, capabilities=PAINTING)
    fits = organisation_pairs(session, [(first.id, second.id), (first.id, other.id)], TODAY)
    shared, apart = fits[(first.id, second.id)], fits[(first.id, other.id)]
    assert shared.score > apart.score
    reasons = [m.render("en") for m in shared.explanation.raised]
    assert any(r.startswith("Offers what is needed") for r in reasons), reasons
