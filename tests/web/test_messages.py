"""Error messages in Polish for Polish pages: the catalogue itself, and messages taken from
the places that raise them (so a reworded English message shows up here as untranslated)."""

from __future__ import annotations

import io
import re
import string
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from tests import factories

from upland import controls
from upland.accounts import passwords
from upland.accounts import service as account_service
from upland.accounts.schemas import MemberAdd, UserCreate
from upland.actor import ANONYMOUS, SYSTEM
from upland.errors import Conflict, Invalid, NotFound, UplandError
from upland.organisations import identifiers
from upland.organisations import schemas as organisation_schemas
from upland.organisations import service as organisation_service
from upland.organisations.imports import ImportFileError, import_file, read_rows
from upland.organisations.imports.report import ImportReport
from upland.organisations.schemas import (
    CapabilityIn,
    OrganisationCreate,
    OrganisationUpdate,
    SiteIn,
)
from upland.reference import schemas as reference_schemas
from upland.web.messages import describe, plural, translate, translate_error
from upland.web.messages_pl import PATTERN_HINTS, PYDANTIC, RULES


def _placeholders(template: str) -> Iterator[tuple[str, str]]:
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            yield name, spec or ""


def _message(call: Callable[[], Any]) -> str:
    """The English message the call raises, as a page would get it."""
    try:
        call()
    except ImportFileError as exc:
        return str(exc)
    except Invalid as exc:
        return exc.errors[0].message
    except ValidationError as exc:
        return translate_error(exc.errors()[0], "en")
    except (ValueError, UplandError) as exc:
        return str(exc)
    raise AssertionError("nothing was raised")


# --- the catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "polish"), RULES, ids=[p[:40] for p, _ in RULES])
def test_every_rule_compiles_and_fills_its_placeholders(pattern: str, polish: str):
    groups = re.compile(pattern).groupindex
    for name, spec in _placeholders(polish):
        assert name in groups, f"{{{name}}} is not captured by {pattern}"
        if spec:
            assert len(spec.split("|")) == 3, f"{{{name}:{spec}}} needs one|few|many forms"
            assert f"(?P<{name}>\\d+)" in pattern, f"{{{name}}} takes a plural but not a number"


def test_each_english_pattern_is_listed_once():
    patterns = [pattern for pattern, _ in RULES]
    assert len(patterns) == len(set(patterns))


@pytest.mark.parametrize(("kind", "polish"), sorted(PYDANTIC.items()))
def test_pydantic_templates_use_plural_forms_properly(kind: str, polish: str):
    for name, spec in _placeholders(polish):
        assert name.isidentifier(), kind
        assert not spec or len(spec.split("|")) == 3, kind


def _patterns(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _patterns(item)


def test_every_pattern_a_form_field_uses_is_explained_in_words():
    from upland.accounts import schemas as account_schemas

    used = {
        pattern
        for module in (organisation_schemas, account_schemas, reference_schemas)
        for model in vars(module).values()
        if isinstance(model, type) and issubclass(model, BaseModel) and model is not BaseModel
        for pattern in _patterns(model.model_json_schema())
    }
    assert used, "no patterns found"
    assert sorted(used - set(PATTERN_HINTS) - STATED_FOR_API_CLIENTS) == []


# Patterns only the OpenAPI schema states (json_schema_extra): validators with messages of their
# own enforce them, so pydantic never reports them as a pattern mismatch.
STATED_FOR_API_CLIENTS = {
    controls.LINE_PATTERN,
    controls.TEXT_PATTERN,
    r"\S",
    *(
        str(form["pattern"])
        for form in (
            organisation_schemas.KRS_FORM,
            organisation_schemas.NIP_FORM,
            organisation_schemas.REGON_FORM,
            organisation_schemas.PKD_CODE_FORM,
        )
    ),
    str(organisation_schemas.OrganisationFilter.model_fields["pkd"].json_schema_extra["pattern"]),  # type: ignore[index]
    str(reference_schemas.PkdSuggestRequest.model_fields["text"].json_schema_extra["pattern"]),  # type: ignore[index]
}


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (0, "znaków"),
        (1, "znak"),
        (2, "znaki"),
        (4, "znaki"),
        (5, "znaków"),
        (12, "znaków"),
        (14, "znaków"),
        (22, "znaki"),
        (104, "znaki"),
        (111, "znaków"),
        (1000, "znaków"),
    ],
)
def test_polish_plural_forms(n: int, form: str):
    assert plural(n, "znak", "znaki", "znaków") == form


