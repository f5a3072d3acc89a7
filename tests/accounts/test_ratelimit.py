"""Failed log-in limits: a guesser is stopped, the owner elsewhere is not locked out."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import log_in

from upland.accounts import passwords, service
from upland.accounts.ratelimit import MESSAGES, Limit
from upland.errors import Invalid, PermissionDenied
from upland.settings import Settings, get_settings

WRONG = "wrong-password-1"


def browser_at(app: Any, address: str) -> TestClient:
    return TestClient(app, base_url="https://testserver", client=(address, 50000))


@pytest.fixture
def attacker(app: Any) -> Iterator[TestClient]:
    with browser_at(app, "203.0.113.7") as browser:
        yield browser


def test_eleven_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(
    session: Session, app: Any, attacker: TestClient
):
    """The review's item 5: the lockout was per account, from any address."""
    account = factories.user(session, email="ola@test.example")
    for _ in range(10):
        assert log_in(attacker, account.email, WRONG).status_code == 401
    assert log_in(attacker, account.email, WRONG).status_code == 429

    with browser_at(app, "198.51.100.20") as owner:
        assert log_in(owner, account.email).status_code == 303
        assert owner.get("/account", follow_redirects=False).status_code == 200


def test_the_same_address_stays_locked_out_even_with_the_right_password(
    session: Session, attacker: TestClient
):
    account = factories.user(session, email="ola@test.example")
    for _ in range(10):
        log_in(attacker, account.email, WRONG)

    response = log_in(attacker, account.email)

    assert response.status_code == 429
    assert "zbyt wiele nieudanych prób logowania" in response.text
    assert attacker.get("/account", follow_redirects=False).status_code == 303


def test_forwarded_headers_do_not_change_the_address_the_limit_counts(
    session: Session, attacker: TestClient
):
    """The app reads no X-Forwarded-For: only uvicorn may, for configured proxies."""
    account = factories.user(session, email="ola@test.example")
    for n in range(10):
        attacker.headers["x-forwarded-for"] = f"192.0.2.{n}"
        log_in(attacker, account.email, WRONG)
    attacker.headers["x-forwarded-for"] = "192.0.2.99"
    assert log_in(attacker, account.email).status_code == 429


def test_past_the_account_wide_limit_only_known_addresses_may_try(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(get_settings(), "login_rate_per_account", "5/hour")
    account = factories.user(session, email="ola@test.example")
    service.start_session(session, account, None, "10.0.0.1", None)  # the owner's office
    for n in range(5):  # a guesser spread over many addresses
        with pytest.raises(Invalid):
            service.authenticate(session, account.email, WRONG, f"203.0.113.{n}")

    with pytest.raises(PermissionDenied) as refused:
        service.authenticate(session, account.email, factories.PASSWORD, "203.0.113.50")
    assert str(refused.value) == MESSAGES[Limit.ACCOUNT]
    assert service.authenticate(session, account.email, factories.PASSWORD, "10.0.0.1")


def test_the_account_wide_refusal_is_in_polish(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(get_settings(), "login_rate_per_account", "1/hour")
    account = factories.user(session, email="ola@test.example")
    with pytest.raises(Invalid):
        service.authenticate(session, account.email, WRONG, "203.0.113.1")

    response = log_in(client, account.email)

    assert response.status_code == 429
    assert "zaloguj się z miejsca, z którego logowano się już wcześniej" in response.text


@pytest.mark.parametrize(
    "variable",
    [
        "UPLAND_LOGIN_RATE_PER_ACCOUNT",
        "UPLAND_LOGIN_RATE_PER_ACCOUNT_ADDRESS",
        "UPLAND_LOGIN_RATE_PER_ADDRESS",
    ],
)
def test_a_rate_that_does_not_parse_stops_the_start_up(
    monkeypatch: pytest.MonkeyPatch, variable: str
):
    monkeypatch.setenv(variable, "garbage")
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    [error] = caught.value.errors()
    assert error["loc"] == (variable.removeprefix("UPLAND_").lower(),)
    assert "'garbage' is not a rate like 10/15minute or 50 per hour" in error["msg"]


def test_rates_in_the_limits_syntax_are_accepted(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("UPLAND_LOGIN_RATE_PER_ACCOUNT", "100 per day")
    assert Settings(_env_file=None).login_rate_per_account == "100 per day"


def test_concurrent_wrong_passwords_never_get_more_checks_than_the_limit(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    """Attempts that arrive while the first password is being hashed are counted already."""
    account = factories.user(session)
    checked: list[str] = []
    real = passwords.verify_password

    def slow_check(password_hash: str | None, password: str) -> bool:
        checked.append(password)
        if len(checked) == 1:  # 29 more arrive while this hash runs
            for _ in range(29):
                with contextlib.suppress(Invalid, PermissionDenied):
                    service.authenticate(session, account.email, "wrong-guess-1", "203.0.113.9")
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", slow_check)
    with pytest.raises(Invalid):
        service.authenticate(session, account.email, "wrong-guess-1", "203.0.113.9")
    assert len(checked) == 10  # UPLAND_LOGIN_RATE_PER_ACCOUNT_ADDRESS


def test_the_right_password_clears_the_count_of_that_account_and_address(session: Session):
    account = factories.user(session)
    for _ in range(9):
        with pytest.raises(Invalid):
            service.authenticate(session, account.email, "wrong-guess-1", "203.0.113.9")
    service.authenticate(session, account.email, factories.PASSWORD, "203.0.113.9")
    for _ in range(10):  # a fresh allowance, not the one left over
        with pytest.raises(Invalid):
            service.authenticate(session, account.email, "wrong-guess-1", "203.0.113.9")


def test_colleagues_logging_in_from_one_office_never_lock_each_other_out(session: Session):
    """Only failures count per address: 40 right log-ins from one address all succeed."""
    colleagues = [factories.user(session) for _ in range(4)]
    for _ in range(10):
        for colleague in colleagues:
            service.authenticate(session, colleague.email, factories.PASSWORD, "198.51.100.7")
