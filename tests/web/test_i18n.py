"""Words: the catalogues hold every msgid the code and templates use, each translated into
Polish; errors carry a msgid, parameters and a code; enum values always read as labels;
pydantic's own wording never reaches a reader."""

from __future__ import annotations

import ast
import html
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland import i18n
from upland.errors import Invalid, NotFound
from upland.i18n import plural_message
from upland.organisations.models import Organisation
from upland.organisations.vocab import (
    CapabilityKind,
    ContactVisibility,
    MembershipStatus,
    OrganisationKind,
    SizeClass,
    SupplyTier,
    Visibility,
)

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "upland"
LOCALE = SRC / "locale"
CONSTRUCTORS = {
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "Gone",
    "InvalidValue",
    "FieldError",
    "ImportFileError",
}


def _catalogue(language: str) -> Any:
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def _keywords() -> list[str]:
    """The extraction keywords exactly as `make messages` passes them."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = re.search(r"^KEYWORDS\s*:=(.*)$", text, re.MULTILINE)
    assert line, "the Makefile names the extraction keywords"
    return shlex.split(line.group(1))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[Any]:
    """The msgids `pybabel extract` finds in the code and templates now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         *_keywords(), "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


# --- the catalogues --------------------------------------------------------------------------


def test_every_msgid_of_the_code_is_in_the_catalogues(extracted: set[Any]):
    for language in i18n.LANGUAGES:
        known = {m.id for m in _catalogue(language) if m.id}
        assert sorted(map(str, extracted - known)) == [], f"run `make messages` ({language})"


def test_the_catalogues_hold_no_obsolete_entries(extracted: set[Any]):
    for language in i18n.LANGUAGES:
        catalogue = _catalogue(language)
        assert list(catalogue.obsolete) == []
        assert sorted(str(m.id) for m in catalogue if m.id and m.id not in extracted) == []


def test_every_msgid_has_a_polish_translation():
    untranslated = [
        m.id
        for m in _catalogue("pl")
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert untranslated == []


def test_polish_translations_keep_the_parameters():
    broken = []
    for m in _catalogue("pl"):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"\{\w+\}|%\(\w+\)s", ids[-1]))
        broken += [s for s in strings if set(re.findall(r"\{\w+\}|%\(\w+\)s", s)) != wanted]
    assert broken == []


def test_polish_plural_forms_follow_cldr():
    said = {
        n: plural_message(
            "must be at least {n} character", "must be at least {n} characters", n=n
        ).render("pl")
        for n in (1, 2, 5, 12, 22)
    }

    assert said == {
        1: "musi mieć co najmniej 1 znak",
        2: "musi mieć co najmniej 2 znaki",
        5: "musi mieć co najmniej 5 znaków",
        12: "musi mieć co najmniej 12 znaków",
        22: "musi mieć co najmniej 22 znaki",
    }


def test_the_results_count_uses_plural_forms(client: TestClient):
    client.cookies.set("lang", "pl")

    page = html.unescape(client.get("/organisations?q=zzzznothing").text)

    assert "0</strong> wyników" in page


# --- errors carry msgid, parameters and code -------------------------------------------------


def _calls() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            is_one = isinstance(node.func, ast.Attribute) and name == "one"
            if name in CONSTRUCTORS or (is_one and getattr(node.func.value, "id", "") == "Invalid"):
                found.append(
                    (f"{path.relative_to(SRC)}:{node.lineno}", name == "FieldError" or is_one, node)
                )
    return found  # fmt: skip


def test_errors_are_raised_with_a_msgid_and_a_code():
    """No f-string or concatenation as the message (it could not be translated), and a stable
    code for API clients on every raise."""
    bad = []
    for where, field_first, call in _calls():
        args = call.args[1:] if field_first else call.args
        if not args:
            continue  # the class itself used as a value, or a subclass's super() call
        if isinstance(args[0], ast.JoinedStr | ast.BinOp) or not any(
            k.arg == "code" for k in call.keywords
        ):
            bad.append(where)
    assert bad == []


def test_messages_are_built_from_literal_msgids():
    """`Message(f"…")` could not be extracted nor translated."""
    bad = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(getattr(node, "func", None), "id", None)
            first = getattr(node, "args", None) or [None]
            if name in {"Message", "N_", "plural_message"} and isinstance(
                first[0], ast.JoinedStr | ast.BinOp
            ):
                bad.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert bad == []


def test_an_error_renders_in_each_language_and_keeps_its_code():
    error = NotFound("organisation {id} does not exist", code="organisation.not_found", id=7)

    assert str(error) == "organisation 7 does not exist"
    assert error.render("pl") == "organizacja 7 nie istnieje"
    assert error.code == "organisation.not_found"


def test_field_errors_render_field_by_field():
    error = Invalid.one("teryt", "unknown municipality TERYT code {teryt}", code="x", teryt="1")

    assert str(error) == "teryt: unknown municipality TERYT code 1"
    assert error.render("pl") == "teryt: nieznany kod TERYT gminy 1"


# --- labels of enum values -------------------------------------------------------------------

