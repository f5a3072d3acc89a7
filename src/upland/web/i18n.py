"""The page language, and gettext for templates (Jinja2's i18n extension, per request)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from upland import i18n
from upland.i18n import LANGUAGES

__all__ = ["LANGUAGES", "install", "negotiate"]


def _language(context: Context) -> str:
    return str(context.get("lang") or "pl")


@lru_cache(maxsize=8192)
def _without_variables(language: str, message: str, autoescape: bool) -> str:
    text = i18n.gettext_in(language, message)
    return (Markup(text) if autoescape else text) % {}  # noqa: S704 - our catalogue, as Jinja2 does


@pass_context
def _newstyle_gettext(context: Context, message: str, **variables: Any) -> str:
    """`{{ _("Save") }}` as Jinja2's new-style gettext answers it (the translation, marked safe
    under autoescape, always formatted with its variables), with the answer for a message
    without variables kept per language: a page says dozens of them on every request, and
    making each anew was an eighth of the list page's time (`upland bench web`)."""
    autoescape = bool(context.eval_ctx.autoescape)
    if not variables:
        return _without_variables(_language(context), message, autoescape)
    translated = i18n.gettext_in(_language(context), message)
    return (Markup(translated) if autoescape else translated) % variables  # noqa: S704


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
    env.install_gettext_callables(_newstyle_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    # `_newstyle_gettext` is new-style itself: used as it is, not wrapped a second time.
    env.globals["gettext"] = env.globals["_"] = _newstyle_gettext
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
