"""Attack pass (4 December) on the guest form's limit. A script that sends the public guest form
makes the platform e-mail whichever addresses it types; the form is limited per client
address. An IPv6 client holds a whole /64 (2^64 addresses, each one its own "client"), so the
limit must count the network, not the address."""

from __future__ import annotations

import ipaddress

from upland.accounts import ratelimit

LIMIT = int(ratelimit.GUEST_REGISTRATIONS_PER_ADDRESS.split("/")[0])


def test_an_ipv6_client_cannot_walk_its_own_network_past_the_limit() -> None:
    ratelimit.reset()
    base = ipaddress.IPv6Address("2001:db8:1:2::")
    allowed = [ratelimit.allow_guest_registration(str(base + n)) for n in range(1, LIMIT + 2)]
    assert allowed == [True] * LIMIT + [False]
    assert ratelimit.guest_registration_retry_after(str(base + 999)) > 0
    assert ratelimit.allow_guest_registration("2001:db8:1:3::1")  # another network
    assert ratelimit.allow_guest_registration("192.0.2.7")
    ratelimit.reset()


def test_ipv4_addresses_count_one_by_one() -> None:
    ratelimit.reset()
    for _ in range(LIMIT):
        assert ratelimit.allow_guest_registration("192.0.2.7")
    assert not ratelimit.allow_guest_registration("192.0.2.7")
    assert ratelimit.allow_guest_registration("192.0.2.8")
    assert ratelimit.client_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert ratelimit.client_key("unknown") == "unknown"
    ratelimit.reset()
