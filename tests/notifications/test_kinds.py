"""Kinds of news exist only as areas register them; these are the tests' own (no fake kinds in
src). Each sentence is a msgid with fields, rendered in the reader's language."""

from __future__ import annotations

import pytest
from tests.notifications.testkinds import ASKED, PINGED, TESTING

from upland.notifications import kinds
from upland.notifications.models import Delivery


def test_test_kinds_are_registered_only_by_the_tests():
    assert {ASKED.code, PINGED.code} <= {k.code for k in kinds.registered()}
    assert all(k.category == TESTING for k in (ASKED, PINGED))


def test_a_sentence_takes_its_fields_and_the_readers_language():
    assert kinds.sentence(ASKED.code, {"who": "Rol-Mech", "how": "daily"}, "en") == (
        "Rol-Mech asks about: daily e-mail digest"
    )
    polish = kinds.sentence(ASKED.code, {"who": "Rol-Mech", "how": "daily"}, "pl")
    assert polish.startswith("Rol-Mech") and "codzienne" in polish


def test_an_unknown_kind_or_broken_params_still_read_as_something():
    assert "no longer sends" in kinds.sentence("gone.kind", {}, "en")
    assert kinds.sentence(PINGED.code, {}, "en") == "Ping"  # its label, not a KeyError


@pytest.mark.parametrize("code", ["nodot", "Upper.case", ".x", "a."])
def test_codes_look_like_area_dot_what(code):
    with pytest.raises(ValueError, match=r"area\.what"):
        kinds.register(kinds.Kind(code, TESTING, "x", "x"))


def test_a_kind_is_not_off_by_default_nor_registered_twice_differently():
    with pytest.raises(ValueError, match="switch it off"):
        kinds.register(kinds.Kind("testing.off", TESTING, "x", "x", Delivery.OFF))
    with pytest.raises(RuntimeError, match="already"):
        kinds.register(kinds.Kind(PINGED.code, TESTING, "other", "other"))
    assert kinds.register(PINGED) is PINGED  # the same registration again is harmless
