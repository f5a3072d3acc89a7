"""The outbox folder as people read it: newest message first, text part only."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from upland.settings import get_settings


@dataclass(frozen=True)
class OutboxEntry:
    name: str
    to: str
    subject: str
    date: str
    text: str


def _read(path: Path) -> OutboxEntry:
    email = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(email, EmailMessage)
    body = email.get_body(preferencelist=("plain",))
    return OutboxEntry(
        name=path.name,
        to=str(email["To"]),
        subject=str(email["Subject"]),
        date=str(email["Date"]),
        text=body.get_content() if isinstance(body, EmailMessage) else "",
    )


def list_outbox(limit: int = 50) -> list[OutboxEntry]:
    folder = Path(get_settings().mail_outbox_dir)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.eml"), reverse=True)[:limit]
    return [_read(path) for path in files]
