"""Argon2 password hashing (argon2-cffi defaults: RFC 9106 low-memory profile), and the digest
under which random tokens (API tokens, invitation links) are stored."""

from __future__ import annotations

import hashlib
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from upland.i18n import N_, Message, plural_message

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against this keeps unknown-account log-ins as slow as real ones."""
    return _hasher.hash("upland-timing-equaliser")


MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def check_strength(password: str) -> Message | None:
    """A reason the password is unacceptable, or None."""
    if len(password) < MIN_LENGTH:
        return plural_message(
            "must be at least {n} character", "must be at least {n} characters", n=MIN_LENGTH
        )
    if password.isdigit() or password.isalpha():
        return Message(N_("must mix letters with digits or symbols"))
    return None


def digest(token: str) -> str:
    """SHA-256 of a random token: long random values need no slow hash, passwords do."""
    return hashlib.sha256(token.encode()).hexdigest()
