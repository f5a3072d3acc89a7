"""What a free-text need says beyond its topic: certificates, capabilities, place, distance, TRL.

"szukamy dostawcy odlewów aluminiowych z IATF 16949, do 100 km od Radomia" asks for a topic
(retrieval's job) and for constraints scoring must honour: a certificate (required: a firm
without a valid one is left out), a place and a distance limit. This module reads them, in
Polish or English, from the text alone: certificates by their code however it is spaced
("IATF16949", "AS 9100", "VDA 6.3"), capabilities when every word of a term's name appears in
any inflection ("frezowania CNC" → Frezowanie CNC), towns in any case ("od Radomia", "koło
Kielc", "within 50 km of Lublin"), TRL ("TRL 6", "TRL ≥ 5"). A pure function: the caller
passes the vocabulary and the towns.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate

from upland.matching.lexical import STOP_WORDS
from upland.textkit.analysis import word_tokens
from upland.textkit.folding import fold

__all__ = [
    "OFFER",
    "REQUEST",
    "Constraints",
    "Term",
    "Town",
    "Towns",
    "named_organisations",
    "read_constraints",
    "read_side",
]

CERTIFICATION = "certification"
_WORD = re.compile(r"\w+")
_TRL = re.compile(r"\btrl\s*(?:>=|≥|=|:|od|min\.?|at least|co najmniej|minimum)?\s*([1-9])\b")
_TRL_LEADS = frozenset(["poziom", "poziomie", "poziomu", "level", "na", "at"])
# Words after which a capitalised word is where the asker wants the partner to be.
_NEAR_CUES = frozenset(
    [
        *("kolo", "blisko", "niedaleko", "okolice", "okolic", "okolicach", "okolicy", "wokol"),
        "pod",  # "pod Lublinem": a capitalised town after it, never "pod klucz"
        *("w", "we", "z", "ze", "od", "near", "around", "in", "from", "close", "nearby"),
    ]
)
_DISTANCE_CUES = frozenset(["od", "of", "from", "wokol", "around"])
TOWN_KINDS_FIRST = ("1", "3", "2")

# Which side of the market the asker is on, read from how the need is put (folded words):
# "kto szuka…", "who needs…", "looking for orders", "oferujemy…" is someone offering, who
# wants requests; "szukamy dostawcy…", "who can…", "supplier wanted", "wolne moce…" (free
# capacity sought) is someone needing, who wants offers and capable firms. The offering cues
# are read first: "kto szuka dostawcy" is a supplier looking for buyers, not a buyer.
REQUEST = "request"
OFFER = "offer"
_OFFERING_CUES = (
    *("kto szuka", "kto potrzebuje", "oferujemy", "mamy wolne", "przyjmiemy zlecenia"),
    *("szukamy zlecen", "szukamy zamowien", "szukamy klientow", "szukamy odbiorcow"),
    *("zlecenia", "zlecen", "zapytania", "zapytan", "zamowienia", "zamowien"),
    *("who needs", "who is looking for", "who wants", "we offer", "we supply", "we provide"),
    *("looking for orders", "looking for customers", "looking for clients", "seeking orders"),
    *("requests", "request", "orders", "tenders", "rfq", "rfqs"),
)
_NEEDING_CUES = (
    *("szukamy", "szukam", "poszukujemy", "poszukiwany", "poszukiwana", "potrzebujemy"),
    *("szuka", "poszukuje", "poszukiwani", "poszukiwane", "potrzebuje", "seeking"),
    *("zlecimy", "kupimy", "wolne moce", "oferty", "oferta", "ofert"),
    *("who can", "we need", "we are looking for", "looking for", "wanted", "we seek"),
    *("spare capacity", "spare hours", "free capacity", "offers", "offer"),
)  # a town before the rural municipality of the same name


# Words of a need that say which side of the market the asker is on or name the partner's
# role ("szukamy dostawcy", "supplier wanted", "kto szuka") are not its topic: the structured
# stage weighs the side, and as search words they find the texts that say the same of
# themselves ("Dostawca konstrukcji spawanych" is another buyer's request). Cues that name
# what is sought stay: free capacity ("wolne moce") and the kind of item ("zlecenia",
# "requests", "oferty"), which the wanted side's texts say of themselves.
_CONTENT_CUES = frozenset(
    ["wolne moce", "mamy wolne", "spare capacity", "spare hours", "free capacity"]
)
_WANTED_ITEMS = frozenset(
    [
        *("zlecenia", "zlecen", "zapytania", "zapytan", "zamowienia", "zamowien"),
        *("oferty", "oferta", "ofert", "requests", "request", "orders", "tenders", "rfq"),
        *("rfqs", "offers"),
    ]
)
# "any open requests?", "aktualne zlecenia": the status of the wanted items, not the topic
# ("open" would find "open slots" on a testing machine; "wolne terminy").
_STATUS_WORDS = (
    *("open", "current", "active", "live", "new", "otwarte", "otwartych", "aktualne"),
    *("aktualnych", "biezace", "biezacych", "nowe", "nowych"),
)
_SIDE_PHRASES = (
    *(
        tuple(cue.split())
        for cue in (*_OFFERING_CUES, *_NEEDING_CUES)
        if cue not in _CONTENT_CUES and cue not in _WANTED_ITEMS
    ),
    *((status, item) for status in _STATUS_WORDS for item in _WANTED_ITEMS),
)
# Lemmas and stems of the partner's role ("dostawców", "kooperanci", "suppliers") and of
# seeking ("szuka", "poszukiwani", "seeking"), in any inflection.
_ROLE_TOKENS = frozenset(
    [
        *("dostawca", "podwykonawca", "kooperant", "partner", "firma", "szukac", "poszukiwac"),
        *("potrzebowac", "supplier", "vendor", "subcontractor", "contractor", "provid"),
        *("company", "compani", "seek", "any", "someone", "anyone"),
    ]
)


def _side_words(tokens: list[frozenset[str]], folded: list[str]) -> set[int]:
    """The positions of the words that state the asker's side or the partner's role (each
    word's `_any_case_tokens`, and the words folded)."""
    found = {i for i, word_tokens in enumerate(tokens) if _ROLE_TOKENS & word_tokens}
    for phrase in _SIDE_PHRASES:
        n = len(phrase)
        for i in range(len(folded) - n + 1):
            if tuple(folded[i : i + n]) == phrase:
                found.update(j for j in range(i, i + n) if folded[j] not in _WANTED_ITEMS)
    return found


def _any_case_tokens(word: str) -> frozenset[str]:
    """A word's index tokens as typed and in lower case: the lemmatiser reads "Toczenie" at
    the start of a name as a proper noun."""
    return frozenset(word_tokens(word)) | frozenset(word_tokens(word.lower()))


def _alias_word(word: str) -> frozenset[str]:
    """The tokens an alias's word matches: any inflection, or only as spelt for "=word"."""
    return frozenset({"=" + fold(word[1:])}) if word.startswith("=") else _any_case_tokens(word)


@dataclass(frozen=True)
class Term:
    """A capability or certificate of the vocabulary, by slug, with its names and the everyday
    phrases people name it by (`phrases`: "hartowanie", "powder coating")."""

    slug: str
    kind: str
    names: tuple[str, ...]
    phrases: tuple[str, ...] = ()

    @cached_property
    def codes(self) -> frozenset[str]:
        """A certificate's code as people type it, spaces and punctuation ignored: "AS9100 /
        EN 9100" is as9100 and en9100; "ISO/IEC 17025" is also iso17025; "IATF 16949" also
        IATF alone."""
        found = set()
        for name in self.names:
            for part in name.split(" (", 1)[0].split(" / "):
                words = _WORD.findall(fold(part))
                if words:
                    found.add("".join(words))
                    numbers = [w for w in words if w.isdigit()]
                    if numbers and len(words) > 2:
                        found.add(words[0] + "".join(numbers))
                    # "certyfikat IATF": a name of its own, not a family's ("ISO", "VDA")
                    if numbers and words[0].isalpha() and len(words[0]) >= 4:
                        found.add(words[0])
        return frozenset(found)

    @cached_property
    def word_sets(self) -> tuple[tuple[frozenset[str], ...], ...]:
        """For each name, the tokens of each of its words (any one of them matches it, the
        words in any order: "frezowania CNC" is "Frezowanie CNC")."""
        sets = []
        for name in self.names:
            words = _WORD.findall(name.split(" (", 1)[0])
            if words:
                sets.append(tuple(_any_case_tokens(w) for w in words))
        return tuple(sets)

    @cached_property
    def phrase_words(self) -> tuple[tuple[frozenset[str], ...], ...]:
        """For each everyday phrase, the tokens of its words, to be met side by side and in
        order ("powder coating", not "coating … powder"); a word written "=word" only as spelt
        ("=machining" is not "machine", whose stem it shares)."""
        return tuple(
            tuple(_alias_word(w) for w in words)
            for words in (re.findall(r"=?\w+", phrase) for phrase in self.phrases)
            if words
        )


@dataclass(frozen=True)
class Town:
    """A municipality a query may name."""

    teryt: str
    name: str
    kind: str = "1"
    population: int = 0
    partner: bool = False


class Towns:
    """Municipalities by name, best first among namesakes: partner cities, then towns, then
    the most populous."""

    def __init__(self, towns: Iterable[Town]) -> None:
        by_name: dict[tuple[str, ...], list[Town]] = defaultdict(list)
        for town in towns:
            by_name[tuple(_WORD.findall(fold(town.name)))].append(town)
        for namesakes in by_name.values():
            namesakes.sort(key=_town_rank)
        self._by_name = dict(by_name)
        self._by_start: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for name in self._by_name:
            if name:
                self._by_start[name[0][:3]].append(name)

    def find(self, words: Sequence[str], *, exact: bool = False) -> Town | None:
        """The town the first words name (as typed, in any case: "Nowej Dębie"), if any: a
        two-word name before a one-word one, a lemma before a shared beginning (`exact`: no
        shared beginnings, for a name with no cue before it)."""
        if not words:
            return None
        best: tuple[int, int, tuple[str, ...]] | None = None
        for name in self._by_start.get(fold(words[0])[:3], []):
            if len(name) > len(words):
                continue
            fits = [_fit(part, word) for part, word in zip(name, words, strict=False)]
            if all(fits) and (not exact or min(fits) == _EXACT):
                rank = (len(name), min(fits), name)
                if best is None or rank[:2] > best[:2]:
                    best = rank
        return self._by_name[best[2]][0] if best else None


_EXACT, _SHARED_BEGINNING = 2, 1


def _fit(part: str, word: str) -> int:
    """How a typed word fits a word of a name: 2 the word or its lemma is it, 1 they differ
    only in the ending (Polish cases: "Dębie" for Dęba), 0 not at all."""
    if part in word_tokens(word):
        return _EXACT
    folded = fold(word)
    common = len(_common_prefix(part, folded))
    if common >= 3 and len(part) - common <= 2 and len(folded) - common <= 3:
        return _SHARED_BEGINNING
    return 0


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _town_rank(town: Town) -> tuple[int, int, int, str]:
    kind = TOWN_KINDS_FIRST.index(town.kind) if town.kind in TOWN_KINDS_FIRST else 9
    return (0 if town.partner else 1, kind, -town.population, town.teryt)


@dataclass(frozen=True)
class Constraints:
    certifications: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()
    towns: tuple[Town, ...] = ()  # where the partner is wanted: any of them will do
    max_km: float | None = None
    min_trl: int | None = None
    side: str | None = None  # REQUEST or OFFER: the asker's side of the market, when stated
    # The need's words without those that stated a certificate, a distance or a place: what
    # it is about, for retrieval (the constraints are scoring's to honour).
    topic: str = ""


def read_side(text: str) -> str | None:
    """The asker's side of the market as the text puts it (`REQUEST`: they need something,
    so offers answer them; `OFFER`: they offer, so requests do), None when it does not say."""
    folded = " " + " ".join(_WORD.findall(fold(text))) + " "
    if any(f" {cue} " in folded for cue in _OFFERING_CUES):
        return OFFER
    if any(f" {cue} " in folded for cue in _NEEDING_CUES):
        return REQUEST
    if any(_PROVIDER_ROLES & _any_case_tokens(word) for word in _WORD.findall(text)):
        return REQUEST  # "gear maker", "integrator gniazd", "dostawca odlewów": one is sought
    return None


# Nouns naming who provides ("gear maker", "integratora robotów", "producent pługów"): a need
# that names one, without an offering cue, seeks one.
_PROVIDER_ROLES = frozenset(
    [
        *("dostawca", "producent", "wytworca", "wykonawca", "podwykonawca", "integrator"),
        *("supplier", "maker", "manufacturer", "producer", "vendor", "subcontractor"),
        *("fabricator", "contractor"),
    ]
)


def read_constraints(text: str, terms: Iterable[Term], towns: Towns) -> Constraints:
    """The constraints a need states; what it does not state is left empty."""
    text = unicodedata.normalize("NFC", text)  # "Kraków" pasted from a PDF comes decomposed
    found = list(_WORD.finditer(text))
    words = [match.group() for match in found]
    # What stands before each word: "," or "-" before a town that ends the need says it is
    # a place, not part of a product's or brand's name ("opony Dębica").
    gaps = [text[(found[i - 1].end() if i else 0) : match.start()] for i, match in enumerate(found)]
    folded = [fold(w) for w in words]
    tokens = [_any_case_tokens(w) for w in words]
    stated: set[int] = set()
    certificates, capabilities = _terms(tokens, folded, terms, stated)
    places, max_km = _place(words, folded, towns, stated, gaps)
    joined = " ".join(folded)
    trl = _TRL.search(joined)
    if trl:  # "na poziomie TRL 4", "TRL at least 5": a constraint, not the topic
        starts = accumulate((len(w) + 1 for w in folded[:-1]), initial=0)  # in `joined`
        span = [i for i, at in enumerate(starts) if trl.start() <= at < trl.end()]
        while span and span[0] > 0 and folded[span[0] - 1] in _TRL_LEADS:
            span.insert(0, span[0] - 1)
        stated.update(span)
    side = _side_words(tokens, folded) - stated
    if any(i not in stated | side and folded[i] not in STOP_WORDS for i in range(len(words))):
        stated |= side  # else the side's words are all the topic there is ("szukamy dostawcy")
    return Constraints(
        certifications=certificates,
        capabilities=capabilities,
        towns=places,
        max_km=max_km,
        min_trl=int(trl.group(1)) if trl else None,
        side=read_side(text),
        topic=" ".join(w for i, w in enumerate(words) if i not in stated),
    )


def _terms(
    tokens: list[frozenset[str]], folded: list[str], terms: Iterable[Term], stated: set[int]
) -> tuple[frozenset[str], frozenset[str]]:
    """The certificates and capabilities named (each word's `_any_case_tokens`, and the words
    folded); the words that named a certificate go into `stated`."""
    windows: dict[str, list[range]] = defaultdict(list)
    for n in range(1, 5):
        for i in range(len(folded) - n + 1):
            windows["".join(folded[i : i + n])].append(range(i, i + n))
    certificates, capabilities = set(), set()
    terms = tuple(terms)
    for term in terms:
        if term.kind == CERTIFICATION:
            found = [span for code in term.codes for span in windows.get(code, ())]
            if found:
                certificates.add(term.slug)
                stated.update(i for span in found for i in span)
                for span in found:
                    stated.update(_certificate_cues(folded, span))
        elif any(all(any(ws & t for t in tokens) for ws in name) for name in term.word_sets):
            capabilities.add(term.slug)
    # Everyday phrases, looked up by their first word (hundreds of them, read on every ask).
    starts = _phrase_starts(terms)
    spelt = [t | {"=" + f} for t, f in zip(tokens, folded, strict=True)]  # "=word": as spelt
    for i, word in enumerate(spelt):
        for token in word:
            for slug, rest in starts.get(token, ()):
                if i + len(rest) < len(spelt) and all(
                    want & spelt[i + 1 + j] for j, want in enumerate(rest)
                ):
                    capabilities.add(slug)
    return frozenset(certificates), frozenset(capabilities)


# The words that say a certificate is held or wanted ("z certyfikatem", "certified to",
# "wymagany"): with it, they are a constraint; left in the topic, "certyfikat" found every
# training offer and every firm's offer that lists its certificates.
_CERTIFICATE_BEFORE = frozenset(
    [
        *("z", "ze", "with", "to", "wg", "wedlug", "zgodnie", "posiada", "posiadajaca"),
        *("certyfikat", "certyfikatem", "certyfikatu", "certyfikaty", "certyfikowana"),
        *("certyfikowany", "certyfikowane", "certyfikowanej", "certified", "certificate"),
        *("certification", "norma", "norme", "normy", "standard"),
    ]
)
_CERTIFICATE_AFTER = frozenset(
    [
        *("certified", "certyfikowana", "certyfikowany", "certyfikowane", "certyfikat"),
        *("wymagany", "wymagana", "wymagane", "obowiazkowy", "required", "mandatory"),
    ]
)


def _certificate_cues(folded: list[str], span: range) -> set[int]:
    """The words around a certificate's code that say it is held or wanted."""
    found: set[int] = set()
    i = span.start - 1
    while i >= 0 and folded[i] in _CERTIFICATE_BEFORE:
        found.add(i)
        i -= 1
    j = span.stop
    while j < len(folded) and folded[j] in _CERTIFICATE_AFTER:
        found.add(j)
        j += 1
    return found


@lru_cache(maxsize=4)
def _phrase_starts(
    terms: tuple[Term, ...],
) -> dict[str, tuple[tuple[str, tuple[frozenset[str], ...]], ...]]:
    """Each token that can begin an everyday phrase: the capabilities it may name and the
    tokens of the phrase's other words, in order."""
    found: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]] = defaultdict(list)
    for term in terms:
        if term.kind != CERTIFICATION:
            for first, *rest in term.phrase_words:
                for token in first:
                    found[token].append((term.slug, tuple(rest)))
    return {token: tuple(entries) for token, entries in found.items()}


