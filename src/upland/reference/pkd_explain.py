"""Why a PKD code was suggested: which words of the description it matched, and where the code
carries them (its own name, the keyword hints, or the name of its class or division).

A firm checks a suggestion against its own words; showing them marked in the text, with where
they were found, lets it tell a real match from a coincidence ("obornik" matching sewage).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from upland.reference.pkd_texts import CodeText
from upland.reference.pkd_wording import stems, word_stems

__all__ = ["MatchedTerm", "Source", "highlight", "matched_terms", "term_sources"]

Source = Literal["name", "hint", "parent"]


@dataclass(frozen=True)
class MatchedTerm:
    """A word of the description (as written) that a code's texts contain."""

    word: str
    source: Source
    start: int  # offsets into the suggestion's `matched_text`
    end: int


def term_sources(text: CodeText) -> dict[str, Source]:
    """Stem -> where the code carries it, the code's own name first."""
    sources: dict[str, Source] = {stem: "parent" for name in text.context for stem in stems(name)}
    sources.update({stem: "hint" for stem in stems(text.hint)})
    sources.update({s: "name" for name in text.own if name != text.hint for s in stems(name)})
    return sources


def matched_terms(text: str, sources: Mapping[str, Source]) -> tuple[MatchedTerm, ...]:
    """The words of `text` whose stems `sources` holds, in order of appearance."""
    return tuple(
        MatchedTerm(text[start:end], sources[stem], start, end)
        for start, end, stem in word_stems(text)
        if stem in sources and end > start
    )


def highlight(text: str, terms: Iterable[MatchedTerm]) -> list[tuple[str, Source | None]]:
    """`text` cut into (piece, source) runs, source None between matched words."""
    pieces: list[tuple[str, Source | None]] = []
    at = 0
    for term in sorted(terms, key=lambda t: t.start):
        if term.start < at:
            continue
        if term.start > at:
            pieces.append((text[at : term.start], None))
        pieces.append((text[term.start : term.end], term.source))
        at = term.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces
