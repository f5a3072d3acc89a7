"""E-mail templates: `templates/mail/<name>.<language>.txt` and `.html`. The text template sets
`subject`; the HTML one is autoescaped."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

LANGUAGES = ("pl", "en")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@lru_cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("upland", "templates/mail"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, language: str, context: dict[str, Any]) -> Rendered:
    language = language if language in LANGUAGES else LANGUAGES[0]
    env = _environment()
    text = env.get_template(f"{name}.{language}.txt").make_module(context)
    html = env.get_template(f"{name}.{language}.html").render(context)
    subject = " ".join(str(getattr(text, "subject", "Upland")).split())
    return Rendered(subject=subject, text=str(text).strip() + "\n", html=html)