def _place(
    words: list[str], folded: list[str], towns: Towns, stated: set[int], gaps: list[str]
) -> tuple[tuple[Town, ...], float | None]:
    """Towns after "100 km od/of/from" (a limit), or capitalised towns after a cue such as
    "koło", "w", "near" (a preference), each with its alternatives ("od Radomia lub Kielc");
    a distance said apart from the town ("w okolicach Starachowic do 20 km", "Starachowice,
    max 20 km") limits it too. The words that said so go into `stated`."""
    apart: tuple[float, range] | None = None
    for i, word in enumerate(folded):
        km = _km_at(folded, i)
        if km is None:
            continue
        start = i + 1
        if start < len(folded) and folded[start] in _DISTANCE_CUES:
            start += 1
        first = i - 1 if word in _UNITS else i
        if first > 0 and folded[first - 1] in _LIMIT_CUES:
            first -= 1
        town = towns.find(words[start : start + _LONGEST_NAME])
        if town is not None:
            stated.update(range(first, start + _name_length(town)))
            after = start + _name_length(town)
            more = _alternatives(words, folded, towns, stated, gaps, after, inflected=True)
            return (town, *more), km
        if apart is None:
            apart = (km, range(first, i + 1))
    # a distance that ends the need is no part of a town that would end it
    end = apart[1].start if apart and apart[1].stop == len(words) else len(words)
    cut = (words[:end], folded[:end], towns, stated, gaps[:end])
    found = _cued_towns(*cut) or _leading_towns(*cut) or _trailing_towns(*cut)
    if found and apart is not None:
        stated.update(apart[1])
        return found, apart[0]
    return found, None


