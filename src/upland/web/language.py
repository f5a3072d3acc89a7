"""The language switch: `GET /language?lang=en&next=/organisations?city=…` remembers the
language (the request middleware sets the cookie for any `?lang=`) and returns to the page the
user was on, with its query string, so active filters survive and pages whose query is
validated strictly (`/audit`) never meet an unexpected `lang` parameter."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import RedirectResponse

from upland.web.return_to import here, same_site
from upland.web.routing import Router

router = Router(include_in_schema=False)
HOME = "/organisations"


def local_target(target: str | None) -> str:
    """A same-site path (with its query) or the home page: never another site."""
    local = same_site(target)
    return without_language(local) if local else HOME


def without_language(target: str) -> str:
    """The path and query of `target` minus any `lang` parameter (it would override the
    switch: the cookie is only asked when the query names no language); the rest of the query
    is kept as it was written."""
    path, _, query = target.partition("?")
    kept = [part for part in query.split("&") if part and part.split("=")[0] != "lang"]
    return path + (f"?{'&'.join(kept)}" if kept else "")


def switch_href(path: str, query: str, lang: str) -> str:
    """The switch link of a page: to `lang`, and back to this path and query."""
    return "/language?" + urlencode({"lang": lang, "next": without_language(here(path, query))})


@router.get("/language")
def switch_language(next: str | None = None) -> RedirectResponse:
    """Back to `next`; the `lang` of the query is remembered by `RequestContext`."""
    return RedirectResponse(local_target(next), status_code=303)
