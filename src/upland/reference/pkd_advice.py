"""Why a PKD code a user typed is not accepted, when the answer is "wrong version".

Firms copy their codes from old KRS/CEIDG extracts, which are PKD 2007: "25.50.Z" typed where
PKD 2025 is expected is a known code of the other classification, and the official GUS key
(`pkd_key`, loaded as `PkdCorrespondence`) says where it went. The key maps PKD 2007 groups
to PKD 2025 groups, so the candidates are the 2025 codes of the same level under those groups.

Pure: the caller passes the known codes (as `queries.pkd_sections` gives them) and the key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from upland.i18n import Message, plural_message
from upland.reference.pkd_codes import code_level

__all__ = ["MAX_LISTED", "explain_unknown_pkd", "one_of"]

# More candidates than this are summarised by their PKD 2025 groups.
MAX_LISTED = 5
_SUBCLASS, _CLASS = 5, 4


def one_of(codes: Sequence[str]) -> str | Message:
    """'25.40.Z', or '25.51.Z, 25.52.Z or 25.53.Z' in the reader's language."""
    if len(codes) == 1:
        return codes[0]
    return Message("{codes} or {last}", {"codes": ", ".join(codes[:-1]), "last": codes[-1]})


def _usable(sections: Mapping[tuple[int, str], str], version: int, code: str) -> bool:
    """Whether `code` is a class or subclass a profile accepts in `version` (see resolve_pkd)."""
    if code_level_or_none(code) not in (_CLASS, _SUBCLASS):
        return False
    if (version, code) in sections:
        return True
    return version == 2007 and (2007, code[:4]) in sections


def code_level_or_none(code: str) -> int | None:
    try:
        return code_level(code)
    except KeyError:
        return None


def explain_unknown_pkd(
    version: int,
    code: str,
    sections: Mapping[tuple[int, str], str],
    key: Mapping[str, Sequence[str]],
) -> Message | None:
    """A message for a code refused in `version` that is a code of the other version, with its
    equivalents from the key; None when the code is simply unknown (the caller says so)."""
    if _usable(sections, version, code):
        return None
    if version == 2007:
        if _usable(sections, 2025, code):
            return Message(
                "{pkd} is a PKD 2025 code, not a PKD 2007 one: enter it as PKD 2025",
                {"pkd": code},
            )
        return None
    if version != 2025 or not _usable(sections, 2007, code):
        return None
    level = code_level(code)
    groups = sorted(key.get(code[:4], ()))
    candidates = sorted(
        known
        for known_version, known in sections
        if known_version == 2025
        and code_level_or_none(known) == level
        and any(known.startswith(group) for group in groups)
    )
    if not candidates:
        return Message(
            "{pkd} is a PKD 2007 code; the official key gives no PKD 2025 equivalent for it",
            {"pkd": code},
        )
    if len(candidates) <= MAX_LISTED:
        return Message(
            "{pkd} is a PKD 2007 code; in PKD 2025 it is {codes}",
            {"pkd": code, "codes": one_of(candidates)},
        )
    return plural_message(
        "{pkd} is a PKD 2007 code; in PKD 2025 it falls in group {groups}: choose the code "
        "there that fits (the PKD suggestions page helps)",
        "{pkd} is a PKD 2007 code; in PKD 2025 it falls in groups {groups}: choose the code "
        "there that fits (the PKD suggestions page helps)",
        pkd=code,
        groups=one_of(groups),
        n=len(groups),
    )