def _cued_towns(
    words: list[str], folded: list[str], towns: Towns, stated: set[int], gaps: list[str]
) -> tuple[Town, ...]:
    """A capitalised town after a cue ("koło Radomia", "w Lublinie", "near Kielce") and its
    alternatives."""
    for i, word in enumerate(folded[:-1]):
        following = words[i + 1]
        if word in _NEAR_CUES and following[:1].isupper():
            town = towns.find(words[i + 1 : i + 1 + _LONGEST_NAME])
            if town is not None:
                lead = i - 1 if i and word in _AREA and folded[i - 1] in _NEAR_CUES else i
                stated.update(range(lead, i + 1 + _name_length(town)))  # "w okolicach …"
                after = i + 1 + _name_length(town)
                more = _alternatives(words, folded, towns, stated, gaps, after, inflected=True)
                return (town, *more)
    return ()


def _leading_towns(
    words: list[str], folded: list[str], towns: Towns, stated: set[int], gaps: list[str]
) -> tuple[Town, ...]:
    """A partner city that opens the need ("Starachowice spawanie ram", "Radom: lakiernia"),
    with its alternatives: on this platform, where the partner is wanted. Only a partner
    city, and only with words after it: another town's name that opens a text may be its
    subject or a brand ("Dębica opony")."""
    town = _town_starting_at(words, towns, 0) or (
        towns.find(words[:1], exact=True) if words else None
    )
    length = _name_length(town) if town is not None else 0
    if town is None or not town.partner or length >= len(words):
        return ()
    stated.update(range(length))
    return (town, *_alternatives(words, folded, towns, stated, gaps, length))


