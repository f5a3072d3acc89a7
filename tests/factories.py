"""Test data made through the services, so every invariant holds as in production."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.orm import Session

from upland.accounts import queries as account_queries
from upland.accounts import service as account_service
from upland.accounts.models import User
from upland.actor import SYSTEM, Actor
from upland.market.models import Opportunity
from upland.market.schemas import OpportunityCreate
from upland.organisations import identifiers
from upland.organisations import service as organisation_service
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationCreate

PASSWORD = "correct-horse-42"
_counter = itertools.count(1)


def make_nip(n: int) -> str:
    """A valid NIP derived from n."""
    return identifiers.nip_at(100_000_000 + n * 7)


def make_regon(n: int) -> str:
    return identifiers.complete_regon(f"{200_000_00 + n * 13:08d}"[-8:])


def organisation(session: Session, actor: Actor = SYSTEM, **overrides: Any) -> Organisation:
    n = next(_counter)
    data: dict[str, Any] = {
        "kind": "company",
        "legal_name": f"Zakład Testowy {n} sp. z o.o.",
        "short_name": f"Testowy {n}",
        "nip": make_nip(n),
        "regon": make_regon(n),
        "employees": 40,
        "description_pl": "Obróbka CNC wałów stalowych i spawanie ram przyczep.",
        "description_en": "CNC machining of steel shafts and welding of trailer frames.",
        "membership_status": "member",
        "visibility": "public",
        "pkd_codes": [{"code": "25.53.Z", "version": 2025, "is_primary": True}],
        "sites": [
            {
                "teryt": "0663011",
                "street": "ul. Testowa 1",
                "postal_code": "20-001",
                "locality": "Lublin",
                "is_headquarters": True,
            }
        ],
        "people": [
            {
                "full_name": f"Jan Testowy {n}",
                "email": f"jan{n}@test.example",
                "phone": "+48 81 555 00 00",
                "contact_visibility": "members",
            }
        ],
        "capabilities": [
            {"kind": "process", "term": "cnc-milling"},
            {"kind": "certification", "term": "iso-9001", "valid_until": "2099-12-31"},
        ],
    }
    data.update(overrides)
    org = organisation_service.create_organisation(session, actor, OrganisationCreate(**data))
    session.flush()
    return org


def user(
    session: Session,
    *,
    email: str | None = None,
    role: str | None = None,
    org: Organisation | None = None,
    teryt: str | None = None,
) -> User:
    n = next(_counter)
    account = account_service.create_user(
        session, SYSTEM, email or f"user{n}@test.example", f"User {n}", PASSWORD
    )
    if role:
        account_service.grant_role(
            session, SYSTEM, account.id, role, org.id if org else None, teryt
        )
    session.flush()
    return account


def actor_of(session: Session, account: User) -> Actor:
    return account_queries.actor_for(session, account)


def opportunity(
    session: Session,
    owner: Organisation,
    actor: Actor | None = None,
    *,
    publish: bool = False,
    **overrides: Any,
) -> Opportunity:
    """A draft opportunity of `owner` made through the service by one of its editors (or
    `actor`); `publish`: submitted and, when review is on, approved by the system."""
    from upland.market import service as market_service

    if actor is None:
        actor = actor_of(session, user(session, role="editor", org=owner))
    data: dict[str, Any] = {
        "kind": "business_offer",
        "owner_id": owner.id,
        "title_pl": "Frezowanie CNC korpusów przekładni",
        "title_en": "CNC milling of gearbox housings",
        "description_pl": "Wolne moce na frezarkach pięcioosiowych, serie od 50 sztuk.",
        "description_en": "Free capacity on five-axis mills, batches from 50 pieces.",
        "visibility": "members",
    }
    data.update(overrides)
    today = dt.datetime.now(dt.UTC).date()
    made = market_service.create_opportunity(session, actor, OpportunityCreate(**data), today=today)
    if publish:
        made = market_service.submit_opportunity(session, actor, made.id)
        if made.status == "submitted":
            made = market_service.approve_opportunity(session, SYSTEM, made.id)
    session.flush()
    return made
