"""Two UI languages. Templates write English msgids; this catalogue gives the Polish."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("pl", "en")

PL: dict[str, str] = {
    "Organisations": "Organizacje",
    "Organisation": "Organizacja",
    "Registry": "Rejestr",
    "Log in": "Zaloguj",
    "Log out": "Wyloguj",
    "E-mail": "E-mail",
    "Password": "Hasło",
    "Search": "Szukaj",
    "Filter": "Filtruj",
    "Clear": "Wyczyść",
    "Free text": "Szukany tekst",
    "Kind": "Rodzaj",
    "City": "Miasto",
    "Municipality": "Gmina",
    "PKD code": "Kod PKD",
    "Capability": "Kompetencja",
    "Certification": "Certyfikat",
    "Size": "Wielkość",
    "Supply-chain tier": "Poziom w łańcuchu dostaw",
    "Membership": "Członkostwo",
    "Sort": "Sortuj",
    "Name": "Nazwa",
    "Name A–Z": "Nazwa A–Z",
    "Name Z–A": "Nazwa Z–A",
    "Recently updated": "Ostatnio zmienione",
    "Largest first": "Największe najpierw",
    "Oldest first": "Najstarsze najpierw",
    "Any": "Dowolny",
    "Next page": "Następna strona",
    "Previous page": "Poprzednia strona",
    "results": "wyników",
    "No organisations match these filters.": "Żadna organizacja nie spełnia tych kryteriów.",
    "Export": "Eksport",
    "Edit": "Edytuj",
    "Save": "Zapisz",
    "Cancel": "Anuluj",
    "Delete": "Usuń",
    "Remove": "Usuń",
    "Add": "Dodaj",
    "Description": "Opis",
    "Description (Polish)": "Opis (po polsku)",
    "Description (English)": "Opis (po angielsku)",
    "Legal name": "Nazwa prawna",
    "Short name": "Nazwa skrócona",
    "Website": "Strona internetowa",
    "Founded": "Rok założenia",
    "Employees": "Zatrudnienie",
    "Visibility": "Widoczność",
    "Free capacity": "Wolne moce produkcyjne",
    "Sites": "Lokalizacje",
    "People": "Osoby",
    "Capabilities": "Kompetencje",
    "PKD codes": "Kody PKD",
    "Primary": "Główny",
    "Headquarters": "Siedziba",
    "Street": "Ulica",
    "Postal code": "Kod pocztowy",
    "Locality": "Miejscowość",
    "Role": "Funkcja",
    "Phone": "Telefon",
    "Contact data shown to": "Dane kontaktowe widoczne dla",
    "nobody outside the organisation": "nikogo spoza organizacji",
    "cluster members": "członków klastra",
    "everyone": "wszystkich",
    "Valid until": "Ważny do",
    "Valid from": "Ważny od",
    "Notes": "Uwagi",
    "Label": "Etykieta",
    "Term": "Pozycja słownika",
    "Import": "Import",
    "Import organisations": "Import organizacji",
    "File (CSV or XLSX)": "Plik (CSV lub XLSX)",
    "Check the file": "Sprawdź plik",
    "Import the valid rows only": "Importuj tylko poprawne wiersze",
    "Import everything": "Importuj wszystko",
    "Row": "Wiersz",
    "Column": "Kolumna",
    "Value": "Wartość",
    "Problem": "Problem",
    "Audit log": "Dziennik zmian",
    "When": "Kiedy",
    "Who": "Kto",
    "Action": "Czynność",
    "Object": "Obiekt",
    "Before": "Przed",
    "After": "Po",
    "My account": "Moje konto",
    "API tokens": "Tokeny API",
    "New token": "Nowy token",
    "Revoke": "Unieważnij",
    "Download my data (JSON)": "Pobierz moje dane (JSON)",
    "Erase my account": "Usuń moje konto",
    "Sessions": "Sesje",
    "Unknown device": "Nieznane urządzenie",
    "this device": "to urządzenie",
    "logged in": "zalogowano",
    "last seen": "ostatnio aktywna",
    "End": "Zakończ",
    "End all other sessions": "Zakończ wszystkie pozostałe sesje",
    "Users": "Użytkownicy",
    "PKD suggestions": "Podpowiedzi PKD",
    "Describe what the firm does": "Opisz, czym zajmuje się firma",
    "Suggest codes": "Zaproponuj kody",
    "Score": "Trafność",
    "Language": "Język",
    "Page not found": "Nie znaleziono strony",
    "You may not do this": "Brak uprawnień",
    "Please correct the highlighted fields.": "Popraw zaznaczone pola.",
    "Saved.": "Zapisano.",
    "company": "firma",
    "research": "jednostka naukowa",
    "local_government": "samorząd",
    "business_support": "instytucja otoczenia biznesu",
    "school": "szkoła",
    "coordinator": "koordynator klastra",
    "micro": "mikro",
    "small": "mała",
    "medium": "średnia",
    "large": "duża",
    "oem": "OEM",
    "tier1": "Tier 1",
    "tier2": "Tier 2",
    "tier3": "Tier 3",
    "aftermarket": "rynek wtórny",
    "other": "inny",
    "member": "członek",
    "applicant": "kandydat",
    "suspended": "zawieszony",
    "former": "były członek",
    "none": "brak",
    "public": "publiczna",
    "members": "dla członków",
    "restricted": "ograniczona",
    "process": "proces",
    "material": "materiał",
    "certification": "certyfikat",
    "equipment": "wyposażenie",
    "infrastructure": "infrastruktura badawcza",
    "Cooperation platform of the Lublin Automotive and Machinery Upland cluster": (
        "Platforma współpracy klastra Wyżyna Motoryzacyjna i Maszynowa"
    ),
    "Skip to content": "Przejdź do treści",
    "Contact details are hidden.": "Dane kontaktowe są ukryte.",
    "expired": "wygasł",
    "Rows": "Wiersze",
    "to create": "do utworzenia",
    "to update": "do aktualizacji",
    "created": "utworzono",
    "updated": "zaktualizowano",
    "skipped": "pominięto",
    "The file is valid.": "Plik jest poprawny.",
    "Nothing was written.": "Nic nie zapisano.",
    "template": "szablon",
    "Further errors not listed": "Pozostałych błędów nie pokazano",
    "Waiting in the queue": "W kolejce",
    "Running": "W toku",
    "Finished": "Zakończono",
    "Failed": "Nie powiodło się",
    "rows processed": "przetworzone wiersze",
    "Started": "Rozpoczęto",
    "Filter the log": "Filtruj dziennik",
    "Older entries": "Starsze wpisy",
    "Delete this organisation?": "Usunąć tę organizację?",
    "New organisation": "Nowa organizacja",
    "Member since": "Członek od",
    "User accounts": "Konta użytkowników",
    "Access": "Dostęp",
    "access": "dostęp",
    "viewer": "przeglądający",
    "editor": "redaktor",
    "admin": "administrator",
    "Last log-in": "Ostatnie logowanie",
    "Full name": "Imię i nazwisko",
    "account switched off": "konto wyłączone",
    "Remove this person from the organisation?": "Odebrać tej osobie dostęp do organizacji?",
    "Nobody has an account in this organisation yet.": (
        "Nikt nie ma jeszcze konta w tej organizacji."
    ),
    "Add a person": "Dodaj osobę",
    "The person gets an invitation by e-mail and has the access once they accept it. "
    "Adding them again sends a new one. An invitation is valid for 14 days.": (
        "Osoba otrzyma zaproszenie e-mailem i uzyska dostęp, gdy je przyjmie. "
        "Ponowne dodanie wysyła nowe zaproszenie. Zaproszenie jest ważne 14 dni."
    ),
    "What each access allows": "Co daje każdy poziom dostępu",
    "sees the organisation's profile and contact data, including what is hidden from others": (
        "widzi profil organizacji i dane kontaktowe, także te ukryte przed innymi"
    ),
    "also edits the profile, sites, people and capabilities": (
        "ponadto edytuje profil, lokalizacje, osoby i kompetencje"
    ),
    "also manages the user accounts of the organisation": (
        "ponadto zarządza kontami użytkowników organizacji"
    ),
    "Invitation": "Zaproszenie",
    "invites you to the organisation": "zaprasza Cię do organizacji",
    "The cluster's coordinators invite you to the organisation": (
        "Koordynatorzy klastra zapraszają Cię do organizacji"
    ),
    "Choose your password to set up the account": "Wybierz hasło, aby aktywować konto",
    "The link works once, until": "Link działa jeden raz, do",
    "At least 10 characters, letters mixed with digits or symbols.": (
        "Co najmniej 10 znaków, litery razem z cyframi lub symbolami."
    ),
    "Repeat the password": "Powtórz hasło",
    "Set up my account": "Aktywuj moje konto",
    "This link can no longer be used": "Tego linku nie można już użyć",
    "Invitation sent by e-mail. The person gets the access when they accept it.": (
        "Zaproszenie wysłano e-mailem. Osoba uzyska dostęp, gdy je przyjmie."
    ),
    "Invitations not accepted yet": "Zaproszenia jeszcze nieprzyjęte",
    "until": "do",
    "Access offered to you": "Proponowany Ci dostęp",
    "You get the access only if you accept.": "Dostęp otrzymasz tylko wtedy, gdy go przyjmiesz.",
    "Accept": "Przyjmij",
    "Decline": "Odrzuć",
    "Send me notices (for example when my access to an organisation changes)": (
        "Wysyłaj mi powiadomienia (na przykład gdy zmieni się mój dostęp do organizacji)"
    ),
    "Messages about security (invitations, passwords) are always sent.": (
        "Wiadomości dotyczące bezpieczeństwa (zaproszenia, hasła) są wysyłane zawsze."
    ),
    "The address has an account already. Log in as": "Ten adres ma już konto. Zaloguj się jako",
    "and accept the invitation on your account page.": (
        "i przyjmij zaproszenie na stronie swojego konta."
    ),
    "Forgot password?": "Nie pamiętasz hasła?",
    "If the address belongs to an active account, we have e-mailed it a link to set a new "
    "password. The link works once, for an hour.": (
        "Jeśli adres należy do aktywnego konta, wysłaliśmy na niego link do ustawienia nowego "
        "hasła. Link działa jeden raz, przez godzinę."
    ),
    "Send me a link": "Wyślij mi link",
    "New password": "Nowe hasło",
    "Your password has been changed. Log in with the new one.": (
        "Hasło zostało zmienione. Zaloguj się nowym hasłem."
    ),
    "Set the new password": "Ustaw nowe hasło",
    "E-mail notices": "Powiadomienia e-mail",
    "Done: you will get no more notices. Messages about security are still sent. "
    "You can switch notices on again on your account page.": (
        "Gotowe: nie będziesz już dostawać powiadomień. Wiadomości dotyczące bezpieczeństwa "
        "nadal będą wysyłane. Powiadomienia możesz włączyć ponownie na stronie swojego konta."
    ),
    "Stop e-mail notices (for example when your access to an organisation changes)? "
    "Messages about security are still sent.": (
        "Wyłączyć powiadomienia e-mail (na przykład o zmianie dostępu do organizacji)? "
        "Wiadomości dotyczące bezpieczeństwa nadal będą wysyłane."
    ),
    "Stop notices": "Wyłącz powiadomienia",
    "Outbox": "Skrzynka nadawcza",
    "Development mode: e-mails are written here instead of being sent.": (
        "Tryb deweloperski: wiadomości e-mail trafiają tutaj zamiast do adresatów."
    ),
    "No e-mails yet.": "Na razie brak wiadomości.",
}


def translator(language: str) -> Callable[[str], str]:
    if language == "pl":
        return lambda msgid: PL.get(msgid, msgid)
    return lambda msgid: msgid


def negotiate(accept_language: str | None, default: str) -> str:
    """The first supported language of an Accept-Language header, by quality."""
    if not accept_language:
        return default
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, q = piece.partition(";q=")
        try:
            quality = float(q) if q else 1.0
        except ValueError:
            quality = 0.0
        ranked.append((quality, tag.split("-")[0].strip().lower()))
    for _, tag in sorted(ranked, key=lambda item: -item[0]):
        if tag in LANGUAGES:
            return tag
    return default