def _alternatives(
    words: list[str],
    folded: list[str],
    towns: Towns,
    stated: set[int],
    gaps: list[str],
    after: int,
    *,
    inflected: bool = False,
) -> tuple[Town, ...]:
    """The capitalised towns joined to the one ending at word `after` by "lub", "i", "or",
    "and" or a comma ("od Radomia lub Kielc", "near Lublin, Radom or Kielce"), the cue said
    again ("z Radomia albo z Lublina"), and the words that only widen them ("i okolic"), into
    `stated`. Named exactly or as their lemma, as a trailing town is: after "Lublin," a word
    such as "Poland" or "Nowa" is no town; after a cue (`inflected`), in any case ending as
    the first was ("w Radomiu lub Lublinie")."""
    found: list[Town] = []
    while after < len(words):
        at = after
        while at < len(words) and folded[at] in _TRAILING_AREA:
            at += 1
        said_or = at > after
        if said_or and at < len(words) - 1 and folded[at] in _NEAR_CUES:
            at += 1  # "… albo z Lublina"
        joined = said_or or bool(_SEPARATOR.search(gaps[after]))
        # after a comma a capitalised word may start a sentence ("…, Nowa linia"): exactly
        exact = not (inflected and said_or)
        town = _town_starting_at(words, towns, at, exact=exact) if joined else None
        if town is None:
            widening = [j for j in range(after, at) if folded[j] in _AREA]
            stated.update(range(after, widening[-1] + 1) if widening else ())
            break
        found.append(town)
        stated.update(range(after, at + _name_length(town)))
        after = at + _name_length(town)
    return tuple(dict.fromkeys(found))


