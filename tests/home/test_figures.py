"""The cluster's figures: grouped by the configured partner areas and by sector, published by
the disclosure rule (`home.disclosure`, whose own tests try every table a reader could infer)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland.home import figures
from upland.settings import get_settings

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
    # Radom's 3 is under 5 (Starachowice's 0 tells nothing of any firm); with the total exact,
    # Radom's 3 would be 14 - 6 - 5, so the total is rounded: Radom is then 3 to 6.
    assert _counts(shown.by_area) == {LUBLIN: 6, RADOM: None, STARACHOWICE: 0, "outside": 5}
    assert (shown.members.count, shown.members.approximate) == (15, True)  # 14: 13 to 17
    assert shown.research_units.count is None  # 2 research units: too few to show
    # 15 in the registry and the members 14 (all public) to 17: the non-member would be 1.
    assert shown.organisations.count is None
    assert figures.cluster_figures(session, hide_small=False).organisations.count == 15


def _cell(cells: list[figures.Cell], key: str) -> figures.Cell:
    return next(c for c in cells if c.key == key)


def test_small_sectors_are_counted_together_under_other(session, cluster):
    """Agricultural machinery (1) and engineering (2) are folded into "other", which names them;
    metal (11, all public) stays exact."""
    shown = figures.cluster_figures(session, hide_small=True)
    keys = [c.key for c in shown.by_sector]
    assert "agricultural_machinery" not in keys and "engineering" not in keys
    other = _cell(shown.by_sector, "other")
    assert other.includes == ("Agricultural machinery", "Engineering, testing and R&D")
    assert _cell(shown.by_sector, "metal").count == 11


def test_every_figure_counts_for_staff(session, cluster):
    whole = figures.cluster_figures(session, hide_small=False)
    assert _counts(whole.by_area) == {LUBLIN: 6, RADOM: 3, STARACHOWICE: 0, "outside": 5}
    assert whole.research_units.count == 2
    sectors = _counts(whole.by_sector)
    assert sectors["metal"] == 11  # the factory's 25.53.Z
    assert sectors["agricultural_machinery"] == 1
    assert sectors["engineering"] == 2
    assert sum(v or 0 for v in sectors.values()) == 14


def test_an_officer_sees_their_area_unsuppressed(session, cluster):
    radom = figures.area_figures(session, RADOM)
    assert (radom.members.count, radom.research_units.count, radom.organisations.count) == (3, 2, 4)
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


def test_subtracting_the_public_list_reveals_no_small_cell(session: Session) -> None:
    """Lublin 8 members of which 3 are not public: the public list shows 5, so showing 8
    would give the 3 away. "≈10" alone would not (8 to 12: 3 to 7 unlisted), but with Radom 6
    and Starachowice 7 (all public, so shown) and the members "≈20" (18 to 22), Lublin would be
    8 or 9: it is hidden."""
    _members(session, LUBLIN, 5)
    _members(session, LUBLIN, 3, visibility="members")
    _members(session, RADOM, 6)
    _members(session, STARACHOWICE, 7)
    session.commit()
    shown = figures.cluster_figures(session, hide_small=True)
    assert _counts(shown.by_area) == {LUBLIN: None, RADOM: 6, STARACHOWICE: 7, "outside": 0}
    assert (shown.members.count, shown.members.approximate) == (20, True)
