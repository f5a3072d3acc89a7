"""Finding capability terms by the names people see, in Polish or English.

People type "Frezowanie CNC", "frezowanie", "ISO 9001" or "lozyska", not the internal slug: a
term is found by its slug or by either name, compared folded (case, Polish diacritics and
punctuation do not matter: `textkit.folding.fold`). An unknown name is an error that lists the
closest terms.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from upland.errors import Invalid
from upland.reference.models import CapabilityTerm
from upland.reference.queries import list_capability_terms
from upland.textkit.folding import fold

__all__ = ["TermName", "fold", "resolve_term", "search_terms"]


@dataclass(frozen=True)
class TermName:
    """A term with the name to show in the page's language and the other one."""

    slug: str
    kind: str
    name: str
    other_name: str


def _names(term: CapabilityTerm) -> tuple[str, ...]:
    """Slug, both names, and each name without its explanation in brackets ("VDA 6.3")."""
    short = (name.split(" (", 1)[0] for name in (term.name_pl, term.name_en))
    return (term.slug, term.name_pl, term.name_en, *short)


def _shown(term: CapabilityTerm, language: str) -> TermName:
    first, second = (
        (term.name_en, term.name_pl) if language == "en" else (term.name_pl, term.name_en)
    )
    return TermName(term.slug, term.kind, first, second if second != first else "")


def search_terms(
    session: Session, text: str, language: str, kind: str | None = None, limit: int = 12
) -> list[TermName]:
    """Terms whose slug or either name contains every folded word of `text` (all terms of the
    kind when it is blank), names starting with the text first."""
    words = fold(text).split()
    found: list[tuple[int, str, CapabilityTerm]] = []
    for term in list_capability_terms(session, kind or None):
        folded = [fold(n) for n in _names(term)]
        haystack = " ".join(folded)
        if all(w in haystack for w in words):
            starts = any(n.startswith(" ".join(words)) for n in folded)
            found.append((0 if starts else 1, fold(_shown(term, language).name), term))
    found.sort(key=lambda item: item[:2])
    return [_shown(term, language) for *_, term in found[:limit]]


def resolve_term(session: Session, text: str, kind: str | None, language: str) -> str:
    """The slug of the term `text` names (slug or name, in either language, folded); a term of
    `kind` wins over one of another kind. Unknown: Invalid on `term` with the closest names."""
    wanted = fold(text)
    terms = list_capability_terms(session)
    matches = [t for t in terms if wanted in {fold(n) for n in _names(t)}]
    matches.sort(key=lambda t: t.kind != kind)
    if matches:
        return matches[0].slug
    shown = {
        fold(n): _shown(t, language).name
        for t in terms
        if not kind or t.kind == kind
        for n in _names(t)[1:]
    }
    close = difflib.get_close_matches(wanted, list(shown), n=8, cutoff=0.6)
    close += [name for name in shown if wanted and wanted in name and name not in close]
    names = list(dict.fromkeys(shown[name] for name in close))[:5]
    if names:
        raise Invalid.one(
            "term",
            "no term of the vocabulary is called {term}; did you mean: {names}?",
            code="capability_term.unknown",
            term=repr(text),
            names=", ".join(names),
        )
    raise Invalid.one(
        "term",
        "no term of the vocabulary is called {term}; pick one from the list or leave the term "
        "blank and describe the capability in the label",
        code="capability_term.unknown",
        term=repr(text),
    )