def _trailing_towns(
    words: list[str], folded: list[str], towns: Towns, stated: set[int], gaps: list[str]
) -> tuple[Town, ...]:
    """Capitalised towns that end the need after a comma or a dash, joined by "lub"/"or",
    or followed by "(i/lub) okolice" / "area" ("montaż SMD na zlecenie, Radom", "Radom lub
    Kielce", "Radom lub okolice"): how people add where they want the partner. A lone name
    without either may be a brand's or a product's name ("opony Dębica", "łożyska FLT
    Kraśnik") and stays topic. The longest name that ends there ("Solec nad Wisłą", not
    "Wisła"); a one-word name only exactly or as its lemma ("Poland" is not Polanów)."""
    end = len(words)
    while end > 1 and folded[end - 1] in _TRAILING_AREA:
        end -= 1
    widened = end < len(words)
    last = _town_ending_at(words, towns, end)
    if last is None:
        # A partner city typed in lower case ("toczenie cnc lublin"), as search boxes get it.
        town = towns.find(words[end - 1 : end], exact=True) if end > 1 else None
        if town is not None and town.partner:
            stated.update(range(end - 1, len(words)))
            return (town,)
        return ()
    # The chain of towns that ends the need, last first: (where it starts, the town, whether a
    # join word links it to the next one).
    chain = [(*last, False)]
    while chain[-1][0] > 0:
        start = before = chain[-1][0]
        while before > 0 and folded[before - 1] in _JOINS:
            before -= 1
        if before == start and not _SEPARATOR.search(gaps[start]):
            break
        prior = _town_ending_at(words, towns, before)
        if prior is None:
            break
        chain.append((*prior, before < start))
    chain.reverse()
    # The longest tail of the chain that is a place: after a separator, linked by "lub"/"or",
    # or widened; a name glued to what it names ("opony Dębica, Radom") stays topic.
    for first, (start, _, _) in enumerate(chain):
        joined = any(link for _, _, link in chain[first:])
        if start > 0 and (widened or joined or _SEPARATOR.search(gaps[start])):
            stated.update(range(start, len(words)))
            return tuple(dict.fromkeys(town for _, town, _ in chain[first:]))
    start, town, _ = chain[-1]
    if start > 0 and town.partner:
        # On this platform a partner city that ends the need ("blachy na wymiar
        # Starachowice") is where the partner is wanted, not a brand.
        stated.update(range(start, len(words)))
        return (town,)
    return ()  # the need's subject, or a name glued to what it names


