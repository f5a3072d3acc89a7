"""One plain e-mail address, as people and the SMTP envelope mean it.

Checked by `email-validator` (syntax only; no DNS), so a comma, a quoted local part or a
display name can never turn one address into several recipients. Stored lower-case.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from upland.errors import Invalid
from upland.i18n import N_

MESSAGE = N_("enter an e-mail address like name@firm.example")
MAX_LENGTH = 254


def is_single_address(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return len(value) <= MAX_LENGTH


def single_address(value: str, field: str = "email") -> str:
    """`value` trimmed and lower-cased if it is exactly one plain address; Invalid if not."""
    email = value.strip().lower()
    if not is_single_address(email):
        raise Invalid.one(field, MESSAGE, code="email.invalid")
    return email
