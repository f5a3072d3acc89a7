"""The Polish catalogue of validation and domain error messages (used by `web.messages`).

RULES pairs a regular expression for a whole English message with its Polish sentence;
`{name}` takes the captured group, `{name:znak|znaki|znaków}` writes a captured number with
the right noun form, and a group named `msg_…` is a message of its own, translated in turn.
Order matters: the first full match wins, so specific sentences come before general ones.
"""

from __future__ import annotations

_CHARS = "znak|znaki|znaków"

RULES: tuple[tuple[str, str], ...] = (
    # --- web plumbing and permissions ---------------------------------------------------------
    (
        r"the form has expired or did not come from this site; reload the page",
        "formularz wygasł albo nie pochodzi z tej strony; odśwież stronę",
    ),
    (r"the API token is unknown or revoked", "token API jest nieznany albo unieważniony"),
    (
        r"internal error; quote request id (?P<id>\S+) when reporting it",
        "błąd wewnętrzny; zgłaszając go, podaj identyfikator żądania {id}",
    ),
    (r"Not Found", "Nie znaleziono"),
    (r"job (?P<id>\d+) not found", "nie znaleziono zadania {id}"),
    (
        r"internal error; the log has the details",
        "błąd wewnętrzny; szczegóły są w dzienniku serwera",
    ),
    (r"Method Not Allowed", "Niedozwolona metoda"),
    (r"you may not edit this organisation", "nie możesz edytować tej organizacji"),
    (
        r"only the cluster coordinator registers organisations",
        "organizacje rejestruje tylko koordynator klastra",
    ),
    (
        r"anonymous may not (?P<permission>[a-z_.]+)",
        "niezalogowany użytkownik nie ma uprawnienia {permission}",
    ),
    (r"(?P<who>.+) may not (?P<permission>[a-z_.]+)", "{who} nie ma uprawnienia {permission}"),
    (r"log in to see your account", "zaloguj się, aby zobaczyć swoje konto"),
    (r"log in first", "najpierw się zaloguj"),
    # --- accounts -----------------------------------------------------------------------------
    (r"wrong e-mail or password", "nieprawidłowy e-mail lub hasło"),
    (
        r"too many failed log-ins; wait a few minutes and try again",
        "zbyt wiele nieudanych prób logowania; odczekaj kilka minut i spróbuj ponownie",
    ),
    (
        r"too many failed log-ins to this account from elsewhere; log in from a place you have "
        r"logged in from before, or try again later",
        "zbyt wiele nieudanych prób logowania na to konto z innych miejsc; zaloguj się z miejsca, "
        "z którego logowano się już wcześniej, albo spróbuj później",
    ),
    (
        r"session (?P<id>\d+) is not one of your active sessions",
        "sesja {id} nie jest żadną z twoich aktywnych sesji",
    ),
    (r"must be at least (?P<n>\d+) characters", "musi mieć co najmniej {n:" + _CHARS + "}"),
    (r"must mix letters with digits or symbols", "musi zawierać litery oraz cyfry lub symbole"),
    (r"the two passwords differ", "podane hasła się różnią"),
    (
        r"enter an e-mail address like name@firm\.example",
        "wpisz adres e-mail w postaci nazwa@firma.example",
    ),
    (r"enter the full name", "wpisz imię i nazwisko"),
    (
        r"at most (?P<n>\d+) characters, no control characters",
        "najwyżej {n:" + _CHARS + "}, bez znaków sterujących",
    ),
    (
        r"the role must be viewer, editor or admin, not (?P<role>.+)",
        "nieznana rola {role}; wybierz: przeglądający, redaktor lub administrator",
    ),
    (
        r"(?P<email>\S+) has a role here already; change it in the list",
        "{email} ma już rolę w tej organizacji; zmień ją na liście",
    ),
    (
        r"(?P<email>\S+) has an account already; give it a role instead",
        "{email} ma już konto; zamiast zapraszać, nadaj mu rolę",
    ),
    (
        r"(?P<email>\S+) is the last admin of this organisation; make someone else admin first",
        "{email} jest ostatnim administratorem tej organizacji; "
        "najpierw nadaj rolę administratora komuś innemu",
    ),
    (
        r"a user with e-mail (?P<email>\S+) exists already",
        "użytkownik z adresem e-mail {email} już istnieje",
    ),
    (r"no user with e-mail (?P<email>.+)", "nie ma użytkownika z adresem e-mail {email}"),
    (r"role (?P<role>\S+) needs an organisation", "rola {role} wymaga wskazania organizacji"),
    (
        r"a city officer needs a known municipality TERYT, got (?P<teryt>.+)",
        "urzędnik miasta musi mieć znany kod TERYT gminy; podano {teryt}",
    ),
    (r"unknown role (?P<role>.+)", "nieznana rola {role}"),
    (
        r"user (?P<user>\d+) has no role in organisation (?P<org>\d+)",
        "użytkownik {user} nie ma roli w organizacji {org}",
    ),
    (
        r"this invitation link is not valid; check that you copied all of it",
        "ten link z zaproszeniem jest nieprawidłowy; sprawdź, czy skopiowano go w całości",
    ),
    (
        r"this invitation has been used already; log in instead",
        "to zaproszenie zostało już wykorzystane; zaloguj się",
    ),
    (
        r"this invitation has expired; ask the organisation for a new one",
        "to zaproszenie wygasło; poproś organizację o nowe",
    ),
    (
        r"this invitation is no longer valid; ask the organisation for a new one",
        "to zaproszenie straciło ważność; poproś organizację o nowe",
    ),
    (
        r"this offer has changed since the page was shown; look at it again",
        "ta propozycja zmieniła się od wyświetlenia strony; obejrzyj ją jeszcze raz",
    ),
    (
        r"someone else changed this at the same time; reload and try again",
        "ktoś inny zmienił to w tej samej chwili; odśwież stronę i spróbuj ponownie",
    ),
    (
        r"this account is set up already; log in instead",
        "to konto jest już aktywne; zaloguj się",
    ),
    (
        r"this e-mail address has an account; log in and accept on your account page",
        "ten adres e-mail ma już konto; zaloguj się i przyjmij zaproszenie na stronie konta",
    ),
    (r"invitation (?P<id>\d+) does not exist", "zaproszenie {id} nie istnieje"),
    (r"you have a role in this organisation already", "masz już rolę w tej organizacji"),
    (r"log in to answer an offer", "zaloguj się, aby odpowiedzieć na propozycję"),
    (
        r"too many requests for a new password; wait an hour and try again",
        "zbyt wiele próśb o nowe hasło; odczekaj godzinę i spróbuj ponownie",
    ),
    (
        r"this link is not valid; check that you copied all of it",
        "ten link jest nieprawidłowy; sprawdź, czy skopiowano go w całości",
    ),
    (
        r"this link has been used or replaced by a newer one; ask for a new one",
        "ten link został już użyty albo zastąpiony nowszym; poproś o nowy",
    ),
    (r"this link has expired; ask for a new one", "ten link wygasł; poproś o nowy"),
    (r"there is no such page", "nie ma takiej strony"),
    (
        r"the outbox is for the coordinators and platform admins",
        "skrzynka nadawcza jest dla koordynatorów i administratorów platformy",
    ),
    # --- objects that do not exist ------------------------------------------------------------
    (r"organisation (?P<id>\d+) does not exist", "organizacja {id} nie istnieje"),
    (r"user (?P<id>\d+) does not exist", "użytkownik {id} nie istnieje"),
    (r"person (?P<id>\d+) does not exist", "osoba {id} nie istnieje"),
    (r"site (?P<id>\d+) does not exist", "lokalizacja {id} nie istnieje"),
    (r"organisation_capability (?P<id>\d+) does not exist", "kompetencja {id} nie istnieje"),
    (r"token (?P<id>\d+) does not exist", "token {id} nie istnieje"),
    # --- registry: profiles, identifiers, sites, capabilities ---------------------------------
    (
        r"this (?P<name>NIP|REGON) is already registered for another organisation; "
        r"contact the cluster coordinator",
        "ten {name} jest już zarejestrowany dla innej organizacji; skontaktuj się z koordynatorem "
        "klastra",
    ),
    (
        r"only the cluster coordinator may change these fields: (?P<fields>.+)",
        "tylko koordynator klastra może zmienić te pola: {fields}",
    ),
    (
        r"(?P<name>NIP|REGON) (?P<value>\S+) has a wrong check digit",
        "{name} {value} ma nieprawidłową cyfrę kontrolną",
    ),
    (
        r"(?P<name>NIP|REGON|KRS) must be (?P<n>\d+) digits, got (?P<value>.*)",
        "{name} musi mieć {n:cyfrę|cyfry|cyfr}; podano {value}",
    ),
    (
        r"(?P<name>NIP|REGON|KRS) must be (?P<a>\d+) or (?P<n>\d+) digits, got (?P<value>.*)",
        "{name} musi mieć {a} lub {n:cyfrę|cyfry|cyfr}; podano {value}",
    ),
    (r"(?P<name>NIP|REGON) (?P<value>.+) is not valid \(.*\)", "{name} {value} jest nieprawidłowy"),
    (
        r"the address is longer than (?P<n>\d+) characters",
        "adres jest dłuższy niż {n:" + _CHARS + "}",
    ),
    (
        r"contains a control or direction-override character \((?P<code>U\+[0-9A-F]+)\)",
        "zawiera znak sterujący lub zmieniający kierunek tekstu ({code})",
    ),
    (
        r"(?P<code>\S+) is not a PKD (?P<version>\d+) class or subclass",
        "{code} nie jest klasą ani podklasą PKD {version}",
    ),
    (r"only one PKD code can be primary", "tylko jeden kod PKD może być główny"),
    (
        r"(?P<code>.+) is not a PKD code \(e\.g\. C, 29, 29\.3, 29\.32, 29\.32\.Z\)",
        "{code} nie jest kodem PKD (np. C, 29, 29.3, 29.32, 29.32.Z)",
    ),
    (r"unknown municipality TERYT code (?P<code>\S+)", "nieznany kod TERYT gminy {code}"),
    (r"unknown TERYT municipality codes: (?P<codes>.+)", "nieznane kody TERYT gmin: {codes}"),
    (r"unknown municipality (?P<name>.+)", "nieznana gmina {name}"),
    (r"give a vocabulary term or a label", "wybierz pozycję ze słownika albo wpisz etykietę"),
    (
        r"valid_until is before valid_from",
        "data „ważny do” jest wcześniejsza niż data „ważny od”",
    ),
    (
        r"unknown capability term (?P<term>.+)",
        "nieznana pozycja słownika kompetencji {term}",
    ),
    (
        r"(?P<term>'.*'|\".*\") is an? (?P<msg_kind>\w+), not an? (?P<msg_wanted>\w+)",
        "{term} to {msg_kind}, a nie {msg_wanted}",
    ),
    (
        r"capability term (?P<slug>.+) exists already",
        "pozycja słownika kompetencji {slug} już istnieje",
    ),
    (
        r"the page cursor is damaged; start from the first page",
        "wskaźnik strony jest uszkodzony; zacznij od pierwszej strony",
    ),
    (
        r"describe what the company does in at least a few words",
        "opisz w kilku słowach, czym zajmuje się firma",
    ),
    # --- import: the upload and the file as a whole -------------------------------------------
    (r"choose a CSV or XLSX file", "wybierz plik CSV lub XLSX"),
    (r"unknown upload; upload the file again", "nieznany plik; prześlij go ponownie"),
    (
        r"the uploaded file has expired; upload it again",
        "przesłany plik wygasł; prześlij go ponownie",
    ),
    (r"the file is larger than (?P<n>\d+) MB", "plik jest większy niż {n} MB"),
    (r"the file is empty", "plik jest pusty"),
    (
        r"the file has a header but no data rows",
        "plik ma wiersz nagłówka, ale nie ma wierszy z danymi",
    ),
    (
        r"columns not imported \(written by the export\): (?P<names>.+)",
        "kolumny pominięte przy imporcie (zapisuje je eksport): {names}",
    ),
    (
        r"only the first sheet \((?P<sheet>.+)\) was read; other sheets ignored: (?P<names>.+)",
        "odczytano tylko pierwszy arkusz ({sheet}); pominięto pozostałe: {names}",
    ),
    (
        r"this is an old Excel \.xls workbook, which is not supported: open it in a spreadsheet "
        r"program and save it as \.xlsx \(Excel workbook\) or CSV UTF-8, then import that file",
        "to stary skoroszyt Excela .xls, który nie jest obsługiwany: otwórz go w arkuszu "
        "kalkulacyjnym, zapisz jako .xlsx (skoroszyt programu Excel) lub CSV UTF-8 "
        "i zaimportuj nowy plik",
    ),
    (
        r"only CSV and \.xlsx files can be imported; save the sheet as \.xlsx or CSV",
        "można importować tylko pliki CSV i .xlsx; zapisz arkusz jako .xlsx lub CSV",
    ),
    (r"(?P<name>.+) is not an Excel \.xlsx workbook", "{name} nie jest skoroszytem Excela .xlsx"),
    (
        r"this is an? (?P<format>.+) document, not a CSV or \.xlsx file",
        "to dokument {format}, a nie plik CSV ani .xlsx",
    ),
    (
        r"this is an? (?P<format>.+) image, not a CSV or \.xlsx file",
        "to obraz {format}, a nie plik CSV ani .xlsx",
    ),
    (
        r"this is an? (?P<format>.+) archive, not a CSV or \.xlsx file",
        "to archiwum {format}, a nie plik CSV ani .xlsx",
    ),
    (
        r"this is UTF-16 text \(Excel's 'Unicode text'\), which is not supported: "
        r"save the sheet as 'CSV UTF-8' or \.xlsx",
        "to tekst UTF-16 (w Excelu „Tekst Unicode”), który nie jest obsługiwany: "
        "zapisz arkusz jako „CSV UTF-8” lub .xlsx",
    ),
    (
        r"this is not a text \(CSV\) file: it holds binary data "
        r"\(a zero byte at offset (?P<offset>\d+)\)",
        "to nie jest plik tekstowy (CSV): zawiera dane binarne (bajt zerowy na pozycji {offset})",
    ),
    (
        r"row (?P<row>\d+) \(line (?P<line>\d+)\) cannot be read as CSV: (?P<reason>.+)",
        "wiersza {row} (linia {line}) nie da się odczytać jako CSV: {reason}",
    ),
    (
        r"row (?P<row>\d+) cannot be read as CSV: (?P<reason>.+)",
        "wiersza {row} nie da się odczytać jako CSV: {reason}",
    ),
    (
        r"the file is neither UTF-8 nor Windows-1250 text: undecodable byte (?P<byte>0x[0-9A-F]+) "
        r"at offset (?P<offset>\d+) \(line (?P<line>\d+)\); save it as CSV UTF-8",
        "plik nie jest tekstem w kodowaniu UTF-8 ani Windows-1250: nie da się odczytać bajtu "
        "{byte} na pozycji {offset} (linia {line}); zapisz go jako CSV UTF-8",
    ),
    (
        r"the file is not valid (?P<encoding>UTF-8|Windows-1250): byte (?P<byte>0x[0-9A-F]+) at "
        r"offset (?P<offset>\d+) \(line (?P<line>\d+)\) cannot be decoded; save the whole file "
        r"in one encoding \(CSV UTF-8 is best\)",
        "plik nie jest poprawnym tekstem {encoding}: nie da się odczytać bajtu {byte} na pozycji "
        "{offset} (linia {line}); zapisz cały plik w jednym kodowaniu (najlepiej CSV UTF-8)",
    ),
    (
        r"the file is not valid (?P<encoding>UTF-8|Windows-1250): byte (?P<byte>0x[0-9A-F]+) at "
        r"offset (?P<offset>\d+) cannot be decoded",
        "plik nie jest poprawnym tekstem {encoding}: nie da się odczytać bajtu {byte} "
        "na pozycji {offset}",
    ),
    (
        r"the file is not valid (?P<encoding>UTF-8|Windows-1250): (?P<reason>.+)",
        "plik nie jest poprawnym tekstem {encoding}: {reason}",
    ),
    (
        r"the columns are separated by '\|', which is not supported \(it separates PKD codes "
        r"inside a cell\): save the file with commas, semicolons or tabs between columns",
        "kolumny są rozdzielone znakiem '|', który nie jest obsługiwany (rozdziela kody PKD "
        "w komórce): zapisz plik z przecinkami, średnikami lub tabulatorami między kolumnami",
    ),
    (
        r"this is not a readable \.xlsx workbook \((?P<reason>.*)\)",
        "nie da się odczytać tego skoroszytu .xlsx ({reason})",
    ),
    (r"the workbook has no sheets", "skoroszyt nie ma arkuszy"),
    (r"the first sheet is empty", "pierwszy arkusz jest pusty"),
    # --- import: the header row ---------------------------------------------------------------
    (
        r"row 1 is empty: the first row must be the header with the column names "
        r"\((?P<columns>.+), nip or regon, …\)",
        "wiersz 1 jest pusty: pierwszy wiersz musi być nagłówkiem z nazwami kolumn "
        "({columns}, nip lub regon, …)",
    ),
    (
        r"the header has (?P<n>\d+) columns; at most (?P<max>\d+) are allowed "
        r"\(known columns: (?P<columns>.+)\)",
        "nagłówek ma {n:kolumnę|kolumny|kolumn}; dozwolonych jest najwyżej {max} "
        "(znane kolumny: {columns})",
    ),
    (
        r"column (?P<n>\d+) has no name in the header \(row 1\)",
        "kolumna {n} nie ma nazwy w nagłówku (wiersz 1)",
    ),
    (
        r"(?P<msg_problems>.+) \(the first row must be the header; "
        r"known columns: (?P<columns>[^()]+)\)",
        "{msg_problems} (pierwszy wiersz musi być nagłówkiem; znane kolumny: {columns})",
    ),
    # Parts of that header message, which joins its problems with "; ".
    (
        r"unknown column (?P<cell>[^;]+) \(column (?P<n>\d+)\)",
        "nieznana nazwa kolumny {cell} (kolumna {n})",
    ),
    (
        r"unknown columns (?P<msg_cells>[^;]+\(column \d+\))",
        "nieznane nazwy kolumn {msg_cells}",
    ),
    (
        r"(?P<cell>'[^;]*?'|\"[^;]*?\") \(column (?P<n>\d+)\), (?P<msg_more>[^;]+)",
        "{cell} (kolumna {n}), {msg_more}",
    ),
    (r"(?P<cell>'[^;]*'|\"[^;]*\") \(column (?P<n>\d+)\)", "{cell} (kolumna {n})"),
    (
        r"duplicated columns: (?P<msg_pair>columns \d+ and \d+ both mean .+)",
        "powtórzone kolumny: {msg_pair}",
    ),
    (
        r"columns (?P<a>\d+) and (?P<b>\d+) both mean (?P<name>.+)",
        "kolumny {a} i {b} oznaczają to samo: {name}",
    ),
    (r"missing required column (?P<column>\w+)", "brak wymaganej kolumny {column}"),
    (r"missing required columns (?P<columns>[\w, ]+)", "brak wymaganych kolumn {columns}"),
    (
        r"missing column nip or regon \(needed to recognise organisations on re-import\)",
        "brak kolumny nip lub regon (potrzebnej, by przy ponownym imporcie rozpoznać organizacje)",
    ),
    # --- import: rows -------------------------------------------------------------------------
    (
        r"missing required field nip or regon \(give at least one\)",
        "brak wymaganego pola nip lub regon (podaj co najmniej jedno z nich)",
    ),
    (r"missing required field (?P<column>\w+)", "brak wymaganego pola {column}"),
    (
        r"unknown (?P<column>kind|supply_tier|membership_status|visibility) (?P<value>.+); "
        r"use one of (?P<allowed>.+)",
        "nieznana wartość {value} w kolumnie {column}; dozwolone: {allowed}",
    ),
    (
        r"(?P<column>\w+) is too long \((?P<length>\d+) characters, at most (?P<limit>\d+)\)",
        "{column}: za długi tekst ({length:" + _CHARS + "}, dozwolone najwyżej {limit})",
    ),
    (
        r"(?P<column>\w+) must have at least (?P<n>\d+) characters",
        "{column} musi mieć co najmniej {n:" + _CHARS + "}",
    ),
    (
        r"(?P<name>NIP|REGON) (?P<value>\S+) also in row (?P<row>\d+)",
        "{name} {value} występuje też w wierszu {row}",
    ),
    (
        r"website (?P<value>.+) is not a web address",
        "{value} nie jest adresem strony internetowej",
    ),
    (
        r"(?P<column>\w+) must be a whole number between (?P<low>\d+) and (?P<high>\d+)",
        "{column} musi być liczbą całkowitą od {low} do {high}",
    ),
    (r"enter a date written YYYY-MM-DD", "wpisz datę w postaci RRRR-MM-DD"),
    (r"true or false is not a value of this field", "to pole nie przyjmuje wartości prawda/fałsz"),
    (
        r"(?P<column>\w+) must be a date written YYYY-MM-DD \(e\.g\. (?P<example>[\d-]+)\)",
        "{column} musi być datą w postaci RRRR-MM-DD (np. {example})",
    ),
    (
        r"(?P<column>\w+) must be written NN-NNN \(e\.g\. (?P<example>[\d-]+)\)",
        "{column} musi mieć postać NN-NNN (np. {example})",
    ),
    (
        r"contact_name is required when contact_email or contact_phone is given",
        "contact_name jest wymagane, gdy podano contact_email lub contact_phone",
    ),
    (r"(?P<value>.+) is not an e-mail address", "{value} nie jest adresem e-mail"),
    (
        r"contact_phone may hold only digits, spaces, \+, \( \) and - \(5 to 40 characters\)",
        "contact_phone może zawierać tylko cyfry, spacje, +, ( ) i - (od 5 do 40 znaków)",
    ),
    (
        r"the row has (?P<n>\d+) value\(s\) to the right of the last named column",
        "wiersz ma {n:wartość|wartości|wartości} na prawo od ostatniej nazwanej kolumny",
    ),
    (
        r"at most (?P<n>\d+) PKD codes per organisation",
        "najwyżej {n:kod|kody|kodów} PKD na organizację",
    ),
    (
        r"unknown PKD version in (?P<item>.+) \(use @2007 or @2025\)",
        "nieznana wersja PKD w {item} (użyj @2007 lub @2025)",
    ),
    (
        r"PKD (?P<version>\d+) code (?P<code>\S+) is too general: give a class "
        r"\(e\.g\. 29\.32\) or a subclass \(e\.g\. 29\.32\.Z\)",
        "kod {code} w PKD {version} jest zbyt ogólny: podaj klasę (np. 29.32) "
        "lub podklasę (np. 29.32.Z)",
    ),
    (r"unknown PKD (?P<version>\d+) code (?P<code>.+)", "nieznany kod PKD {version}: {code}"),
    (
        r"unknown capability (?P<value>.+) \(use vocabulary slugs such as (?P<example>\S+)\)",
        "nieznana kompetencja {value} (użyj identyfikatorów ze słownika, np. {example})",
    ),
    (
        r"at most (?P<n>\d+) capabilities per organisation",
        "najwyżej {n:kompetencja|kompetencje|kompetencji} na organizację",
    ),
    (r"(?P<column>\w+) contains a line break", "{column} zawiera znak końca wiersza"),
    (
        r"(?P<column>\w+) contains a control character \((?P<code>U\+[0-9A-F]+)\)",
        "{column} zawiera znak sterujący ({code})",
    ),
    (
        r"NIP (?P<nip>\S+) belongs to organisation (?P<a>\d+) \((?P<name_a>.*)\) "
        r"but REGON (?P<regon>\S+) to organisation (?P<b>\d+) \((?P<name_b>.*)\)",
        "NIP {nip} należy do organizacji {a} ({name_a}), a REGON {regon} do organizacji {b} "
        "({name_b})",
    ),
    (
        r"matches organisation (?P<id>\d+) \((?P<name>.*)\), which row (?P<row>\d+) "
        r"already updates",
        "pasuje do organizacji {id} ({name}), którą aktualizuje już wiersz {row}",
    ),
    # --- import: the summary line of the report -----------------------------------------------
    (
        r"Dry run \((?P<msg_mode>\w+)\), nothing written\. Would import (?P<msg_counts>.+)\.",
        "Próbny import ({msg_mode}) – nic nie zapisano. Import objąłby {msg_counts}.",
    ),
    (
        r"Nothing imported: (?P<invalid>\d+) of (?P<rows>\d+) rows have errors "
        r"\((?P<errors>\d+) errors\); fix them and import the file again\.",
        "Nic nie zaimportowano: błędy w {invalid} z {rows:wiersza|wierszy|wierszy} "
        "({errors:błąd|błędy|błędów}); popraw je i zaimportuj plik ponownie.",
    ),
    (r"Imported (?P<msg_counts>.+)\.", "Zaimportowano {msg_counts}."),
    (
        r"(?P<rows>\d+) rows: (?P<created>\d+) created, (?P<updated>\d+) updated, "
        r"(?P<unchanged>\d+) unchanged, (?P<skipped>\d+) skipped; "
        r"(?P<errors>\d+) errors in (?P<invalid>\d+) rows",
        "{rows:wiersz|wiersze|wierszy}: utworzone {created}, zaktualizowane {updated}, "
        "bez zmian {unchanged}, pominięte {skipped}; {errors:błąd|błędy|błędów} "
        "w {invalid:wierszu|wierszach|wierszach}",
    ),
    (r"valid_only", "tylko poprawne wiersze"),
    (r"all_or_nothing", "wszystko albo nic"),
    # --- general shapes, last: anything more specific above wins ------------------------------
    (r"(?P<value>.+) is not valid", "nieprawidłowa wartość {value}"),
)