def _town_starting_at(
    words: list[str], towns: Towns, start: int, *, exact: bool = True
) -> Town | None:
    """The longest capitalised town name that starts at word `start` (a one-word name exactly
    or as its lemma, unless not `exact`)."""
    if start >= len(words) or not words[start][:1].isupper():
        return None
    for length in range(min(_LONGEST_NAME, len(words) - start), 0, -1):
        town = towns.find(words[start : start + length], exact=exact and length == 1)
        if town is not None and _name_length(town) == length:
            return town
    return None


def _town_ending_at(words: list[str], towns: Towns, end: int) -> tuple[int, Town] | None:
    """The longest capitalised town name that ends before word `end`, and where it starts."""
    for length in range(min(_LONGEST_NAME, end), 0, -1):
        start = end - length
        if not words[start][:1].isupper():
            continue
        town = towns.find(words[start:end], exact=length == 1)
        if town is not None and _name_length(town) == length:
            return start, town
    return None


# Words that join towns ("Radom lub Kielce") and words after a town that only widen it
# ("Radom lub okolice", "Lublin area").
_JOINS = frozenset(["i", "lub", "albo", "oraz", "czy", "and", "or"])
_AREA = frozenset(
    [
        *("okolice", "okolic", "okolica", "okolicach", "okolicy", "rejon", "rejonie"),
        *("area", "nearby", "region", "surroundings"),
    ]
)
_TRAILING_AREA = _JOINS | _AREA
_SEPARATOR = re.compile(r"[,;:()/\u2013\u2014-]")
# Words in the longest town names ("Nowe Miasto nad Wartą", "Kamień Pomorski").
_LONGEST_NAME = 4


