"""Attack pass on the events area (4 December), finding 1: the log-in and password-reset limits
counted an IPv6 client address by address, so a client holding a /64 (2^64 addresses) had
unlimited tries. Every limit per client now counts by `ratelimit.client_key`, the function the
guest form's limit uses: an IPv6 client by its /64, an IPv4 address as it is."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in

from upland.accounts import ratelimit, service
from upland.accounts.ratelimit import MESSAGES, Limit
from upland.errors import Invalid, PermissionDenied
from upland.settings import get_settings

WRONG = "wrong-password-1"
NETWORK = ipaddress.IPv6Address("2001:db8:aa:bb::")


def one_of_the_network(n: int) -> str:
    return str(NETWORK + (n * 0x1_0000_0001 + 1))  # spread over the /64's 64 bits


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    ratelimit.reset()
    yield
    ratelimit.reset()


def test_addresses_of_one_ipv6_network_share_the_account_and_address_limit(session: Session):
    account = factories.user(session, email="ola@test.example")
    for n in range(10):
        with pytest.raises(Invalid):
            service.authenticate(session, account.email, WRONG, one_of_the_network(n))

    with pytest.raises(PermissionDenied) as refused:  # an eleventh address of the network
        service.authenticate(session, account.email, factories.PASSWORD, one_of_the_network(99))
    assert str(refused.value) == MESSAGES[Limit.ACCOUNT_ADDRESS]
    # another network (the owner elsewhere) is not locked out
    assert service.authenticate(session, account.email, factories.PASSWORD, "2001:db8:aa:bc::1")


def test_addresses_of_one_ipv6_network_share_the_per_address_limit(session: Session):
    for n in range(30):  # one wrong try at each of thirty accounts, from thirty addresses
        with pytest.raises(Invalid):
            service.authenticate(session, f"nikt{n}@test.example", WRONG, one_of_the_network(n))
    account = factories.user(session, email="ola@test.example")

    with pytest.raises(PermissionDenied) as refused:
        service.authenticate(session, account.email, factories.PASSWORD, one_of_the_network(77))
    assert str(refused.value) == MESSAGES[Limit.ADDRESS]


def test_the_log_in_page_refuses_another_address_of_the_same_network(session: Session, app: Any):
    account = factories.user(session, email="ola@test.example")
    for n in range(10):
        with TestClient(app, base_url="https://testserver", client=(one_of_the_network(n), 1)) as c:
            assert log_in(c, account.email, WRONG).status_code == 401
    with TestClient(app, base_url="https://testserver", client=(one_of_the_network(50), 1)) as c:
        assert log_in(c, account.email).status_code == 429


def test_ipv4_log_ins_still_count_address_by_address(session: Session):
    account = factories.user(session, email="ola@test.example")
    for _ in range(10):
        with pytest.raises(Invalid):
            service.authenticate(session, account.email, WRONG, "192.0.2.7")
    with pytest.raises(PermissionDenied):
        service.authenticate(session, account.email, factories.PASSWORD, "192.0.2.7")
    assert service.authenticate(session, account.email, factories.PASSWORD, "192.0.2.8")


def test_a_known_place_is_the_owners_network_not_one_address_of_it(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    """Past the account-wide limit the owner's usual places may still try: with IPv6 privacy
    addresses the owner's next address differs from the last, within the same /64."""
    monkeypatch.setattr(get_settings(), "login_rate_per_account", "5/hour")
    account = factories.user(session, email="ola@test.example")
    service.start_session(session, account, None, one_of_the_network(1), None)
    for n in range(5):
        with pytest.raises(Invalid):
            service.authenticate(session, account.email, WRONG, f"203.0.113.{n}")

    assert service.authenticate(session, account.email, factories.PASSWORD, one_of_the_network(2))
    with pytest.raises(PermissionDenied):
        service.authenticate(session, account.email, factories.PASSWORD, "2001:db8:aa:bc::1")


def test_addresses_of_one_ipv6_network_share_the_password_reset_limit(session: Session):
    for n in range(20):
        service.request_password_reset(session, f"nikt{n}@firma.example", one_of_the_network(n))
    with pytest.raises(PermissionDenied, match="too many"):
        service.request_password_reset(session, "ktos@firma.example", one_of_the_network(21))
    service.request_password_reset(session, "ktos@firma.example", "2001:db8:aa:bc::1")


def test_the_forgotten_password_page_counts_the_network(app: Any):
    for n in range(21):
        with TestClient(app, base_url="https://testserver", client=(one_of_the_network(n), 1)) as c:
            token = csrf_of(c.get("/password/forgot"))
            answer = c.post(
                "/password/forgot", data={"email": f"nikt{n}@firma.example", "csrf_token": token}
            )
    assert answer.status_code == 429 and "zbyt wiele próśb o nowe hasło" in answer.text


def test_ipv4_password_resets_still_count_address_by_address(session: Session):
    for n in range(20):
        service.request_password_reset(session, f"nikt{n}@firma.example", "192.0.2.7")
    with pytest.raises(PermissionDenied):
        service.request_password_reset(session, "ktos@firma.example", "192.0.2.7")
    service.request_password_reset(session, "ktos@firma.example", "192.0.2.8")


def test_every_per_client_limit_goes_through_the_one_key_function(
    monkeypatch: pytest.MonkeyPatch,
):
    """One function decides who a client is: replacing it changes every limit."""
    seen: list[str] = []

    def spy(address: str) -> str:
        seen.append(address)
        return "one-client"

    monkeypatch.setattr(ratelimit, "client_key", spy)
    ratelimit.admit("a@test.example", "192.0.2.1", lambda: False)
    ratelimit.note_failure("a@test.example", "192.0.2.2")
    ratelimit.allow_reset_address("192.0.2.3")
    ratelimit.allow_guest_registration("192.0.2.4")
    assert {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"} <= set(seen)
