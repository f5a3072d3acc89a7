"""The interactive API documentation (Swagger UI) served from the npm package `swagger-ui-dist`
under /vendor/swagger-ui, never from a CDN, and allowed by the CSP through its script's hash."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from upland.web.security_headers import content_security_policy

DOCS_URL = "/api/v1/docs"
VENDOR = "/vendor/swagger-ui"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _script_hashes(html: str) -> str:
    """CSP sources for the page's inline scripts: 'sha256-…' of each script's exact text."""
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in _INLINE_SCRIPT.findall(html)
    )


def install(app: FastAPI) -> None:
    """Serve the docs page; the app must be created with `docs_url=None`."""
    page = get_swagger_ui_html(
        openapi_url=str(app.openapi_url),
        title=f"{app.title} API",
        swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui.css",
        swagger_favicon_url=f"{VENDOR}/favicon-32x32.png",
        oauth2_redirect_url=None,
        # Swagger UI would otherwise load a validity badge from validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )
    html = bytes(page.body).decode()
    policy = content_security_policy(f"'self' {_script_hashes(html)}")

    @app.get(DOCS_URL, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(html, headers={"content-security-policy": policy})
