"""Failed log-in limits (the `limits` library), designed so that nobody can lock an account's
owner out from elsewhere (docs/permissions.md, "Security details"):

Attempts on one account from one address count before the password is checked (so
concurrent guesses get no extra checks) and a success clears that counter; the wider counters
(per address, per account) count failures only, so an office's colleagues logging in
normally never lock each other out:

- per account and client address: that address may not try the account again for a while;
- per client address, whichever accounts it tries;
- per account from all addresses together: past it, only addresses the account has logged in
  from before may still try, so a guesser spread over many addresses is stopped while the
  owner's usual places keep working.

Password-reset requests are limited per client (refused) and per e-mail (silently: no more
e-mails, the same answer); so are guests' registrations for events, per client.

Every limit per client counts the client by `client_key`: an IPv4 address as it is, an IPv6
client by its /64 network (every address in it is the same subscriber's to use).

Uses Redis when UPLAND_REDIS_URL is set, so several server processes share the counters;
process memory otherwise. The address is the client's as the server saw it (uvicorn takes
X-Forwarded-For only from UPLAND_TRUSTED_PROXIES).
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from upland.i18n import N_
from upland.settings import get_settings


class Limit(StrEnum):
    ACCOUNT_ADDRESS = "account-address"
    ADDRESS = "address"
    ACCOUNT = "account"


MESSAGES = {
    Limit.ACCOUNT_ADDRESS: N_("too many failed log-ins; wait a few minutes and try again"),
    Limit.ADDRESS: N_("too many failed log-ins; wait a few minutes and try again"),
    Limit.ACCOUNT: N_(
        "too many failed log-ins to this account from elsewhere; log in from a "
        "place you have logged in from before, or try again later"
    ),
}


def client_key(address: str) -> str:
    """Whom a limit per client counts: an IPv4 address as it is, an IPv6 one by its /64 (one
    subscriber's network: every address in it is theirs to use, so counting them one by one
    limits nothing)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


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
    address = client_key(address)
    return {
        Limit.ADDRESS: (parse(settings.login_rate_per_address), "login-address", address),
        Limit.ACCOUNT_ADDRESS: (
            parse(settings.login_rate_per_account_address),
            "login-account-address",
            f"{email} {address}",
        ),
        Limit.ACCOUNT: (parse(settings.login_rate_per_account), "login-account", email),
    }


def admit(email: str, address: str, known_address: Callable[[], bool]) -> Limit | None:
    """Count a log-in attempt before its password is checked; the limit that refuses it, or
    None. Counting first (each hit is atomic in the storage) means that concurrent attempts
    never get more passwords checked than the limit allows. `known_address` (a query) is
    asked only when the account as a whole is over its limit."""
    limiter = _limiter()
    for limit, (rate, scope, key) in _counters(email, address).items():
        admitted = (
            limiter.hit(rate, scope, key)
            if limit == Limit.ACCOUNT_ADDRESS
            else limiter.test(rate, scope, key)
        )
        if not admitted and (limit != Limit.ACCOUNT or not known_address()):
            return limit
    return None


def note_failure(email: str, address: str) -> None:
    """A wrong password: the per-address and per-account counters take it."""
    limiter = _limiter()
    for limit, (rate, scope, key) in _counters(email, address).items():
        if limit != Limit.ACCOUNT_ADDRESS:
            limiter.hit(rate, scope, key)


def note_success(email: str, address: str) -> None:
    """The right password: the attempts of that account from that address are forgiven."""
    rate, scope, key = _counters(email, address)[Limit.ACCOUNT_ADDRESS]
    _limiter().clear(rate, scope, key)


RESET_PER_EMAIL = "3/hour"
RESET_PER_ADDRESS = "20/hour"


def allow_reset_address(address: str) -> bool:
    """Counts a request from this client (`client_key`); False once it sent too many (it is
    told)."""
    return _limiter().hit(parse(RESET_PER_ADDRESS), "reset-address", client_key(address))


def allow_reset_email(email: str) -> bool:
    """Counts a request for this e-mail; False once it had enough for now. Never shown to the
    client (that would let anybody refuse the owner): nothing more is sent, the earlier link
    stays valid and the mailbox is not flooded."""
    return _limiter().hit(parse(RESET_PER_EMAIL), "reset-account", email.lower())


GUEST_REGISTRATIONS_PER_ADDRESS = "20/hour"


def allow_guest_registration(address: str) -> bool:
    """Counts an anonymous sign-up (an event's guest) from this client (`client_key`); False
    once it sent too many for now (it is told: 429)."""
    return _limiter().hit(
        parse(GUEST_REGISTRATIONS_PER_ADDRESS), "guest-address", client_key(address)
    )


def guest_registration_retry_after(address: str) -> int:
    """Seconds until this client address may sign up a guest again (the oldest counted
    sign-up leaves the window): the 429's Retry-After."""
    stats = _limiter().get_window_stats(
        parse(GUEST_REGISTRATIONS_PER_ADDRESS), "guest-address", client_key(address)
    )
    return max(1, math.ceil(stats.reset_time - time.time()))


def reset() -> None:
    """Forget all counters (tests; an admin after an incident)."""
    _limiter().storage.reset()
