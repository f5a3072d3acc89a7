"""A Polish word's family: the stem its derivatives share ("odlewnia", "odlewniczy",
"odlewać" and "odlew" are all "odlew"; "wtryskownia", "wtryskarka", "wtryskowy" → "wtrysk").

The lemmatiser undoes inflection only: a firm that writes "odlewnia" (a foundry) and a buyer
who asks for "odlewy" (castings) share no lemma. Polish builds trade words with a few
productive suffixes (a place of work -ownia/-alnia/-arnia, a tool or machine -arka/-nik, an
adjective -owy/-niczy/-alny, a verb -ować/-ać/-ić), so stripping the longest of them that leaves
at least `MIN_STEM` letters, then cutting to `MAX_STEM` letters (which also meets long compounds'
variants: "konstrukcja"/"konstrukcyjny"), gives a term that both sides share. It is an extra
term beside the lemma, not a replacement: exact matches still score more than family ones.
Input and output are folded (lower case, no diacritics).
"""

from __future__ import annotations

__all__ = ["MAX_STEM", "MIN_STEM", "family"]

MIN_STEM = 4
MAX_STEM = 6
# Longest first within each ending; folded spellings ("-ac" is "-ać").
_SUFFIXES = tuple(
    sorted(
        """
        nictwo arstwo ctwo stwo
        ownia alnia arnia nia
        owniczy alniczy arniczy niczy owniczych
        owany owana owane iwany ywany any ony ona one
        owy owa owe owych owej owym
        alny alna alne ny na ne czy cza cze
        owac iwac ywac owac ac ic yc ec
        arka erka irka arki ka ki
        nik niki acz acze arz
        enie anie cie
        ja cja ia
        """.split(),  # noqa: SIM905 (a word list reads better as text)
        key=len,
        reverse=True,
    )
)


def family(word: str) -> str | None:
    """The word's family stem, or None for a word too short to have one (under five letters)
    or not made of letters."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return None
    stem = word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            stem = word[: -len(suffix)]
            break
    return stem[:MAX_STEM]
