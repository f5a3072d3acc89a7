"""One validated Settings object, read from `UPLAND_*` environment variables at start-up."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from limits import parse
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_PARTNERS = ("0663011", "1463011", "2611011")
# DOMAIN.md: Lublin = city-county 0663 + powiat lubelski; Radom = 1463 + powiat radomski 1425;
# Starachowice = powiat starachowicki 2611. GUS's TERC gives powiat lubelski the code 0609
# (0614, which DOMAIN.md names, is powiat puławski).
DEFAULT_PARTNER_AREAS = {
    "0663011": ["0663", "0609"],
    "1463011": ["1463", "1425"],
    "2611011": ["2611"],
}
DEVELOPMENT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105 - public on purpose


class Settings(BaseSettings):
    """Every knob of a deployment; each field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="UPLAND_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/upland.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db.",
    )
    secret_key: str = Field(
        default=DEVELOPMENT_SECRET_KEY,
        min_length=16,
        description="Signs session cookies and CSRF tokens. Set a long random value in production.",
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://host:port/db, rediss:// or unix://; when set, background jobs go "
        "to an RQ queue and log-in limits are shared.",
    )
    partner_municipalities: Annotated[list[str], NoDecode] = Field(
        default=list(DEFAULT_PARTNERS),
        description="TERYT codes (7 digits) of the partner municipalities of this deployment.",
    )
    default_language: Literal["pl", "en"] = Field(default="pl", description="UI language.")
    https: bool = Field(
        default=False,
        description="Mark cookies Secure (serve behind HTTPS); follows UPLAND_PUBLIC_URL when "
        "unset, and may not contradict it.",
    )
    login_rate_per_account_address: str = Field(
        default="10/15minute",
        description="Failed log-ins allowed per account from one client address, then that "
        "address is refused for the account (limits syntax).",
    )
    login_rate_per_address: str = Field(
        default="30/15minute", description="Failed log-ins allowed per client address."
    )
    login_rate_per_account: str = Field(
        default="50/hour",
        description="Failed log-ins allowed per account from all addresses together; past it "
        "only addresses the account has logged in from before may try.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Log level of the structured (JSON) logs."
    )
    node_modules: str = Field(
        default="node_modules", description="Where `npm ci` put the front-end packages."
    )
    cache_dir: str = Field(
        default="var/cache", description="Rebuildable caches (embedded PKD catalogue)."
    )
    matching_index_dir: str = Field(
        default="var/matching",
        description="Where `upland index rebuild` saves the matching graph (usearch) that every "
        "web process memory-maps; rebuildable from the database.",
    )
    matching_exact_below: int = Field(
        default=20_000,
        ge=0,
        description="Below this many items matching searches vectors exactly (numpy); above it "
        "through the approximate graph (usearch).",
    )
    matching_graph_dtype: Literal["auto", "f32", "f16", "i8"] = Field(
        default="auto",
        description="How the matching graph stores its vectors: auto (i8 below 500 000 items, "
        "f16 from there, where i8 cannot reach recall@10 0.95), i8 (a quarter of f32's memory, "
        "fastest), f16 or f32. Candidates are re-scored with the float32 vectors either way.",
    )
    upload_dir: str = Field(
        default="var/uploads", description="Uploaded import files waiting for confirmation."
    )
    max_upload_mb: int = Field(default=50, ge=1, description="Largest accepted upload.")
    max_request_kb: int = Field(
        default=1024,
        ge=16,
        description="Largest request body of a form or JSON request (routes that take a file "
        "accept UPLAND_MAX_UPLOAD_MB from a logged-in client).",
    )
    upload_ttl_hours: int = Field(
        default=24, ge=1, description="Hours an upload waits for confirmation before it expires."
    )
    files_dir: str = Field(
        default="var/files",
        description="Where stored files (opportunities' attachments) are kept by the default "
        "local storage.",
    )
    attachment_max_mb: int = Field(
        default=10, ge=1, le=100, description="Largest accepted attachment of an opportunity."
    )
    market_review: bool = Field(
        default=False,
        description="Opportunities are published only after the cluster coordinator approves them.",
    )
    events_video_url: str = Field(
        default="https://meet.jit.si/upland-{room}",
        description="The video room of an online event: `{room}` is replaced by a name derived "
        "from the event's id with the secret key (not guessable); shown to the organiser and "
        "the confirmed participants only.",
    )
    market_reminder_days: int = Field(
        default=7,
        ge=1,
        le=90,
        description="Days before an opportunity expires that its owner's editors are reminded "
        "to renew it.",
    )
    job_retention_days: int = Field(
        default=30,
        ge=1,
        description="Days a finished job's report (an import's rows and errors) is kept; older "
        "ones are deleted when a job starts, at start-up and by `upland jobs prune`.",
    )
    job_stale_minutes: int = Field(
        default=90,
        ge=61,
        description="A job queued or running longer than this (above the 60-minute job "
        "timeout) is taken as lost and marked failed.",
    )
    dev_mode: bool = Field(
        default=False,
        description="Development mode (`upland run`, the demo): allows the development secret "
        "key and shows the mail outbox page. Never set it in production.",
    )
    public_url: str | None = Field(
        default=None,
        description="The address users reach the platform at, e.g. https://upland.example.org; "
        "every link in an e-mail or API answer starts with it. Required outside development.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For/-Proto are "
        "trusted (JSON list or comma-separated); empty: forwarded headers are ignored.",
    )
    partner_areas: dict[str, list[str]] = Field(
        default_factory=lambda: dict(DEFAULT_PARTNER_AREAS),
        description="Each partner city's area: its municipality TERYT -> the TERYT units "
        "(voivodeship, county or municipality code prefixes) that make up its area.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server; required outside development mode. Unset in development: "
        "e-mails go to the outbox folder.",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port.")
    smtp_tls: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls, ssl (implicit TLS) or none."
    )
    smtp_user: str | None = Field(default=None, description="SMTP user name, if it needs one.")
    smtp_password: str | None = Field(default=None, description="SMTP password.")
    mail_sender: str = Field(
        default="Upland <noreply@upland.example>", description="From address of every e-mail."
    )
    mail_outbox_dir: str = Field(
        default="var/outbox", description="Where e-mails go when no SMTP server is configured."
    )

    accessibility_operator: str = Field(
        default="Klaster Lubelsko-Radomsko-Starachowicki (demo)",
        description="The public body (or bodies) running the platform, named in the "
        "accessibility statement (deklaracja dostępności).",
    )
    accessibility_contact_email: str = Field(
        default="dostepnosc@upland.example",
        description="Where accessibility requests and complaints go; shown in the statement.",
    )
    accessibility_contact_phone: str | None = Field(
        default=None, description="Telephone for accessibility requests, if any."
    )
    accessibility_published: dt.date = Field(
        default=dt.date(2026, 12, 1),
        description="The date the platform was published (the statement's publication date).",
    )
    accessibility_updated: dt.date = Field(
        default=dt.date(2026, 12, 3),
        description="The date of the platform's last significant update.",
    )
    accessibility_prepared: dt.date = Field(
        default=dt.date(2026, 12, 3),
        description="The date the statement was prepared or last reviewed (self-assessment).",
    )

    @field_validator("partner_municipalities")
    @classmethod
    def _teryt_codes(cls, value: list[str]) -> list[str]:
        bad = [code for code in value if not (len(code) == 7 and code.isdigit())]
        if bad:
            raise ValueError(f"not 7-digit TERYT municipality codes: {', '.join(bad)}")
        return value

    @field_validator("partner_areas")
    @classmethod
    def _whole_teryt_units(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        """An area is made of whole TERYT units: voivodeships, counties, municipalities."""
        problems = []
        for municipality, units in value.items():
            bad = [u for u in units if not (len(u) in (2, 4, 7) and u.isdigit())]
            if bad:
                problems.append(
                    f"{municipality}: not TERYT units (2-digit voivodeship, 4-digit county or "
                    f"7-digit municipality codes): {', '.join(bad)}"
                )
            elif not units:
                problems.append(f"{municipality}: the area is empty")
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @model_validator(mode="after")
    def _areas_of_partners(self) -> Settings:
        """Areas belong to partner municipalities. The default areas cover the default partners;
        a deployment with other partners and no areas of its own has each partner municipality
        as its own area."""
        if "partner_areas" not in self.model_fields_set:
            self.partner_areas = {
                k: v for k, v in self.partner_areas.items() if k in self.partner_municipalities
            }
        strangers = [k for k in self.partner_areas if k not in self.partner_municipalities]
        if strangers:
            raise ValueError(
                f"partner_areas: not partner municipalities: {', '.join(strangers)} "
                "(list them in partner_municipalities, or remove their areas)"
            )
        return self

    @model_validator(mode="after")
    def _https_of_public_url(self) -> Settings:
        """An https:// public URL means cookies must be Secure: derived when UPLAND_HTTPS is
        unset, a contradiction refused."""
        if self.public_url is None:
            return self
        by_url = self.public_url.startswith("https://")
        if "https" not in self.model_fields_set:
            self.https = by_url
        elif self.https != by_url:
            raise ValueError(
                f"https: UPLAND_HTTPS={str(self.https).lower()} contradicts UPLAND_PUBLIC_URL "
                f"{self.public_url}; unset UPLAND_HTTPS (it follows the public URL)"
            )
        return self

    def partner_area(self, municipality: str) -> tuple[str, ...]:
        """The TERYT units of the partner area of `municipality`; a municipality that is not
        a partner's is an area of its own."""
        return tuple(self.partner_areas.get(municipality, [municipality]))

    def partner_of(self, teryt: str | None) -> str | None:
        """The partner municipality whose area holds this TERYT code (a site's, an
        organisation's), None when it lies outside every area ("outside" in per-city figures);
        the longest matching unit wins if a deployment's areas overlap."""
        if not teryt:
            return None
        matches = [
            (len(unit), partner)
            for partner in self.partner_municipalities
            for unit in self.partner_area(partner)
            if teryt.startswith(unit)
        ]
        return max(matches)[1] if matches else None

    @field_validator(
        "login_rate_per_account_address", "login_rate_per_address", "login_rate_per_account"
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate like 10/15minute or 50 per hour") from None
        return value

    @field_validator("partner_municipalities", "trusted_proxies", mode="before")
    @classmethod
    def _list_from_text(cls, value: object) -> object:
        """A JSON list, or plain values separated by commas (`0663011` is one code)."""
        if not isinstance(value, str):
            return value
        if value.lstrip().startswith("["):
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not a JSON list ({exc.msg})") from None
        return [item for item in re.split(r"[\s,]+", value) if item]

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value or None

    @field_validator("events_video_url")
    @classmethod
    def _video_room_template(cls, value: str) -> str:
        """One room per event, named by the keyed `{room}`: a template without it would put
        every online event in the same room."""
        try:
            filled = value.format(room="", event="")
        except (KeyError, IndexError, ValueError):
            raise ValueError("may hold only the placeholder {room}") from None
        if filled == value:
            raise ValueError("must hold the placeholder {room}")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_base_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an absolute http:// or https:// URL")
        if not _valid_host(parts.hostname) or parts.username or parts.password:
            raise ValueError(f"{parts.hostname!r} is not a host name or IP address")
        try:
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise ValueError("the port is not a number from 1 to 65535") from None
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError("must be scheme and host only, without path, query or fragment")
        return value.rstrip("/")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql")):
            raise ValueError("only sqlite:// and postgresql+psycopg:// URLs are supported")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        raw = self.database_url.split("///", 1)[1] if "///" in self.database_url else ""
        return Path(raw) if raw and raw != ":memory:" else None


_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _valid_host(host: str) -> bool:
    """A DNS name of letters, digits and hyphens (IDNs in their xn-- form), or an IP address."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return len(host) <= 253 and all(_HOST_LABEL.fullmatch(p) for p in host.split("."))
    return True


@lru_cache
def get_settings() -> Settings:
    return Settings()
