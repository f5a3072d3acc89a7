"""The return address after logging in or switching language: this site's pages only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upland.web.return_to import login_href, same_site


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "organisations",
        "//evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\x00",
        "/ok\r\nLocation: https://evil.example",
        "/ok\x7f",
    ],
)
def test_other_sites_and_odd_addresses_are_refused(target: str | None) -> None:
    assert same_site(target) is None


@pytest.mark.parametrize(
    "target", ["/", "/vocabulary?kind=material", "/organisations?q=a%26b&city=0663011#x"]
)
def test_pages_of_the_site_keep_their_query(target: str) -> None:
    assert same_site(target) == target


@given(st.text(max_size=30))
def test_whatever_is_accepted_is_a_path_of_this_site(target: str) -> None:
    found = same_site(target)
    if found is not None:
        assert found.startswith("/") and not found.startswith("//")
        assert not any(ord(c) < 32 for c in found) and "\\" not in found


def test_the_log_in_link_carries_path_and_query_encoded() -> None:
    assert login_href("/vocabulary", "kind=material") == "/login?next=/vocabulary%3Fkind%3Dmaterial"
    assert login_href("/account") == "/login?next=/account"
    assert login_href("/") == "/login"
    assert login_href("/login", "next=/account") == "/login"
