"""Where demo organisations sit: the partner cities and their neighbours, some outside every
partner area (TERYT codes of GUS's TERC register, as shipped)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A municipality with what makes an address there look right."""

    teryt: str
    name: str
    locative: str  # "w Lublinie": for Polish sentences
    postal: tuple[str, int, int]  # "20", 1, 952 -> 20-001 … 20-952
    area_code: str  # landline prefix
    tax_offices: tuple[str, ...]  # first three digits of NIPs issued there
    lat: float
    lon: float
    weight: int  # share of the demo companies

    @property
    def voivodeship(self) -> str:
        return self.teryt[:2]


LUBLIN, RADOM, STARACHOWICE = "0663011", "1463011", "2611011"

# fmt: off
PLACES = (
    Place(LUBLIN, "Lublin", "w Lublinie", ("20", 1, 952), "81", ("712", "713", "946"),
          51.2465, 22.5684, 40),
    Place(RADOM, "Radom", "w Radomiu", ("26", 600, 617), "48", ("796", "948"),
          51.4027, 21.1471, 26),
    Place(STARACHOWICE, "Starachowice", "w Starachowicach", ("27", 200, 200), "41", ("664",),
          51.0374, 21.0710, 18),
    Place("0617011", "Świdnik", "w Świdniku", ("21", 40, 40), "81", ("713",),
          51.2197, 22.6967, 3),
    Place("0614011", "Puławy", "w Puławach", ("24", 100, 100), "81", ("716",),
          51.4166, 21.9694, 2),
    Place("0608011", "Lubartów", "w Lubartowie", ("21", 100, 100), "81", ("714",),
          51.4597, 22.6020, 1),
    Place("0607011", "Kraśnik", "w Kraśniku", ("23", 200, 210), "81", ("715",),
          50.9243, 22.2200, 2),
    Place("0617022", "Mełgiew", "w Mełgwi", ("21", 7, 7), "81", ("713",),
          51.2220, 22.7860, 1),
    Place("1425011", "Pionki", "w Pionkach", ("26", 670, 670), "48", ("796",),
          51.4790, 21.4500, 2),
    Place("2611022", "Brody", "w Brodach", ("27", 230, 230), "41", ("664",),
          51.0260, 21.2150, 1),
    Place("2611032", "Mirzec", "w Mircu", ("27", 220, 220), "41", ("664",),
          51.1050, 21.0980, 1),
    Place("2611053", "Wąchock", "w Wąchocku", ("27", 215, 215), "41", ("664",),
          51.0730, 21.0130, 1),
    Place("2610011", "Skarżysko-Kamienna", "w Skarżysku-Kamiennej", ("26", 110, 110), "41",
          ("663",), 51.1130, 20.8710, 2),
    Place("2607011", "Ostrowiec Świętokrzyski", "w Ostrowcu Świętokrzyskim", ("27", 400, 400),
          "41", ("661",), 50.9294, 21.3853, 2),
    Place("2661011", "Kielce", "w Kielcach", ("25", 1, 900), "41", ("657", "959"),
          50.8661, 20.6286, 2),
    # Beyond the 15 municipalities Upland once knew: Lublin's county and Radom's neighbours
    # outside every partner area (DOMAIN.md: counted as "outside").
    Place("0609072", "Jastków", "w Jastkowie", ("21", 2, 2), "81", ("713",),
          51.3080, 22.4490, 1),
    Place("1407053", "Kozienice", "w Kozienicach", ("26", 900, 900), "48", ("812",),
          51.5833, 21.5667, 1),
    Place("1436053", "Zwoleń", "w Zwoleniu", ("26", 700, 700), "48", ("811",),
          51.3550, 21.5880, 1),
)
# fmt: on

BY_TERYT = {p.teryt: p for p in PLACES}
