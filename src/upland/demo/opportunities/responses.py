"""What organisations say to an opportunity and what the owner answers: interest messages,
passes on a research organisation's offer with a reason, and decline and abandon reasons."""

from __future__ import annotations

from upland.demo.opportunities.specs import Kind, PassReason

Pair = tuple[str, str]

# fmt: off
MESSAGES: dict[Kind, tuple[Pair, ...]] = {  # {intro}: "X makes Y." of a firm
    Kind.BUSINESS_REQUEST: (
        ("Dzień dobry, {intro} Chętnie przygotujemy ofertę – prosimy o rysunki i prognozę "
         "zapotrzebowania.",
         "Hello, {intro} We would be glad to quote – please send drawings and a volume forecast."),
        ("Dzień dobry, {intro} Możemy wykonać partię próbną w ciągu {weeks_pl} od "
         "otrzymania dokumentacji.",
         "Hello, {intro} We can make a trial batch within {weeks} weeks of receiving the "
         "documentation."),
    ),
    Kind.BUSINESS_OFFER: (
        ("Dzień dobry, {intro} Jesteśmy zainteresowani Państwa ofertą – prosimy o cennik i "
         "warunki dostaw przy ok. {volume} szt. rocznie.",
         "Hello, {intro} We are interested in your offer – please send prices and delivery "
         "terms for about {volume} pieces a year."),
        ("Dzień dobry, {intro} Szukamy nowego źródła dostaw i chętnie umówimy się na wizytę w "
         "Państwa zakładzie.",
         "Hello, {intro} We are looking for a new source of supply and would like to visit "
         "your plant."),
    ),
    Kind.TECHNOLOGY_OFFER: (
        ("Dzień dobry, {intro} Rozwiązanie może się sprawdzić w naszych wyrobach – prosimy o "
         "spotkanie i warunki licencji.",
         "Hello, {intro} The solution could work in our products – we would like to meet and "
         "hear the licence terms."),
        ("Dzień dobry, {intro} Chcielibyśmy przetestować technologię na naszej linii w ramach "
         "projektu pilotażowego.",
         "Hello, {intro} We would like to test the technology on our line as a pilot project."),
    ),
    Kind.TECHNOLOGY_REQUEST: (
        ("Dzień dobry, {intro} Mamy doświadczenie z podobnym wdrożeniem i proponujemy "
         "spotkanie u Państwa w zakładzie.",
         "Hello, {intro} We have done a similar implementation and suggest a meeting at your "
         "plant."),
    ),
    Kind.RND_REQUEST: (
        ("Dzień dobry, {intro} Chętnie dołączymy do projektu i przygotujemy część wniosku "
         "dotyczącą naszych prac.",
         "Hello, {intro} We would be glad to join the project and draft our part of the "
         "application."),
    ),
    Kind.CAPACITY_OFFER: (
        ("Dzień dobry, {intro} Potrzebujemy ok. {hours} h tygodniowo w podanym okresie – prosimy "
         "o kontakt w sprawie wyceny.",
         "Hello, {intro} We need about {hours} hours a week in that period – please contact us "
         "about a quote."),
        ("Dzień dobry, {intro} Mamy pilne zlecenie, którego nie zmieścimy na własnych "
         "maszynach. Czy możemy przesłać rysunki?",
         "Hello, {intro} We have an urgent order our own machines cannot take. May we send the "
         "drawings?"),
    ),
    Kind.INFRASTRUCTURE_OFFER: (
        ("Dzień dobry, {intro} Chcielibyśmy skorzystać ze stanowiska ({purpose}). Prosimy o "
         "informację o wolnych terminach.",
         "Hello, {intro} We would like to use the facility ({purpose_en}). Please let us know "
         "the free dates."),
    ),
    Kind.TRAINING_OFFER: (
        ("Dzień dobry, {intro} Chcemy zgłosić {people} pracowników. Czy szkolenie może się "
         "odbyć w naszym zakładzie?",
         "Hello, {intro} We would like to send {people} employees. Could the course be held at "
         "our plant?"),
        ("Dzień dobry, {intro} Prosimy o rezerwację {places_pl} w najbliższej edycji.",
         "Hello, {intro} Please book {people} places on the next session."),
    ),
}

RESEARCH_INTRO = ("Nasz zespół ({short}) prowadzi badania w tym obszarze i ma potrzebną aparaturę.",
                  "Our team ({short}) works in this field and has the equipment needed.")
OTHER_INTRO = ("{short} wspiera firmy klastra w takich przedsięwzięciach.",
               "{short} supports cluster firms in such ventures.")

PASSES: dict[PassReason, Pair] = {
    PassReason.TOO_EARLY_STAGE: (
        "Dziękujemy za prezentację; przy obecnym poziomie gotowości nie możemy zaangażować się "
        "we wdrożenie.",
        "Thank you for the presentation; at its current readiness we cannot commit to using it."),
    PassReason.BENEFIT_UNCLEAR: (
        "Nie widzimy jeszcze przewagi nad rozwiązaniem, które stosujemy obecnie.",
        "We do not yet see an advantage over the solution we use today."),
    PassReason.COMMERCIAL_ROUTE_UNCLEAR: (
        "Nie jest dla nas jasne, kto miałby produkować i sprzedawać to rozwiązanie.",
        "It is not clear to us who would make and sell the solution."),
    PassReason.DESCRIPTION_UNCLEAR: (
        "Opis nie pozwala nam ocenić zastosowania w naszych wyrobach.",
        "The description does not let us judge how it would fit our products."),
    PassReason.NOT_STRATEGIC_FIT: (
        "Temat nie mieści się w naszej strategii produktowej na najbliższe lata.",
        "The topic does not fit our product strategy for the coming years."),
}

ABANDON_REASONS: tuple[Pair, ...] = (
    ("Partner nie odpowiedział po pierwszym spotkaniu.",
     "The partner did not reply after the first meeting."),
    ("Cena przekroczyła nasz budżet.", "The price exceeded our budget."),
    ("Odbiorca wstrzymał projekt, dla którego szukaliśmy partnera.",
     "The end customer put the project on hold."),
    ("Wymagań technicznych nie dało się spełnić w oczekiwanym terminie.",
     "The technical requirements could not be met in time."),
    ("Wniosek o dofinansowanie ostatecznie nie został złożony.",
     "In the end the funding application was not filed."),
)

RETURN_REASONS = (
    "Proszę uzupełnić opis o wymagania techniczne i przewidywany wolumen.",
    "Tytuł powinien wskazywać przedmiot oferty; proszę też dodać kody PKD.",
    "Proszę usunąć z opisu dane kontaktowe – platforma udostępnia je po akceptacji.",
    "Proszę dodać wersję angielską albo zaznaczyć, że oferta jest tylko po polsku.",
)
# fmt: on
