"""The registry's panel on the starting page: an organisation's profile, how complete it is
and what to do next (`upland.panels`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from upland import panels
from upland.actor import Actor, OrgRole
from upland.i18n import N_
from upland.organisations import queries
from upland.organisations.models import Organisation
from upland.organisations.vocab import OrganisationKind

MOST_SHOWN = 3  # organisations per person on the page; a consultant with more uses the list


@dataclass(frozen=True)
class Part:
    """One part of a complete profile: whether it is there, and where to fill it in."""

    key: str
    title: str  # msgid
    done: bool
    link: str


def profile_parts(org: Organisation) -> list[Part]:
    """What a profile partners can find and judge needs: descriptions in both languages,
    codes, places, contacts, capabilities and the basic facts."""
    edit, page = f"/organisations/{org.id}/edit", f"/organisations/{org.id}"
    parts = [
        Part(
            "description_pl",
            N_("Description in Polish"),
            bool(org.description_pl.strip()),
            f"{edit}#f-description_pl",
        ),
        Part(
            "description_en",
            N_("Description in English"),
            bool(org.description_en.strip()),
            f"{edit}#f-description_en",
        ),
        Part("pkd", N_("PKD codes"), bool(org.pkd_codes), f"{edit}#f-pkd"),
        Part("website", N_("Website"), bool(org.website), f"{edit}#f-website"),
        Part(
            "founded_year",
            N_("Year founded"),
            org.founded_year is not None,
            f"{edit}#f-founded_year",
        ),
        Part(
            "employees", N_("Number of employees"), org.employees is not None, f"{edit}#f-employees"
        ),
        Part("sites", N_("Sites"), bool(org.sites), f"{page}#SiteIn"),
        Part(
            "people",
            N_("Contact people"),
            any(p.erased_at is None for p in org.people),
            f"{page}#PersonIn",
        ),
        Part(
            "capabilities",
            N_("Capabilities and certificates"),
            bool(org.capabilities),
            f"{page}#CapabilityIn",
        ),
    ]
    if org.kind == OrganisationKind.COMPANY:
        parts.append(
            Part(
                "supply_tier",
                N_("Supply-chain tier"),
                org.supply_tier is not None,
                f"{edit}#f-supply_tier",
            )
        )
    return parts


def completeness(parts: list[Part]) -> int:
    """Per cent of the parts that are there."""
    return round(100 * sum(p.done for p in parts) / len(parts)) if parts else 100


def _managed(actor: Actor) -> list[int]:
    return sorted(o for o in actor.org_roles if actor.has_role(o, OrgRole.EDITOR))


def _profiles(session: Session, actor: Actor) -> dict[str, Any] | None:
    profiles = []
    for org_id in _managed(actor)[:MOST_SHOWN]:
        org = queries.get_organisation(session, actor, org_id)
        parts = profile_parts(org)
        profiles.append(
            {
                "org": org,
                "parts": parts,
                "missing": [p for p in parts if not p.done],
                "percent": completeness(parts),
                "is_admin": actor.has_role(org.id, OrgRole.ADMIN),
                "no_capacity": org.kind == OrganisationKind.COMPANY
                and not org.capacity_notes.strip(),
            }
        )
    return {"profiles": profiles} if profiles else None


def _edits_a_profile(actor: Actor) -> bool:
    return bool(_managed(actor))


panels.register(
    panels.Panel(
        name="organisations.profile",
        title=N_("Your organisation's profile"),
        applies=_edits_a_profile,
        data=_profiles,
        template="organisations/_panel_profile.html",
        order=10,
    )
)