def test_english_pages_and_unknown_messages_keep_the_english():
    assert translate("wrong e-mail or password", "en") == "wrong e-mail or password"
    assert translate("a message nobody wrote a rule for", "pl") == (
        "a message nobody wrote a rule for"
    )
    assert translate("", "pl") == ""


def test_joined_messages_are_translated_part_by_part():
    assert translate("the file is empty; a message nobody wrote a rule for", "pl") == (
        "plik jest pusty; a message nobody wrote a rule for"
    )


# --- pydantic errors, by type ----------------------------------------------------------------


def _errors(model: type[BaseModel], data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return {".".join(str(p) for p in e["loc"]): dict(e) for e in caught.value.errors()}


def test_pydantic_errors_by_type_and_context():
    errors = _errors(
        OrganisationCreate,
        {
            "kind": "firma",
            "legal_name": "x" * 301,
            "founded_year": "dawno",
            "employees": "-1",
            "website": "nie adres",
            "member_since": "2020-13-45",
            "nip": "5260250996",
            "surprise": 1,
        },
    )
    polish = {field: translate_error(error, "pl") for field, error in errors.items()}
    assert polish == {
        "kind": "wybierz jedną z wartości: 'company', 'research', 'local_government', "
        "'business_support', 'school' lub 'coordinator'",
        "legal_name": "najwyżej 300 znaków",
        "founded_year": "wpisz liczbę całkowitą",
        "employees": "wartość musi wynosić co najmniej 0",
        "website": "wpisz adres strony internetowej, np. https://firma.example",
        "member_since": "wpisz datę w postaci RRRR-MM-DD",
        "nip": "NIP 5260250996 ma nieprawidłową cyfrę kontrolną",
        "surprise": "nieznane pole",
    }
    assert translate_error(errors["nip"], "en") == "NIP 5260250996 has a wrong check digit"


def test_missing_fields_limits_and_patterns():
    site = _errors(SiteIn, {"postal_code": "20001", "latitude": "91"})
    assert translate_error(site["teryt"], "pl") == "pole wymagane"
    assert translate_error(site["postal_code"], "pl") == (
        "wpisz kod pocztowy w postaci NN-NNN (np. 20-001)"
    )
    assert translate_error(site["latitude"], "pl") == "wartość może wynosić najwyżej 90"
    assert translate_error(_errors(SiteIn, {"teryt": "12"})["teryt"], "pl") == (
        "wpisz 7-cyfrowy kod TERYT gminy"
    )
    short = _errors(OrganisationCreate, {"kind": "company", "legal_name": "x"})["legal_name"]
    assert translate_error(short, "pl") == "co najmniej 2 znaki"
    email = _errors(MemberAdd, {"email": "nie-adres"})["email"]
    assert translate_error(email, "pl") == "wpisz adres e-mail w postaci nazwa@firma.example"
    language = _errors(
        UserCreate, {"email": "a@b.pl", "full_name": "A", "password": "p", "language": "de"}
    )
    assert translate_error(language["language"], "pl") == "wybierz pl albo en"
    website = "https://" + "a" * 290 + ".pl/x"
    long = _errors(OrganisationCreate, {"kind": "company", "legal_name": "AB", "website": website})
    assert translate_error(long["website"], "pl") == "adres może mieć najwyżej 300 znaków"


def test_an_unknown_error_type_falls_back_to_english():
    error = {"type": "brand_new_type", "msg": "Something new", "ctx": {"x": 1}}
    assert translate_error(error, "pl") == "Something new"


# --- domain messages, raised where they are raised --------------------------------------------

PURE = [
    (
        lambda: identifiers.clean_nip("5260250996"),
        "NIP 5260250996 ma nieprawidłową cyfrę kontrolną",
    ),
    (lambda: identifiers.clean_nip("123"), "NIP musi mieć 10 cyfr; podano '123'"),
    (lambda: identifiers.clean_regon("12"), "REGON musi mieć 9 lub 14 cyfr; podano '12'"),
    (lambda: identifiers.clean_krs("12a"), "KRS musi mieć 10 cyfr; podano '12a'"),
    (
        lambda: CapabilityIn(kind="process"),  # type: ignore[arg-type]
        "wybierz pozycję ze słownika albo wpisz etykietę",
    ),
    (
        lambda: CapabilityIn(
            kind="process", label="x", valid_from="2024-02-01", valid_until="2024-01-01"
        ),  # type: ignore[arg-type]
        "data „ważny do” jest wcześniejsza niż data „ważny od”",
    ),
    (
        lambda: SiteIn(teryt="0663011", locality="Lub\u202elin"),
        "zawiera znak sterujący lub zmieniający kierunek tekstu (U+202E)",
    ),
]


@pytest.mark.parametrize(("call", "polish"), PURE)
def test_messages_of_identifiers_and_schemas(call: Callable[[], Any], polish: str):
    assert translate(_message(call), "pl") == polish


@pytest.mark.parametrize(
    ("password", "polish"),
    [
        ("krótkie", "musi mieć co najmniej 10 znaków"),
        ("abcdefghijkl", "musi zawierać litery oraz cyfry lub symbole"),
    ],
)
def test_password_strength(password: str, polish: str):
    reason = passwords.check_strength(password)
    assert reason is not None
    assert translate(reason, "pl") == polish


@pytest.mark.parametrize(
    ("report", "polish"),
    [
        (
            ImportReport("valid_only", True, 12, 10, 0, 0, 0, 3, 2),
            "Próbny import (tylko poprawne wiersze) – nic nie zapisano. Import objąłby 12 "
            "wierszy: utworzone 10, zaktualizowane 0, bez zmian 0, pominięte 0; 3 błędy "
            "w 2 wierszach.",
        ),
        (
            ImportReport("all_or_nothing", False, 1, 0, 0, 0, 0, 1, 1),
            "Nic nie zaimportowano: błędy w 1 z 1 wiersza (1 błąd); popraw je i zaimportuj "
            "plik ponownie.",
        ),
        (
            ImportReport("valid_only", False, 22, 21, 1, 0, 0, 0, 0),
            "Zaimportowano 22 wiersze: utworzone 21, zaktualizowane 1, bez zmian 0, "
            "pominięte 0; 0 błędów w 0 wierszach.",
        ),
    ],
)
def test_import_summaries(report: ImportReport, polish: str):
    assert translate(report.summary, "pl") == polish


FILES = [
    (b"", "x.csv", "plik jest pusty"),
    (b"%PDF-1.7 whatever", "x.csv", "to dokument PDF, a nie plik CSV ani .xlsx"),
    (b"\x89PNG\r\n", "x.csv", "to obraz PNG, a nie plik CSV ani .xlsx"),
    (b"\x1f\x8b\x08\x00", "x.csv", "to archiwum gzip, a nie plik CSV ani .xlsx"),
    (b"kind,legal\x00name", "x.csv", "to nie jest plik tekstowy (CSV): zawiera dane binarne "),
    ("kind,legal_name".encode("utf-16"), "x.csv", "to tekst UTF-16 (w Excelu „Tekst Unicode”)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "x.xls", "to stary skoroszyt Excela .xls"),
    (b"kind,legal_name", "x.xlsx", "x.xlsx nie jest skoroszytem Excela .xlsx"),
    (b"PK\x03\x04rest", "x.ods", "można importować tylko pliki CSV i .xlsx"),
    (b"PK\x03\x04rest", "x.xlsx", "nie da się odczytać tego skoroszytu .xlsx ("),
    (
        b"kind|legal_name|nip|teryt\ncompany|A|5260250995|0663011\n",
        "x.csv",
        "kolumny są rozdzielone znakiem '|', który nie jest obsługiwany",
    ),
    (b",,,\n1,2,3\n", "x.csv", "wiersz 1 jest pusty: pierwszy wiersz musi być nagłówkiem"),
    (b"kind,,legal_name\n", "x.csv", "kolumna 2 nie ma nazwy w nagłówku (wiersz 1)"),
    (
        b"kind,legal_name,nip,teryt\r\n,,,\r\n",
        "x.csv",
        "plik ma wiersz nagłówka, ale nie ma wierszy z danymi",
    ),
    (b",".join(b"c%d" % i for i in range(70)) + b"\n", "x.csv", "nagłówek ma 70 kolumn; "),
    (
        b"rodzaj,Foo,kind,legal_name,teryt,bar\n",
        "x.csv",
        "nieznane nazwy kolumn 'Foo' (kolumna 2), 'bar' (kolumna 6); powtórzone kolumny: "
        "kolumny 1 i 3 oznaczają to samo: 'kind'; brak kolumny nip lub regon (potrzebnej, "
        "by przy ponownym imporcie rozpoznać organizacje) (pierwszy wiersz musi być "
        "nagłówkiem; znane kolumny: ",
    ),
    (
        b"kind,legal_name,nip,Foo\n",
        "x.csv",
        "nieznana nazwa kolumny 'Foo' (kolumna 4); brak wymaganej kolumny teryt (pierwszy",
    ),
    (
        b"kind,nip\n",
        "x.csv",
        "brak wymaganych kolumn legal_name, teryt (pierwszy wiersz musi być nagłówkiem",
    ),
    (
        b"kind,legal_name,nip,teryt\n" + bytes(range(0x80, 0x100)) * 40,
        "x.csv",
        "plik nie jest tekstem w kodowaniu UTF-8 ani Windows-1250: nie da się odczytać bajtu "
        "0x80 na pozycji 26 (linia 2); zapisz go jako CSV UTF-8",
    ),
    (
        b"kind,legal_name,nip,teryt\n" + b"company,A,5260250995,0663011\n" * 3000 + b"\xff\n",
        "x.csv",
        "plik nie jest poprawnym tekstem UTF-8: nie da się odczytać bajtu 0xFF na pozycji 87026 "
        "(linia 3002); zapisz cały plik w jednym kodowaniu (najlepiej CSV UTF-8)",
    ),
]


@pytest.mark.parametrize(("content", "name", "polish"), FILES, ids=[f[2][:30] for f in FILES])
def test_messages_about_the_file_as_a_whole(content: bytes, name: str, polish: str):
    message = _message(lambda: list(read_rows(io.BytesIO(content), name)))
    assert translate(message, "pl").startswith(polish), message


@pytest.mark.parametrize(
    ("note", "polish"),
    [
        (
            "columns not imported (written by the export): id, size_class",
            "kolumny pominięte przy imporcie (zapisuje je eksport): id, size_class",
        ),
        (
            "only the first sheet (organisations) was read; other sheets ignored: contacts",
            "odczytano tylko pierwszy arkusz (organisations); pominięto pozostałe: contacts",
        ),
    ],
)
def test_import_notes(note: str, polish: str):
    assert translate(note, "pl") == polish


BAD_ROWS = (
    "kind,legal_name,short_name,nip,regon,krs,website,founded_year,employees,supply_tier,"
    "membership_status,visibility,member_since,pkd,teryt,postal_code,capabilities,"
    "contact_name,contact_email,contact_phone\n"
    "firmaa,Zła Firma,,5260250996,12345,12a,nie adres,dawno,-5,tier9,członek?,tajna,"
    "2020-13-45,99.99.Z;29.32.Z@1999;C,Lubln,20001,frezowanie-xyz,,zly@,abc\n"
    ",A,,,,,,,,,,,,,,,,,,\n"
    f"company,{'D' * 301},{'S' * 121},5260250995,,,,,,,,,,,9999999,,,Jan,,\n"
    "company,Duplikat,,5260250995,,,,,,,,,,,0663011,,,,,,nadmiar\n"
    "company,Linie\u202e,,,123456785,,,,,,,,,,0663011,,,,,\n"
)


def test_every_problem_a_row_can_have_is_translated(session: Session):
    report = import_file(
        session,
        SYSTEM,
        io.BytesIO(BAD_ROWS.encode()),
        filename="zle.csv",
        mode="valid_only",
        dry_run=True,
    )
    messages = {e.message for e in report.errors}
    assert len(messages) >= 25, sorted(messages)
    untranslated = sorted(m for m in messages if translate(m, "pl") == m)
    assert untranslated == []
    polish = {translate(m, "pl") for m in messages}
    assert {
        "brak wymaganego pola kind",
        "brak wymaganego pola nip lub regon (podaj co najmniej jedno z nich)",
        "nieznany kod TERYT gminy 9999999",
        "nieznana gmina 'Lubln'",
        "NIP 5260250995 występuje też w wierszu 4",
        "founded_year musi być liczbą całkowitą od 1800 do 2100",
        "legal_name: za długi tekst (301 znaków, dozwolone najwyżej 300)",
        "wiersz ma 1 wartość na prawo od ostatniej nazwanej kolumny",
        "nieznany kod PKD 2025: 99.99.Z",
    } <= polish


def test_a_row_matching_two_organisations_is_translated(session: Session):
    first, second, third = (factories.organisation(session) for _ in range(3))
    rows = (
        "kind,legal_name,nip,regon,teryt\n"
        f"company,Pomieszana,{third.nip},{second.regon},0663011\n"
        f"company,Pierwsza,{first.nip},,0663011\n"
        f"company,Znowu pierwsza,,{first.regon},0663011\n"
    )
    report = import_file(session, SYSTEM, io.BytesIO(rows.encode()), dry_run=True)
    polish = [translate(e.message, "pl") for e in report.errors]
    assert polish == [
        f"NIP {third.nip} należy do organizacji {third.id} ({third.legal_name}), a REGON "
        f"{second.regon} do organizacji {second.id} ({second.legal_name})",
        f"pasuje do organizacji {first.id} ({first.legal_name}), którą aktualizuje już wiersz 3",
    ]


def _service_messages(session: Session) -> Iterator[tuple[str, str]]:
    org = factories.organisation(session)
    admin = factories.user(session, role="admin", org=org)
    yield (
        _message(lambda: factories.organisation(session, nip=org.nip)),
        "ten NIP jest już zarejestrowany dla innej organizacji; "
        "skontaktuj się z koordynatorem klastra",
    )
    editor = factories.actor_of(session, factories.user(session, role="editor", org=org))
    yield (
        _message(
            lambda: organisation_service.update_organisation(
                session, editor, org.id, OrganisationUpdate(kind="research")
            )
        ),
        "tylko koordynator klastra może zmienić te pola: kind",
    )
    yield (
        _message(
            lambda: organisation_service.add_site(session, SYSTEM, org.id, SiteIn(teryt="9999999"))
        ),
        "nieznany kod TERYT gminy 9999999",
    )
    yield (
        _message(
            lambda: organisation_service.add_capability(
                session, SYSTEM, org.id, CapabilityIn(kind="process", term="iso-9001")
            )
        ),
        "'iso-9001' to certyfikat, a nie proces",
    )
    yield (
        _message(
            lambda: organisation_service.add_capability(
                session, SYSTEM, org.id, CapabilityIn(kind="process", term="nie-ma")
            )
        ),
        "nieznana pozycja słownika kompetencji 'nie-ma'",
    )
    yield (
        _message(lambda: organisation_service.delete_organisation(session, SYSTEM, 10**9)),
        f"organizacja {10**9} nie istnieje",
    )
    yield (
        _message(lambda: account_service.authenticate(session, admin.email, "nie-to", "1.2.3.4")),
        "nieprawidłowy e-mail lub hasło",
    )
    yield (
        _message(
            lambda: account_service.revoke_role(
                session, factories.actor_of(session, admin), admin.id, "admin", org.id
            )
        ),
        f"{admin.email} jest ostatnim administratorem tej organizacji; najpierw nadaj rolę "
        "administratora komuś innemu",
    )
    yield (
        _message(
            lambda: account_service.add_member(session, SYSTEM, org.id, admin.email, "viewer")
        ),
        f"{admin.email} ma już rolę w tej organizacji; zmień ją na liście",
    )
    yield (
        _message(
            lambda: account_service.add_member(session, SYSTEM, org.id, "nie-adres", "viewer")
        ),
        "wpisz adres e-mail w postaci nazwa@firma.example",
    )
    yield (
        _message(
            lambda: account_service.change_member_role(session, SYSTEM, org.id, admin.id, "szef")
        ),
        "nieznana rola 'szef'; wybierz: przeglądający, redaktor lub administrator",
    )
    yield (
        _message(
            lambda: account_service.end_session(session, factories.actor_of(session, admin), 7)
        ),
        "sesja 7 nie jest żadną z twoich aktywnych sesji",
    )
    yield (
        _message(lambda: account_service.create_user(session, SYSTEM, admin.email, "X", "y")),
        f"użytkownik z adresem e-mail {admin.email} już istnieje",
    )
    yield (
        _message(lambda: account_service.cancel_invitation(session, SYSTEM, org.id, 10**6)),
        f"zaproszenie {10**6} nie istnieje",
    )
    yield (
        _message(lambda: account_service.reset_password(session, "x" * 43, "nowe-haslo-2026")),
        "ten link jest nieprawidłowy; sprawdź, czy skopiowano go w całości",
    )
    yield (
        _message(lambda: account_service.accept_offer(session, ANONYMOUS, 1)),
        "zaloguj się, aby odpowiedzieć na propozycję",
    )


def test_messages_of_services(session: Session):
    pairs = list(_service_messages(session))
    assert [translate(english, "pl") for english, _ in pairs] == [polish for _, polish in pairs]


def test_an_error_page_lays_out_fields_as_the_english_does():
    invalid = Invalid.one("file", "unknown upload; upload the file again")
    assert describe(invalid, "pl") == "file: nieznany plik; prześlij go ponownie"
    assert describe(invalid, "en") == str(invalid)
    assert describe(ImportFileError("the file is empty"), "pl") == "plik jest pusty"
    assert describe(NotFound("person 7 does not exist"), "pl") == "osoba 7 nie istnieje"
    assert describe(Conflict("capability term 'x' exists already"), "pl") == (
        "pozycja słownika kompetencji 'x' już istnieje"
    )
