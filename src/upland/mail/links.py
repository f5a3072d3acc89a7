"""Absolute links for e-mails and API answers, always from the configured public address
(never from a request's Host header, which the client chooses), and signed link tokens."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from upland.settings import get_settings

DEVELOPMENT_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    """`public_url`, or the local server in development mode; nothing else is trusted."""
    settings = get_settings()
    if settings.public_url:
        return settings.public_url.rstrip("/")
    if settings.dev_mode:
        return DEVELOPMENT_URL
    raise RuntimeError("UPLAND_PUBLIC_URL is not set; links cannot be built outside development")


def absolute(path: str) -> str:
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"not a path on this site: {path!r}")
    return base_url() + path


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt=f"upland.{purpose}")


def sign(purpose: str, value: int | str) -> str:
    """A token that proves `value` came from us, for links that work without logging in."""
    return str(_serializer(purpose).dumps(value))


def unsign(purpose: str, token: str) -> int | str | None:
    """The signed value, or None when the token was not made by `sign(purpose, …)`."""
    try:
        value = _serializer(purpose).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int | str) else None
