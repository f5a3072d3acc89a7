"""Failed log-in and password-reset limits per account and per client address (the `limits`
library).

Uses Redis when UPLAND_REDIS_URL is set, so several server processes share the counters;
process memory otherwise.
"""

from __future__ import annotations

from functools import lru_cache

from limits import parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from upland.settings import get_settings


@lru_cache
def _limiter() -> MovingWindowRateLimiter:
    settings = get_settings()
    storage: Storage = MemoryStorage()
    if settings.redis_url:
        shared = storage_from_string(settings.redis_url)
        assert isinstance(shared, Storage)
        storage = shared
    return MovingWindowRateLimiter(storage)


def _keys(email: str, address: str) -> list[tuple[str, str, str]]:
    settings = get_settings()
    return [
        (settings.login_rate_per_account, "login-account", email.lower()),
        (settings.login_rate_per_address, "login-address", address),
    ]


def login_blocked(email: str, address: str) -> bool:
    limiter = _limiter()
    return any(
        not limiter.test(parse(rate), scope, key) for rate, scope, key in _keys(email, address)
    )


def note_failed_login(email: str, address: str) -> None:
    limiter = _limiter()
    for rate, scope, key in _keys(email, address):
        limiter.hit(parse(rate), scope, key)


RESET_PER_EMAIL = "3/hour"
RESET_PER_ADDRESS = "20/hour"


def allow_reset_request(email: str, address: str) -> bool:
    """Counts the request; False once either the address or the client sent too many."""
    limiter = _limiter()
    checks = [
        (RESET_PER_EMAIL, "reset-account", email.lower()),
        (RESET_PER_ADDRESS, "reset-address", address),
    ]
    return all([limiter.hit(parse(rate), scope, key) for rate, scope, key in checks])


def reset() -> None:
    """Forget all counters (tests; an admin after an incident)."""
    _limiter().storage.reset()
