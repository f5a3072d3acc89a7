"""Failed log-in limits (the `limits` library), designed so that nobody can lock an account's
owner out from elsewhere (docs/permissions.md, "Security details"):

- per account and client address: that address may not try the account again for a while;
- per client address, whichever accounts it tries;
- per account from all addresses together: past it, only addresses the account has logged in
  from before may still try, so a guesser spread over many addresses is stopped while the
  owner's usual places keep working.

Password-reset requests are limited per e-mail and per client address.

Uses Redis when UPLAND_REDIS_URL is set, so several server processes share the counters;
process memory otherwise. The address is the client's as the server saw it (uvicorn takes
X-Forwarded-For only from UPLAND_TRUSTED_PROXIES).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from upland.settings import get_settings


class Limit(StrEnum):
    ACCOUNT_ADDRESS = "account-address"
    ADDRESS = "address"
    ACCOUNT = "account"


MESSAGES = {
    Limit.ACCOUNT_ADDRESS: "too many failed log-ins; wait a few minutes and try again",
    Limit.ADDRESS: "too many failed log-ins; wait a few minutes and try again",
    Limit.ACCOUNT: "too many failed log-ins to this account from elsewhere; log in from a "
    "place you have logged in from before, or try again later",
}


@lru_cache
def _limiter() -> MovingWindowRateLimiter:
    settings = get_settings()
    storage: Storage = MemoryStorage()
    if settings.redis_url:
        shared = storage_from_string(settings.redis_url)
        assert isinstance(shared, Storage)
        storage = shared
    return MovingWindowRateLimiter(storage)


def _counters(email: str, address: str) -> dict[Limit, tuple[RateLimitItem, str, str]]:
    settings = get_settings()
    email = email.lower()
    return {
        Limit.ADDRESS: (parse(settings.login_rate_per_address), "login-address", address),
        Limit.ACCOUNT_ADDRESS: (
            parse(settings.login_rate_per_account_address),
            "login-account-address",
            f"{email} {address}",
        ),
        Limit.ACCOUNT: (parse(settings.login_rate_per_account), "login-account", email),
    }


def refusal(email: str, address: str, known_address: Callable[[], bool]) -> Limit | None:
    """The limit that refuses this attempt before its password is checked, or None.
    `known_address` (a query) is asked only when the account as a whole is over its limit."""
    limiter = _limiter()
    for limit, (rate, scope, key) in _counters(email, address).items():
        if not limiter.test(rate, scope, key) and (limit != Limit.ACCOUNT or not known_address()):
            return limit
    return None


def note_failed_login(email: str, address: str) -> None:
    limiter = _limiter()
    for rate, scope, key in _counters(email, address).values():
        limiter.hit(rate, scope, key)


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
