"""Reference tables: PKD classifications, municipalities, the capability vocabulary."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base


class Municipality(Base):
    """A TERYT unit of GUS's TERC register: a gmina (kinds 1–3), or a part of one (4, 5, 8, 9:
    stored so their names can be answered, never chosen; see `teryt`). Partners are the
    deployment's cities; units a newer official file no longer lists stay, not current."""

    __tablename__ = "municipality"

    teryt: Mapped[str] = mapped_column(String(7), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The folded name (`textkit.folding.fold`): prefix search as the user types, any backend.
    search_name: Mapped[str] = mapped_column(String(100), index=True, default="")
    kind: Mapped[str] = mapped_column(String(1), default="1")
    county_teryt: Mapped[str] = mapped_column(String(4))
    county_name: Mapped[str] = mapped_column(String(100), default="")
    voivodeship: Mapped[str] = mapped_column(String(40))
    voivodeship_teryt: Mapped[str] = mapped_column(String(2))
    nuts2: Mapped[str] = mapped_column(String(4))
    population: Mapped[int | None]
    is_partner: Mapped[bool] = mapped_column(default=False)
    is_current: Mapped[bool] = mapped_column(default=True)

    @property
    def is_selectable(self) -> bool:
        """A municipality proper, still in the register: what a site or an officer is in."""
        return self.kind in ("1", "2", "3") and self.is_current


class PkdCode(Base):
    """One node of PKD 2007 or PKD 2025, at any level from section (1) to subclass (5)."""

    __tablename__ = "pkd_code"
    __table_args__ = (UniqueConstraint("version", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    code: Mapped[str] = mapped_column(String(10))
    level: Mapped[int]
    section: Mapped[str] = mapped_column(String(1))
    parent: Mapped[str | None] = mapped_column(String(10))
    name_pl: Mapped[str] = mapped_column(String(400))
    name_en: Mapped[str] = mapped_column(String(400), default="")


class PkdCorrespondence(Base):
    """The official GUS key between a PKD 2007 code and a PKD 2025 code."""

    __tablename__ = "pkd_correspondence"
    __table_args__ = (UniqueConstraint("code_2007", "code_2025"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_2007: Mapped[str] = mapped_column(String(10), index=True)
    code_2025: Mapped[str] = mapped_column(String(10), index=True)


class CapabilityTerm(Base):
    """An entry of the controlled capability vocabulary (extensible by the coordinator)."""

    __tablename__ = "capability_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_pl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("capability_term.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
