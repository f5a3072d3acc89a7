"""Domain errors. Services raise these; the web layer maps them to HTTP status codes.

Each carries a stable `code` (for API clients) and a `Message`: an English msgid with
parameters, so a page renders it in its own language and the API and logs in English, e.g.
`NotFound("organisation {id} does not exist", code="organisation.not_found", id=7)`.
"""

from __future__ import annotations

from typing import Any

from upland.i18n import Message, as_message


class UplandError(Exception):
    """Base of every error a user can be told about."""

    default_code = "error"

    def __init__(self, msgid: str | Message = "", *, code: str | None = None, **params: Any):
        self.msg = as_message(msgid, params)
        self.code = code or self.default_code
        super().__init__(self.msg.english())

    def render(self, language: str) -> str:
        return self.msg.render(language)


class NotFound(UplandError):
    """The object does not exist, or the actor may not know that it exists."""

    default_code = "not_found"


class PermissionDenied(UplandError):
    """The actor is known but may not do this."""

    default_code = "permission_denied"


class Conflict(UplandError):
    """The write would break a rule about stored data (the NIP is registered already, the
    organisation would lose its last admin)."""

    default_code = "conflict"


class Gone(UplandError):
    """The thing existed but can no longer be used (an expired or already used invitation)."""

    default_code = "gone"


class TooMany(UplandError):
    """One client asked too often for now (anonymous sign-ups from one address): answered 429;
    the client may try again later, after `retry_after` seconds (the Retry-After header)."""

    default_code = "too_many"

    def __init__(
        self,
        msgid: str | Message = "",
        *,
        code: str | None = None,
        retry_after: int | None = None,
        **params: Any,
    ):
        super().__init__(msgid, code=code, **params)
        self.retry_after = retry_after


class Busy(UplandError):
    """Something the request needs is held or away for a moment (a long import holds SQLite's
    writer lock; Redis is unreachable): answered 503 with Retry-After, never 500."""

    default_code = "busy"


class FieldError:
    """Why one field is wrong: `message` in English, `msg` to render in another language."""

    def __init__(
        self, field: str, msgid: str | Message, *, code: str = "invalid", **params: Any
    ) -> None:
        self.field = field
        self.msg = as_message(msgid, params)
        self.code = code

    @property
    def message(self) -> str:
        return self.msg.english()

    def __repr__(self) -> str:
        return f"FieldError({self.field!r}, {self.message!r}, code={self.code!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldError) and (self.field, self.msg, self.code) == (
            other.field,
            other.msg,
            other.code,
        )


class Invalid(UplandError):
    """Input failed validation; `errors` names each field and why."""

    default_code = "invalid"

    def __init__(self, errors: list[FieldError] | None = None) -> None:
        self.errors = list(errors or [])
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))

    def render(self, language: str) -> str:
        return "; ".join(f"{e.field}: {e.msg.render(language)}" for e in self.errors)

    @classmethod
    def one(
        cls, field_name: str, msgid: str | Message, *, code: str = "invalid", **params: Any
    ) -> Invalid:
        return cls([FieldError(field_name, msgid, code=code, **params)])


class InvalidValue(ValueError):
    """Raised by schema validators and value cleaners: pydantic reports it as a field error
    (type `value_error`, the exception in its context), the import uses `str()`, the web
    layer renders `msg` in the page's language and the API answers with `code`."""

    def __init__(self, msgid: str | Message, *, code: str = "value_error", **params: Any):
        self.msg = as_message(msgid, params)
        self.code = code
        super().__init__(self.msg.english())
