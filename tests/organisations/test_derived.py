"""`derive`: the derived columns of an organisation from plain data, whoever writes it."""

from __future__ import annotations

from upland.organisations.derived import Children, derive
from upland.organisations.imports.folding import fast_fold
from upland.organisations.search import name_key
from upland.textkit.analysis import index_tokens, name_tokens

COLUMNS = {
    "kind": "company",
    "legal_name": "Zakład Łożysk „Świt” sp. z o.o.",
    "short_name": "Świt",
    "nip": "5260250995",
    "regon": None,
    "employees": 49,
    "description_pl": "Toczenie wałów.\nSpawanie ram.",
    "description_en": "",
    "capacity_notes": "Wolne moce: 2 zmiany",
    "supply_tier": "tier2",
    "membership_status": "member",
    "visibility": "public",
}
CHILDREN = Children(
    teryt="0663011",
    city="Lublin",
    labels=["", "Toczenie CNC CNC turning"],
    site_teryts=["0663011", "1465011"],
    pkd=[("C", "29.32.Z")],
    term_ids=[7, None],
)


def test_columns_as_the_search_module_defines_them():
    values = derive(COLUMNS, CHILDREN)
    assert values["name_key"] == name_key("Świt")
    assert values["size_class"] == "small"
    assert values["teryt"] == "0663011"
    assert values["search_name"] == name_tokens([COLUMNS["legal_name"], "Świt"])
    assert values["search_text"] == index_tokens(
        [
            "5260250995",
            "Lublin",
            COLUMNS["description_pl"],
            COLUMNS["capacity_notes"],
            "Toczenie CNC CNC turning",
        ]
    )
    assert set(values["facets"].split()) >= {
        "kindcompany",
        "vispublic",
        "sizesmall",
        "tiertier2",
        "membermember",
        "city0663011",
        "city1465011",
        "pkd29",
        "pkd2932z",
        "pkdc",
        "cap7",
    }


def test_the_legal_name_sorts_when_there_is_no_short_name():
    values = derive({**COLUMNS, "short_name": "", "employees": None}, CHILDREN)
    assert values["name_key"] == name_key(COLUMNS["legal_name"])
    assert values["size_class"] is None
    assert "sizesmall" not in values["facets"]


def test_the_fast_fold_gives_the_same_columns():
    assert derive(COLUMNS, CHILDREN, fold=fast_fold) == derive(COLUMNS, CHILDREN)


def test_no_facets_when_the_writer_recounts_them():
    children = Children(teryt=None, city="", labels=[], site_teryts=None)
    assert "facets" not in derive(COLUMNS, children)
