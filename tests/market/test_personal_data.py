"""What the marketplace holds about a person is in their data export and goes with erasure."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests import factories

from upland.accounts import queries as account_queries
from upland.accounts import service as account_service
from upland.actor import SYSTEM
from upland.market import service as market


def test_export_and_erasure(session: Session):
    owner, asker = factories.organisation(session), factories.organisation(session)
    author = factories.user(session, role="editor", org=owner)
    asking = factories.user(session, role="viewer", org=asker)
    made = factories.opportunity(
        session, owner, factories.actor_of(session, author), publish=True, visibility="restricted"
    )
    request = market.request_access(
        session, factories.actor_of(session, asking), made.id, asker.id, "Jan Kowalski, tel. 600"
    )

    data = account_queries.personal_data(session, SYSTEM, author.id)["market"]
    assert [o["id"] for o in data["opportunities_created"]] == [made.id]
    asked = account_queries.personal_data(session, SYSTEM, asking.id)["market"]
    assert asked["access_requests"][0]["message"] == "Jan Kowalski, tel. 600"

    account_service.erase_user(session, SYSTEM, author.id)
    account_service.erase_user(session, SYSTEM, asking.id)
    session.flush()
    session.expire_all()
    assert made.created_by_id is None and made.status == "published"
    assert (request.requested_by_id, request.message) == (None, "")