_LIMIT_CUES = frozenset(["do", "w", "within", "up", "to", "max", "maks", "promien", "promieniu"])


def _km_at(folded: list[str], i: int) -> float | None:
    """The distance "100 km", "100km" or "30 miles" (in km) ending at word `i`, if it is one."""
    unit = _UNITS.get(folded[i])
    if unit and i > 0 and _NUMBER.fullmatch(folded[i - 1]):  # "፩ km": a digit, no number
        return round(float(folded[i - 1]) * unit)
    match = _DISTANCE_WORD.fullmatch(folded[i])
    return round(float(match.group(1)) * _UNITS[match.group(2)]) if match else None


_MILE = 1.609344
_UNITS = {"km": 1.0, "mi": _MILE, "mile": _MILE, "miles": _MILE, "mil": _MILE}
_NUMBER = re.compile(r"[0-9]{1,4}")
_DISTANCE_WORD = re.compile(r"([0-9]{1,4})(km|mi)")


def _name_length(town: Town) -> int:
    return max(1, len(_WORD.findall(town.name)))


# Words of a legal form at the end of a name ("sp. z o.o.", "S.A.", "sp. j.", "GmbH").
_LEGAL_FORM = frozenset(
    [
        *("sp", "z", "o", "s", "a", "j", "k", "spolka", "akcyjna", "jawna", "komandytowa"),
        *("ltd", "gmbh", "inc", "llc", "plc", "oo", "sa", "spzoo", "ska"),
    ]
)


@lru_cache(maxsize=1 << 14)
def name_words(name: str) -> tuple[str, ...]:
    """A name's folded words without its legal form ("Tłocznia Kozłowski sp. z o.o." ->
    tlocznia, kozlowski); every organisation's names are read at every free-text ask, so
    each is folded once per process."""
    words = _WORD.findall(fold(name))
    while words and words[-1] in _LEGAL_FORM:
        words.pop()
    return tuple(words)


def named_organisations(text: str, names: Iterable[tuple[int, str, str]]) -> frozenset[int]:
    """The organisations whose name the text spells out, word for word (short or legal name,
    without its legal form, of two words or more: "Tłocznia Kozłowski offers"). One word is
    not enough: "Odlewnia" names a trade more often than a firm."""
    folded = _WORD.findall(fold(unicodedata.normalize("NFC", text)))
    joined = " " + " ".join(folded) + " "
    found: set[int] = set()
    for org_id, short_name, legal_name in names:
        for name in {name_words(short_name), name_words(legal_name)}:
            if len(name) >= 2 and f" {' '.join(name)} " in joined:
                found.add(org_id)
    return frozenset(found)
