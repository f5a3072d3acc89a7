"""Name parts for fictional people and firms: common Polish names, nobody in particular."""

from __future__ import annotations

# fmt: off
MALE_FIRST = (
    "Adam", "Andrzej", "Bartosz", "Damian", "Dariusz", "Grzegorz", "Jakub", "Jan", "Janusz",
    "Kamil", "Krzysztof", "Łukasz", "Marcin", "Marek", "Mariusz", "Mateusz", "Michał", "Paweł",
    "Piotr", "Rafał", "Robert", "Sławomir", "Tomasz", "Wojciech", "Zbigniew",
)
FEMALE_FIRST = (
    "Agata", "Agnieszka", "Aleksandra", "Anna", "Barbara", "Beata", "Dorota", "Elżbieta", "Ewa",
    "Izabela", "Joanna", "Justyna", "Karolina", "Katarzyna", "Magdalena", "Małgorzata", "Marta",
    "Monika", "Natalia", "Paulina", "Renata", "Sylwia", "Teresa", "Urszula", "Zofia",
)
# Masculine forms; feminine() derives the rest (-ski -> -ska, -cki -> -cka).
SURNAMES = (
    "Adamczyk", "Andrzejewski", "Baran", "Bąk", "Borkowski", "Chmielewski", "Cieślak", "Czarnecki",
    "Dąbrowski", "Dudek", "Gajewski", "Głowacki", "Górski", "Grabowski", "Jabłoński", "Jakubowski",
    "Jankowski", "Jasiński", "Jaworski", "Kalinowski", "Kamiński", "Kaźmierczak", "Kołodziej",
    "Kowalczyk", "Kozłowski", "Krajewski", "Krawczyk", "Król", "Kubiak", "Kucharski",
    "Kwiatkowski", "Laskowski", "Lewandowski", "Lis", "Maciejewski", "Majewski", "Malinowski",
    "Marciniak", "Mazur", "Mazurek", "Michalak", "Michalski", "Nowak", "Nowakowski", "Olszewski",
    "Ostrowski", "Pawlak", "Pawłowski", "Pietrzak", "Piotrowski", "Rutkowski", "Sadowski",
    "Sawicki", "Sikora", "Sobczak", "Sokołowski", "Stępień", "Szczepański", "Szewczyk", "Szulc",
    "Szymański", "Tomaszewski", "Urbański", "Walczak", "Wasilewski", "Wieczorek", "Wilk",
    "Wiśniewski", "Witkowski", "Włodarczyk", "Wójcik", "Woźniak", "Wróbel", "Wróblewski",
    "Wysocki", "Zakrzewski", "Zając", "Zalewski", "Zawadzki", "Zieliński", "Ziółkowski",
)
# fmt: on
# Contacts who prefer English (foreign-owned plants, export desks).
FOREIGN = (
    ("Markus", "Weber"),
    ("Elena", "Horváth"),
    ("Petr", "Dvořák"),
    ("Sanne", "de Vries"),
    ("Lukas", "Hofmann"),
    ("Ingrid", "Larsen"),
)
# fmt: off
STREETS = (
    "Przemysłowa", "Fabryczna", "Mechaniczna", "Metalowców", "Spawaczy", "Inżynierska",
    "Technologiczna", "Narzędziowa", "Odlewnicza", "Hutnicza", "Kolejowa", "Magazynowa",
    "Składowa", "Energetyczna", "Elektryczna", "Warsztatowa", "Motoryzacyjna", "Rolnicza",
    "Konstruktorów", "Wynalazców", "Tokarzy", "Ślusarska", "Kowalska", "Turbinowa",
)
# fmt: on

FIRST_ROLE = {  # the person heading the firm, by legal form ("" is a sole trader)
    "": "Właściciel",
    "sp. j.": "Wspólnik zarządzający",
    "sp. k.": "Komplementariusz",
    "sp. z o.o.": "Prezes Zarządu",
    "S.A.": "Prezes Zarządu",
}
COMPANY_ROLES = (
    "Kierownik ds. jakości",
    "Dyrektor handlowy",
    "Kierownik produkcji",
    "Specjalista ds. zakupów",
    "Kierownik działu technicznego",
    "Inżynier procesu",
    "Kierownik ds. badań i rozwoju",
    "Specjalista ds. sprzedaży",
    "Dyrektor zakładu",
    "Technolog",
    "Kierownik utrzymania ruchu",
)
ENGLISH_ROLES = ("Plant Manager", "Sales Director", "Key Account Manager", "Supply Chain Manager")
ACADEMIC_TITLES = ("prof. dr hab. inż.", "dr inż.", "mgr inż.")


def feminine(surname: str) -> str:
    """The feminine form of a Polish surname ("Kowalski" -> "Kowalska"; "Nowak" stays)."""
    if surname.endswith(("ski", "cki", "dzki")):
        return surname[:-1] + "a"
    return surname