ENUMS = {
    "organisation_kind": OrganisationKind,
    "size_class": SizeClass,
    "supply_tier": SupplyTier,
    "membership_status": MembershipStatus,
    "visibility": Visibility,
    "contact_visibility": ContactVisibility,
    "capability_kind": CapabilityKind,
}


@pytest.mark.parametrize("vocabulary", sorted(ENUMS))
def test_every_enum_value_has_a_label(vocabulary: str):
    assert set(i18n.labels_of(vocabulary)) == {e.value for e in ENUMS[vocabulary]}
    for value in ENUMS[vocabulary]:
        assert i18n.label(vocabulary, value, "pl") != i18n.label(vocabulary, value, "en")


def test_roles_have_labels():
    assert {i18n.label("org_role", r, "pl") for r in ("viewer", "editor", "admin")} == {
        "przeglądający",
        "redaktor",
        "administrator",
    }


def _visible_text(page: str) -> str:
    without_tags = re.sub(r"<[^>]*>", " ", page)
    return html.unescape(without_tags)


RAW = sorted(
    {e.value for enum in ENUMS.values() for e in enum if "_" in e.value or e.value[-1].isdigit()}
)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_pages_show_no_raw_enum_values(session: Session, client: TestClient, language: str):
    coordinator = caller_for(session, client, factories.user(session, role="coordinator"))
    orgs: list[Organisation] = []
    for index, kind in enumerate(OrganisationKind):
        tier = list(SupplyTier)[index % len(SupplyTier)]
        membership = list(MembershipStatus)[index % len(MembershipStatus)]
        visibility = list(Visibility)[index % len(Visibility)]
        orgs.append(
            factories.organisation(
                session,
                kind=kind.value,
                supply_tier=tier.value,
                membership_status=membership.value,
                visibility=visibility.value,
                employees=[5, 20, 100, 500, 30, 7][index],
            )
        )
    client.cookies.set("lang", language)
    pages = [coordinator.client.get("/organisations?limit=100").text]
    pages += [coordinator.client.get(f"/organisations/{o.id}").text for o in orgs]
    pages.append(coordinator.client.get(f"/organisations/{orgs[0].id}/edit").text)

    shown = " ".join(_visible_text(page) for page in pages)
    assert [raw for raw in RAW if re.search(rf"\b{raw}\b", shown)] == []
    assert i18n.label("supply_tier", "tier1", language) in shown


# --- pydantic's words never reach a reader ---------------------------------------------------

FORM_CASES = [
    ({"employees": "many"}, "enter a whole number", "wpisz liczbę całkowitą"),
    ({"website": "not a web address"}, "enter a web address", "wpisz adres strony"),
    ({"legal_name": "x" * 301}, "enter at most 300 characters", "wpisz najwyżej 300 znaków"),
    ({"founded_year": "1500"}, "enter a number of at least 1800", "wpisz liczbę nie mniejszą niż"),
    ({"nip": "5260250996"}, "has a wrong check digit", "ma nieprawidłową cyfrę kontrolną"),
]


@pytest.fixture
def coordinator(session: Session, client: TestClient) -> Any:
    return caller_for(session, client, factories.user(session, role="coordinator"))


@pytest.mark.parametrize(("fields", "english", "polish"), FORM_CASES)
@pytest.mark.parametrize("language", ["pl", "en"])
def test_form_errors_say_in_plain_words_what_is_expected(
    session: Session,
    client: TestClient,
    coordinator: Any,
    fields: dict[str, str],
    english: str,
    polish: str,
    language: str,
):
    org = factories.organisation(session)
    client.cookies.set("lang", language)

    response = coordinator.send("POST", f"/organisations/{org.id}/edit", fields)

    text = html.unescape(response.text)
    assert response.status_code == 422
    assert (polish if language == "pl" else english) in text
    assert not re.search(r"String should|Input should|Value error|should match pattern", text)


def test_a_postal_code_in_the_site_form(session: Session, client: TestClient, coordinator: Any):
    org = factories.organisation(session)
    client.cookies.set("lang", "pl")

    response = coordinator.send(
        "POST", f"/organisations/{org.id}/sites", {"teryt": "0663011", "postal_code": "20001"}
    )

    assert "wpisz kod pocztowy w postaci NN-NNN (np. 20-001)" in html.unescape(response.text)


def test_the_api_answers_plain_english_and_pydantic_type_as_code(
    session: Session, client: TestClient, coordinator: Any
):
    org = factories.organisation(session)

    answer = client.patch(
        f"/api/v1/organisations/{org.id}",
        json={"legal_name": "x" * 301, "nip": "5260250996"},
        headers={"authorization": f"Bearer {coordinator.bearer}", "cookie": "lang=pl"},
    )

    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid"
    assert {(e["field"], e["message"], e["code"]) for e in answer.json()["errors"]} == {
        ("legal_name", "enter at most 300 characters", "string_too_long"),
        ("nip", "NIP 5260250996 has a wrong check digit", "nip.invalid"),
    }


def test_a_domain_error_in_the_api_has_english_text_and_a_code(client: TestClient):
    answer = client.get("/api/v1/organisations/999999999", headers={"cookie": "lang=pl"})

    assert answer.json() == {
        "detail": "organisation 999999999 does not exist",
        "code": "organisation.not_found",
    }
