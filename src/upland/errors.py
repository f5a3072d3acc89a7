"""Domain errors. Services raise these; the web layer maps them to HTTP status codes."""

from __future__ import annotations

from dataclasses import dataclass, field


class UplandError(Exception):
    """Base of every error a user can be told about."""


class NotFound(UplandError):
    """The object does not exist, or the actor may not know that it exists."""


class PermissionDenied(UplandError):
    """The actor is known but may not do this."""


class Conflict(UplandError):
    """The write would break a rule about stored data (the NIP is registered already, the
    organisation would lose its last admin)."""


class Gone(UplandError):
    """The thing existed but can no longer be used (an expired or already used invitation)."""


@dataclass
class FieldError:
    field: str
    message: str


@dataclass
class Invalid(UplandError):
    """Input failed validation; `errors` names each field and why."""

    errors: list[FieldError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))

    @classmethod
    def one(cls, field_name: str, message: str) -> Invalid:
        return cls([FieldError(field_name, message)])
