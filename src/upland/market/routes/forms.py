"""Turning the opportunity form into the schemas and back: lists written as text ("25.62.Z;
28.30.Z@2007", "Lublin; 06", "5260250995; 12"), capabilities and partnership types as
checkboxes. Every entry the form cannot read becomes a message beside its field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy.orm import Session

from upland.market.models import Opportunity
from upland.organisations import queries as organisations
from upland.reference import queries as reference
from upland.web.forms import list_entries, multi_form

LISTS = ("capabilities_offered", "capabilities_required", "partnership_types")


OpportunityForm = Annotated[dict[str, Any], Depends(multi_form(LISTS))]


def schema_data(session: Session, form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as the schemas take it, and messages for entries that name nothing."""
    data = {k: v for k, v in form.items() if k not in (*LISTS, "pkd", "places", "named")}
    problems: dict[str, str] = {}
    pkd = []
    for entry in list_entries(form.get("pkd")):
        code, at, version = entry.partition("@")
        number = int(version) if version.isascii() and version.isdigit() else version
        pkd.append({"code": code, "version": number if at else 2025})
    data["pkd_codes"] = pkd
    data["capabilities"] = [
        {"term": t, "role": "offered"} for t in form.get("capabilities_offered", [])
    ] + [{"term": t, "role": "required"} for t in form.get("capabilities_required", [])]
    data["partnership_types"] = list(form.get("partnership_types", []))
    places = []
    for entry in list_entries(form.get("places")):
        if entry.isdigit():
            places.append(entry)
            continue
        teryt, _problem = reference.resolve_municipality(session, entry)
        if teryt is None:
            problems["places"] = entry
        else:
            places.append(teryt)
    data["places"] = places
    named = []
    for entry in list_entries(form.get("named")):
        found = organisations.find_organisation_id(session, entry)
        if found is None:
            problems["named"] = entry
        else:
            named.append(found)
    data["named"] = named
    data["anonymous"] = bool(form.get("anonymous"))
    return data, problems


def form_values(opportunity: Opportunity) -> dict[str, Any]:
    """An opportunity as the form shows it."""
    values: dict[str, Any] = {
        c.key: getattr(opportunity, c.key) for c in Opportunity.__table__.columns
    }
    values["pkd"] = "; ".join(
        p.code if p.version == 2025 else f"{p.code}@{p.version}" for p in opportunity.pkd_codes
    )
    values["places"] = "; ".join(p.teryt for p in opportunity.places)
    values["named"] = "; ".join(str(n.organisation_id) for n in opportunity.named)
    values["term_ids_offered"] = {
        c.term_id for c in opportunity.capabilities if c.role == "offered"
    }
    values["term_ids_required"] = {
        c.term_id for c in opportunity.capabilities if c.role == "required"
    }
    return values
