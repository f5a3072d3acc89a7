"""Security headers on every response, pages that satisfy the strict CSP (no inline code), and no
page that loads anything from another site (issue #6, item 12)."""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.web.security_headers import HEADERS

TEMPLATES = resources.files("upland") / "templates"
# Inline code the CSP refuses: event-handler attributes, style attributes and elements, scripts
# without a src.
INLINE_CODE = re.compile(r"\son[a-z]+=|\sstyle=|<style|<script(?![^>]*\ssrc=)", re.IGNORECASE)
FOREIGN_URL = re.compile(r"""(?:src|href|action)=["']?(?:https?:)?//""", re.IGNORECASE)


def _is_email_body(entry: Any) -> bool:
    """E-mail bodies are read by mail programs, which need inline styles; no browser page
    renders them under the CSP (the outbox page shows their text)."""
    return entry.parent.name == "mail" and entry.name != "outbox.html"


def _templates() -> list[Any]:
    found = []
    folders = [TEMPLATES]
    while folders:
        for entry in folders.pop().iterdir():
            (folders.append if entry.is_dir() else found.append)(entry)
    return [entry for entry in found if not _is_email_body(entry)]


def _assert_secure(response: Any) -> None:
    for name, value in HEADERS.items():
        if name != "content-security-policy":
            assert response.headers[name] == value, (response.url, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize("template", _templates(), ids=lambda t: t.name)
def test_templates_hold_no_inline_code(template: Any) -> None:
    assert not INLINE_CODE.search(template.read_text()), template.name


def test_every_kind_of_response_carries_the_headers(session: Session, client: Any) -> None:
    org = factories.organisation(session)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    pages = [
        "/organisations",
        f"/organisations/{org.id}",
        f"/organisations/{org.id}/edit",
        f"/organisations/{org.id}/members",
        "/organisations/new",
        "/organisations/import",
        "/account",
        "/audit",
        "/pkd/suggest",
        "/nowhere",
    ]
    for path in pages:
        response = caller.send("GET", path)
        assert response.status_code in {200, 404}, path
        _assert_secure(response)
        assert not FOREIGN_URL.search(response.text), path
        assert not INLINE_CODE.search(response.text), path
    for path in ["/api/v1/organisations", "/api/v1/openapi.json", "/static/upland.css"]:
        _assert_secure(caller.send("GET", path))
    _assert_secure(client.post("/login", data={"email": "x@y.example"}))  # a 403 page
    _assert_secure(client.get("/login"))


def test_api_docs_come_from_the_npm_package_and_satisfy_the_csp(client: Any) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    _assert_secure(response)
    assert not FOREIGN_URL.search(response.text)
    for asset in re.findall(r'(?:src|href)="(/vendor/swagger-ui/[^"]+)"', response.text):
        assert client.get(asset).status_code == 200, asset
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in response.text
    (script,) = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}'" in response.headers["content-security-policy"]
