"""The cluster's figures: grouped by the configured partner areas and by sector, with cells
under 5 suppressed (and their complements, so no total gives a small cell back)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from tests import factories

from upland.home import figures
from upland.settings import get_settings
from upland.small_cells import MIN_CELL, suppress

LUBLIN, RADOM, STARACHOWICE = "0663011", "1463011", "2611011"
NIEMCE = "0609112"  # powiat lubelski: Lublin's area
PIONKI = "1425011"  # powiat radomski: Radom's area
KIELCE, PULAWY = "2661011", "0614011"  # outside every partner area


def _at(teryt: str) -> dict[str, Any]:
    return {"sites": [{"teryt": teryt, "is_headquarters": True}]}


def _members(session: Session, teryt: str, n: int, **more: Any) -> list[Any]:
    return [factories.organisation(session, **_at(teryt), **more) for _ in range(n)]


@pytest.fixture
def cluster(session: Session) -> None:
    """Lublin's area 6 (one in Niemce), Radom's 3 (one in Pionki), Starachowice none,
    outside 5; and a non-member in Radom that no figure counts."""
    _members(session, LUBLIN, 5)
    _members(session, NIEMCE, 1, pkd_codes=[{"code": "28.30.Z", "is_primary": True}])
    _members(session, RADOM, 2, kind="research", pkd_codes=[{"code": "72.10.Z"}])
    _members(session, PIONKI, 1)
    _members(session, KIELCE, 3)
    _members(session, PULAWY, 2)
    factories.organisation(session, membership_status="none", **_at(RADOM))
    session.commit()


def _counts(cells: list[figures.Cell]) -> dict[str, int | None]:
    return {c.key: c.count for c in cells}


def test_small_cells_are_hidden_and_so_is_their_complement(session, cluster):
    shown = figures.cluster_figures(session, hide_small=True)
    # Radom's 3 and Starachowice's 0 are under 5; with the total shown, Radom's 3 would be
    # 14 - 6 - 5, so the next smallest cell (outside, 5) is hidden as well.
    assert _counts(shown.by_area) == {LUBLIN: 6, RADOM: None, STARACHOWICE: None, "outside": None}
    assert shown.members == 14
    assert shown.research_units is None  # 2 research units: too few to show
    assert shown.organisations == 15  # the non-member is in the registry, not in the cluster


def test_every_figure_counts_for_staff(session, cluster):
    whole = figures.cluster_figures(session, hide_small=False)
    assert _counts(whole.by_area) == {LUBLIN: 6, RADOM: 3, STARACHOWICE: 0, "outside": 5}
    assert whole.research_units == 2
    sectors = _counts(whole.by_sector)
    assert sectors["metal"] == 11  # the factory's 25.53.Z
    assert sectors["agricultural_machinery"] == 1
    assert sectors["engineering"] == 2
    assert sum(v or 0 for v in sectors.values()) == 14


def test_an_officer_sees_their_area_unsuppressed(session, cluster):
    radom = figures.area_figures(session, RADOM)
    assert radom.members == 3 and radom.research_units == 2 and radom.organisations == 4
    assert radom.by_area[0].label == "Radom"
    assert _counts(radom.by_sector)["engineering"] == 2


def test_figures_follow_the_configured_partner_areas(session, cluster, monkeypatch):
    """Areas configured as the cities alone: Niemce and Pionki count as outside."""
    settings = get_settings().model_copy(
        update={"partner_areas": {LUBLIN: ["0663"], RADOM: ["1463"], STARACHOWICE: ["2611"]}}
    )
    monkeypatch.setattr(figures, "get_settings", lambda: settings)
    whole = figures.cluster_figures(session, hide_small=False)
    assert _counts(whole.by_area) == {LUBLIN: 5, RADOM: 2, STARACHOWICE: 0, "outside": 7}


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([3, 10, 12], [None, None, 12]),  # a lone small cell takes the next smallest with it
        ([0, 10, 12], [None, 10, 12]),  # a zero tells nothing of any firm
        ([2, 2, 10, 20], [None, None, None, 20]),  # 4 together is still too few
        ([3, 4, 10, 12], [None, None, 10, 12]),  # 7 between two cells: neither recoverable
        ([6, 7], [6, 7]),
        ([1], [None]),
    ],
)
def test_suppression(counts, expected):
    assert suppress(counts, total_known=True) == expected


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_nothing_small_can_be_worked_out_from_the_total(counts):
    shown = suppress(counts, total_known=True)
    hidden = [n for n, s in zip(counts, shown, strict=True) if s is None]
    assert all(s is None or s >= MIN_CELL for s in shown)
    assert all(s is None or s == n for n, s in zip(counts, shown, strict=True))
    if len(hidden) == len(counts):
        return  # the total is the hidden sum itself, and is hidden under 5 (test above)
    # What a reader learns by subtracting from the total: the hidden cells' sum.
    assert sum(hidden) == 0 or sum(hidden) >= MIN_CELL
    assert len([n for n in hidden if n > 0]) != 1


def test_subtracting_the_public_list_reveals_no_small_cell(session: Session) -> None:
    """Lublin 8 members of which 3 are not public: the public list shows 5, so showing 8
    would give the 3 away; Radom 6, all public, is safe to show."""
    _members(session, LUBLIN, 5)
    _members(session, LUBLIN, 3, visibility="members")
    _members(session, RADOM, 6)
    _members(session, STARACHOWICE, 7)
    session.commit()
    shown = figures.cluster_figures(session, hide_small=True)
    assert _counts(shown.by_area)[LUBLIN] is None
    assert _counts(shown.by_area)[RADOM] == 6
    assert shown.members is None  # 21 members, 18 listed: the 3 again


@given(
    st.lists(st.integers(0, 30), min_size=2, max_size=6).flatmap(
        lambda counts: st.tuples(st.just(counts), st.tuples(*(st.integers(0, n) for n in counts)))
    )
)
def test_no_small_unlisted_part_can_be_worked_out(case: Any) -> None:
    counts, unlisted = case[0], list(case[1])
    shown = suppress(counts, total_known=True, unlisted=unlisted)
    for i, value in enumerate(shown):
        if value is not None:
            assert not 0 < unlisted[i] < MIN_CELL
    hidden_part = sum(unlisted[i] for i, v in enumerate(shown) if v is None)
    assert not 0 < hidden_part < MIN_CELL or all(v is None for v in shown)
