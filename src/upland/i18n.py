"""Words in the reader's language: gettext catalogues, messages with parameters, enum labels.

Code and templates write English msgids; `locale/<lang>/LC_MESSAGES/messages.po` gives each
language's text (docs/architecture.md, "Words"). The compiled `.mo` is used when a build made
one; otherwise the `.po` is compiled in memory on first use, so an editable install and a wheel
both work without a build step. Domain code builds `Message`s and never formats them itself:
the web layer renders them in the page's language, the API, CLI and logs in English.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("pl", "en")
DOMAIN = "messages"


def N_(msgid: str) -> str:
    """Marks a msgid for extraction where it is translated later (`pybabel extract -k N_`)."""
    return msgid


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The catalogue of `language` (English msgids stay as they are when it has none)."""
    if language not in LANGUAGES:
        return gettext_module.NullTranslations()
    folder = resources.files("upland") / "locale" / language / "LC_MESSAGES"
    compiled = folder / f"{DOMAIN}.mo"
    if compiled.is_file():
        return gettext_module.GNUTranslations(io.BytesIO(compiled.read_bytes()))
    return gettext_module.GNUTranslations(io.BytesIO(_compile(folder / f"{DOMAIN}.po")))


def _compile(po: Any) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po.read_bytes()))
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def gettext_in(language: str, msgid: str) -> str:
    return translations(language).gettext(msgid)


def ngettext_in(language: str, singular: str, plural: str, n: int) -> str:
    """The form CLDR's plural rules pick for n (Polish: 1 wynik, 2 wyniki, 5 wyników)."""
    return translations(language).ngettext(singular, plural, n)


@dataclass(frozen=True)
class Message:
    """A user-facing sentence: an English msgid with `{name}` parameters, and for counted
    nouns its plural msgid and the parameter holding the count."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: str = "n"

    def render(self, language: str) -> str:
        if self.plural is None:
            text = gettext_in(language, self.msgid)
        else:
            text = ngettext_in(language, self.msgid, self.plural, int(self.params[self.count]))
        values = {k: _localised(v, language) for k, v in self.params.items()}
        return text.format(**values) if values else text

    def english(self) -> str:
        return self.render("en")

    def __str__(self) -> str:
        return self.english()


def plural_message(singular: str, plural: str, count: str = "n", **params: Any) -> Message:
    """A message about a number of things (`pybabel extract -k plural_message:1,2`)."""
    return Message(singular, params, plural, count)


def as_message(text: str | Message, params: Mapping[str, Any] | None = None) -> Message:
    return text if isinstance(text, Message) else Message(text, params or {})


@dataclass(frozen=True)
class Joined:
    """Several messages as one parameter, joined by `separator` ("; " between problems)."""

    parts: tuple[Message | Texts | str, ...]
    separator: str = "; "

    def render(self, language: str) -> str:
        return self.separator.join(str(_localised(p, language)) for p in self.parts)


@dataclass(frozen=True)
class Texts:
    """A value people wrote in several languages (a title in Polish and English): the reader's
    language when it was written in it, else the first one given."""

    by_language: Mapping[str, str]

    def render(self, language: str) -> str:
        own = self.by_language.get(language)
        return own or next((text for text in self.by_language.values() if text), "")


@dataclass(frozen=True)
class Day:
    """A date as the reader's language writes it in full ("3 grudnia 2026", "December 3, 2026")."""

    value: dt.date

    def render(self, language: str) -> str:
        from babel.dates import format_date

        return str(format_date(self.value, "long", locale=language))


def _localised(value: Any, language: str) -> Any:
    """A parameter that is itself a message (or a label, a text in several languages, a date)
    is shown in the same language."""
    return value.render(language) if isinstance(value, Message | Joined | Texts | Day) else value


# --- labels of enum values -------------------------------------------------------------------

_LABELS: dict[str, dict[str, str]] = {}


def register_labels(vocabulary: str, labels: Mapping[str, str]) -> None:
    """An area names the msgid shown for each value of one of its enums."""
    _LABELS[vocabulary] = dict(labels)


def labels_of(vocabulary: str) -> dict[str, str]:
    return _LABELS[vocabulary]


def vocabularies() -> list[str]:
    return sorted(_LABELS)


def label(vocabulary: str, value: object, language: str) -> str:
    """How a stored enum value reads (never the raw value); unknown values raise KeyError."""
    if value is None or value == "":
        return ""
    key = getattr(value, "value", value)
    return gettext_in(language, _LABELS[vocabulary][str(key)])


def label_message(vocabulary: str, value: object) -> Message:
    """A label as a message parameter, rendered in the language of the sentence it is in."""
    key = str(getattr(value, "value", value))
    return Message(_LABELS[vocabulary][key])
