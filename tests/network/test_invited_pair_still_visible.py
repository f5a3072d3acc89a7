"""Attack pass (4 December): the "the cluster invited you to meet" reason must not bring back an
organisation the reader may not see, nor one that opted out of suggestions. The invitation
checks both sides may see each other when it is sent; a profile made restricted (or opted out)
afterwards is out of the reader's suggestions, as `events.suggestions` promises."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.events.world import event, registered
from tests.matching.web import EMBEDDER, embed_all, use_hashing
from tests.matrix import ELSEWHERE
from tests.network.test_recommendations import _world, coordinator

from upland.actor import SYSTEM
from upland.errors import PermissionDenied
from upland.events import suggestions
from upland.network.recommendations import service as invitations
from upland.organisations import queries as organisations
from upland.organisations.schemas import OrganisationUpdate
from upland.organisations.service import update_organisation


@pytest.mark.parametrize(
    "change", [{"visibility": "restricted"}, {"not_suggested": True}], ids=["restricted", "opted"]
)
def test_an_invited_organisation_since_restricted_or_opted_out_is_not_suggested(
    session: Session, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]
) -> None:
    use_hashing(monkeypatch)
    w = _world(session)
    day = event(session)
    invitations.invite_pair(session, coordinator(session), w["one"].id, w["lab"].id)
    registered(session, day.id, w["lab"])
    _, one_user = registered(session, day.id, w["one"])
    embed_all(session)
    update_organisation(session, SYSTEM, w["lab"].id, OrganisationUpdate(**change))
    session.flush()
    if "visibility" in change:
        assert not organisations.visible_organisation_ids(session, one_user, [w["lab"].id])
    found = suggestions.suggest_participants(session, one_user, day, embedder=EMBEDDER)
    assert all(s.participant.registration.organisation_id != w["lab"].id for s in found)


def test_an_officer_without_a_partner_area_invites_no_pair_from_outside(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An officer whose city is no longer a partner (the deployment's areas changed) has no
    area: a pair with an organisation outside every area is not "in" it."""
    event(session)
    outside = factories.organisation(
        session, sites=[{"teryt": "1465011", "is_headquarters": True, "locality": "Warszawa"}]
    )
    lublin = factories.organisation(session)
    officer = factories.actor_of(session, factories.user(session, role="officer", teryt=ELSEWHERE))
    monkeypatch.setattr("upland.network.recommendations.queries.area_of", lambda _actor: None)
    with pytest.raises(PermissionDenied):
        invitations.invite_pair(session, officer, outside.id, lublin.id)