# Pydantic errors by type; the placeholders are the keys of the error's ctx. Types not listed
# (value_error: our own validators) go through RULES with the English text.
PYDANTIC: dict[str, str] = {
    "missing": "pole wymagane",
    "extra_forbidden": "nieznane pole",
    "string_type": "wpisz tekst",
    "string_too_short": "co najmniej {min_length:" + _CHARS + "}",
    "string_too_long": "najwyżej {max_length:" + _CHARS + "}",
    "string_pattern_mismatch": "nieprawidłowy format (wzorzec {pattern})",
    "too_short": "co najmniej {min_length:pozycja|pozycje|pozycji}",
    "too_long": "najwyżej {max_length:pozycja|pozycje|pozycji}",
    "int_type": "wpisz liczbę całkowitą",
    "int_parsing": "wpisz liczbę całkowitą",
    "int_parsing_size": "liczba jest za duża",
    "int_from_float": "wpisz liczbę całkowitą, bez części ułamkowej",
    "float_type": "wpisz liczbę",
    "float_parsing": "wpisz liczbę",
    "greater_than": "wartość musi być większa niż {gt}",
    "greater_than_equal": "wartość musi wynosić co najmniej {ge}",
    "less_than": "wartość musi być mniejsza niż {lt}",
    "less_than_equal": "wartość może wynosić najwyżej {le}",
    "bool_type": "wybierz tak albo nie",
    "bool_parsing": "wybierz tak albo nie",
    "enum": "wybierz jedną z wartości: {expected}",
    "literal_error": "wybierz jedną z wartości: {expected}",
    "date_type": "wpisz datę w postaci RRRR-MM-DD",
    "date_parsing": "wpisz datę w postaci RRRR-MM-DD",
    "date_from_datetime_parsing": "wpisz datę w postaci RRRR-MM-DD",
    "date_from_datetime_inexact": "wpisz samą datę w postaci RRRR-MM-DD, bez godziny",
    "datetime_type": "wpisz datę i godzinę w postaci RRRR-MM-DD GG:MM",
    "datetime_parsing": "wpisz datę i godzinę w postaci RRRR-MM-DD GG:MM",
    "datetime_from_date_parsing": "wpisz datę i godzinę w postaci RRRR-MM-DD GG:MM",
    "url_type": "wpisz adres strony internetowej, np. https://firma.example",
    "url_parsing": "wpisz adres strony internetowej, np. https://firma.example",
    "url_syntax_violation": "wpisz adres strony internetowej, np. https://firma.example",
    "url_scheme": "adres musi zaczynać się od {expected_schemes}",
    "url_too_long": "adres może mieć najwyżej {max_length:" + _CHARS + "}",
    "json_invalid": "nieprawidłowy JSON",
}

# What the `pattern=` of each schema field expects, in words (a regex means nothing to people).
PATTERN_HINTS: dict[str, str] = {
    r"^\d{7}$": "wpisz 7-cyfrowy kod TERYT gminy",
    r"^(\d{2}-\d{3})?$": "wpisz kod pocztowy w postaci NN-NNN (np. 20-001)",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "wpisz adres e-mail w postaci nazwa@firma.example",
    r"^[0-9 +()\-]{5,40}$": "wpisz od 5 do 40 znaków: cyfry, spacje, +, ( ) lub -",
    r"^(pl|en)$": "wybierz pl albo en",
    r"^(micro|small|medium|large)$": "wybierz micro, small, medium albo large",
    r"^-?(name|founded|employees|updated)$": "wybierz sposób sortowania z listy",
}
