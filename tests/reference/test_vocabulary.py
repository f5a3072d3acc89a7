"""The capability vocabulary as people use it: names in either language instead of codes,
suggestions as they type, the cluster's certifications, and terms the coordinator adds."""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.actor import SYSTEM
from upland.audit import AuditEntry
from upland.errors import Invalid
from upland.reference.models import CapabilityTerm
from upland.reference.service import seed_reference
from upland.reference.vocabulary import fold, resolve_term, search_terms
from upland.settings import DEFAULT_PARTNERS


def _shipped() -> list[dict[str, str]]:
    text = (resources.files("upland.data") / "capabilities.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_fold_ignores_case_polish_letters_and_punctuation() -> None:
    assert fold("  Łożyska, TOCZNE! ") == "lozyska toczne"
    assert fold("Obróbka plastyczna blach i tłoczenie") == "obrobka plastyczna blach i tloczenie"


@pytest.mark.parametrize(
    ("typed", "kind", "slug"),
    [
        ("Frezowanie CNC", "process", "cnc-milling"),
        ("frezowanie cnc", "process", "cnc-milling"),
        ("CNC milling", "process", "cnc-milling"),
        ("cnc-milling", "process", "cnc-milling"),
        ("ISO 9001", "certification", "iso-9001"),
        ("obrobka plastyczna blach i tloczenie", "process", "sheet-metal-forming"),
        ("VDA 6.3", "certification", "vda-6-3"),
        ("tisax", "certification", "tisax"),
    ],
)
def test_a_term_is_found_by_either_name_or_its_code(
    session: Session, typed: str, kind: str, slug: str
) -> None:
    assert resolve_term(session, typed, kind, "pl") == slug


def test_an_unknown_term_names_the_closest_ones(session: Session) -> None:
    with pytest.raises(Invalid) as caught:
        resolve_term(session, "Frezowanie CNX", "process", "pl")
    message = caught.value.errors[0].msg.render("pl")
    assert caught.value.errors[0].field == "term"
    assert "Frezowanie CNC" in message and "Frezowanie CNX" in message


def test_suggestions_search_both_languages_without_diacritics(session: Session) -> None:
    assert "Frezowanie CNC" in {t.name for t in search_terms(session, "milling", "pl")}
    assert "Materials laboratory" in {t.name for t in search_terms(session, "materialowe", "en")}
    found = search_terms(session, "iso", "pl", kind="certification")
    assert found and {t.kind for t in found} == {"certification"}
    assert found[0].name.lower().startswith("iso")


def test_the_options_endpoint_gives_datalist_options(session: Session, client: Any) -> None:
    response = client.get("/capability-terms/options?term=wspolrzedno&kind=infrastructure&lang=pl")
    assert response.status_code == 200
    assert '<option value="Współrzędnościowa maszyna pomiarowa">' in response.text
    assert "<script" not in response.text


def test_a_capability_added_by_its_name_gets_the_term(session: Session, client: Any) -> None:
    org = factories.organisation(session, capabilities=[])
    caller = caller_for(session, client, factories.user(session, role="admin", org=org))
    form = {"kind": "certification", "term": "iso 13485", "valid_until": "2030-01-31"}
    response = caller.send("POST", f"/organisations/{org.id}/capabilities", form)
    assert response.status_code == 303, response.text
    session.expire_all()
    term = session.get(CapabilityTerm, org.capabilities[0].term_id)
    assert term is not None and term.slug == "iso-13485"


def test_an_unknown_capability_name_is_refused_beside_the_field(
    session: Session, client: Any
) -> None:
    org = factories.organisation(session, capabilities=[])
    caller = caller_for(session, client, factories.user(session, role="admin", org=org))
    form = {"kind": "process", "term": "Frezowanie CNX"}
    response = caller.send("POST", f"/organisations/{org.id}/capabilities?lang=pl", form)
    assert response.status_code == 422
    assert '<small id="e-term" class="error">' in response.text
    assert "Frezowanie CNC" in response.text and 'value="Frezowanie CNX"' in response.text
    assert org.capabilities == []


CERTIFICATIONS = {
    "tisax": "VDA ISA",
    "as-en-9100": "AS9100",
    "vda-6-1": "VDA 6.1",
    "vda-6-3": "VDA 6.3",
    "vda-6-4": "VDA 6.4",
    "iso-ts-22163": "ISO/TS 22163",
    "en-1090": "EN 1090",
    "iso-13485": "ISO 13485",
    "iatf-16949": "IATF 16949",
}


def test_the_vocabulary_holds_the_certifications_of_the_clusters_suppliers() -> None:
    rows = {row["slug"]: row for row in _shipped()}
    assert len(rows) == len(_shipped()), "a slug is shipped twice"
    for slug, name in CERTIFICATIONS.items():
        assert rows[slug]["kind"] == "certification"
        assert name in rows[slug]["name_pl"] and name in rows[slug]["name_en"]
    assert all(len(r["name_pl"]) <= 120 and len(r["name_en"]) <= 120 for r in rows.values())


def test_seeding_adds_new_shipped_terms_to_an_existing_vocabulary(session: Session) -> None:
    session.delete(
        session.scalars(select(CapabilityTerm).where(CapabilityTerm.slug == "en-1090")).one()
    )
    session.add(CapabilityTerm(kind="process", slug="own-term", name_pl="Własny", name_en="Own"))
    session.flush()
    counts = seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    assert counts["capability_terms"] == 1
    slugs = set(session.scalars(select(CapabilityTerm.slug)))
    assert {"en-1090", "own-term"} <= slugs


def test_the_coordinator_adds_a_term_in_the_web_ui(session: Session, client: Any) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    page = caller.send("GET", "/vocabulary?lang=pl")
    assert page.status_code == 200 and "VDA 6.3 (audyt procesu)" in page.text
    form = {
        "kind": "certification",
        "slug": "iso-22301",
        "name_pl": "ISO 22301 (ciągłość działania)",
        "name_en": "ISO 22301 (business continuity)",
    }
    response = caller.send("POST", "/vocabulary", form)
    assert response.status_code == 303, response.text
    assert resolve_term(session, "ISO 22301", "certification", "pl") == "iso-22301"
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "reference.term.add")
    ).one()
    assert entry.actor_user_id is not None


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"kind": "process", "slug": "Bad Slug", "name_pl": "Coś", "name_en": "Thing"}, "e-slug"),
        ({"kind": "process", "slug": "new-one", "name_pl": "", "name_en": "Thing"}, "e-name_pl"),
        ({"kind": "nonsense", "slug": "new-two", "name_pl": "Coś", "name_en": "Thing"}, "form"),
        ({"kind": "process", "slug": "cnc-milling", "name_pl": "Inne", "name_en": "Other"}, "form"),
        (
            {"kind": "process", "slug": "new-three", "name_pl": "frezowanie cnc", "name_en": "X"},
            "form",
        ),
    ],
)
def test_a_bad_term_is_refused_and_nothing_is_added(
    session: Session, client: Any, form: dict[str, str], field: str
) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    before = len(session.scalars(select(CapabilityTerm.id)).all())
    response = caller.send("POST", "/vocabulary", form)
    assert response.status_code == 422
    assert (
        (f'id="{field}"' in response.text) if field != "form" else 'role="alert"' in response.text
    )
    assert len(session.scalars(select(CapabilityTerm.id)).all()) == before


