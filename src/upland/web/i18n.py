"""The page language, and gettext for templates (Jinja2's i18n extension, per request)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from upland import i18n
from upland.i18n import LANGUAGES

__all__ = ["LANGUAGES", "install", "negotiate"]


def _language(context: Context) -> str:
    return str(context.get("lang") or "pl")


@pass_context
def _gettext(context: Context, message: str) -> str:
    return i18n.gettext_in(_language(context), message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return i18n.ngettext_in(_language(context), singular, plural, n)


@pass_context
def _label(context: Context, value: Any, vocabulary: str) -> str:
    """`{{ org.kind | label("organisation_kind") }}`: an enum value as its label."""
    return i18n.label(vocabulary, value, _language(context))


@pass_context
def _say(context: Context, message: i18n.Message | Mapping[str, str] | str) -> str:
    """A domain `Message` (or an error carrying one) in the page's language; a message kept as
    JSON (a job's report) is stored rendered in every language: {"en": …, "pl": …}."""
    if isinstance(message, str):
        return message
    if isinstance(message, Mapping):
        return str(message.get(_language(context)) or message.get("en", ""))
    return message.render(_language(context))


ERASED = i18n.N_("(erased)")  # the name erasure leaves on a person or an account


@pass_context
def _person(context: Context, name: str | None) -> str:
    """`{{ p.full_name | person }}`: a name as stored, the erased placeholder translated."""
    if name == ERASED:
        return i18n.gettext_in(_language(context), ERASED)
    return name or "—"


def install(env: Environment) -> None:
    """Each template sees `_`, `gettext`, `ngettext` and `{% trans %}` in the `lang` of its
    context, which `render` sets from the request."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["label"] = _label
    env.filters["say"] = _say
    env.filters["person"] = _person


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