def test_only_the_coordinator_sees_the_vocabulary_page(session: Session, client: Any) -> None:
    org = factories.organisation(session)
    admin = caller_for(session, client, factories.user(session, role="admin", org=org))
    assert admin.send("GET", "/vocabulary").status_code == 403
    form = {"kind": "process", "slug": "sneaky", "name_pl": "Coś", "name_en": "Thing"}
    assert admin.send("POST", "/vocabulary", form).status_code == 403
    assert (
        session.scalars(select(CapabilityTerm).where(CapabilityTerm.slug == "sneaky")).first()
        is None
    )


def test_a_kind_in_the_address_is_marked_and_an_unknown_one_is_refused_clearly(
    session: Session, client: Any
) -> None:
    """`/vocabulary?kind=…` once marked nothing whatever the kind; now it marks a real kind
    and answers an unknown one with a 422 that names the field and the kinds there are."""
    coordinator = caller_for(session, client, factories.user(session, role="coordinator"))
    marked = coordinator.send("GET", "/vocabulary?kind=material&lang=en")
    assert marked.status_code == 200
    assert '<section id="material" class="marked" aria-current="true">' in marked.text
    assert '<option value="material" selected>' in marked.text
    unknown = coordinator.send("GET", "/vocabulary?kind=welding&lang=en")
    assert unknown.status_code == 422
    assert "Kind: there is no kind “welding”. Choose one of: process" in unknown.text
    assert 'aria-current="true"' not in unknown.text
    polish = coordinator.send("GET", "/vocabulary?kind=welding&lang=pl")
    assert polish.status_code == 422 and "Rodzaj: nie ma rodzaju „welding”" in polish.text
    assert coordinator.send("GET", "/vocabulary").status_code == 200
