"""Audit entries as people read them: who did what, when, and "field: before → after" rows, in
the page's language. The one table of what each action means, for the audit log (`/audit`), an
organisation's history (`/organisations/{id}/history`) and the starting page's recent changes
(`home.panels`), so no two of them word the same entry differently. An organisation is named,
never numbered: the caller passes the names of those still in the registry (`names_for`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from upland.audit import AuditEntry
from upland.i18n import N_, gettext_in, label, labels_of, register_labels

ACTIONS = {
    "accounts.user.create": N_("created the account"),
    "accounts.user.set_password": N_("changed the password"),
    "accounts.user.deactivate": N_("deactivated the account"),
    "accounts.user.reactivate": N_("reactivated the account"),
    "accounts.user.erase": N_("erased the account"),
    "accounts.user.mail_notices": N_("changed the e-mail notices"),
    "accounts.user.language": N_("changed the language of e-mails"),
    "notifications.preference.set": N_("changed how notifications reach them"),
    "accounts.role.grant": N_("gave a role"),
    "accounts.role.revoke": N_("took a role away"),
    "accounts.membership.grant": N_("gave a role in the organisation"),
    "accounts.membership.revoke": N_("took away a role in the organisation"),
    "accounts.invitation.create": N_("invited"),
    "accounts.invitation.accept": N_("accepted an invitation"),
    "accounts.invitation.decline": N_("declined an invitation"),
    "accounts.invitation.cancel": N_("withdrew an invitation"),
    "accounts.password_reset.request": N_("asked for a new password"),
    "accounts.password_reset.send": N_("sent a password reset link"),
    "accounts.session.start": N_("logged in"),
    "accounts.session.end": N_("ended a session"),
    "accounts.token.issue": N_("created an API token"),
    "accounts.token.revoke": N_("revoked an API token"),
    "organisations.organisation.create": N_("created the organisation"),
    "market.opportunity.create": N_("created an opportunity"),
    "market.opportunity.update": N_("edited an opportunity"),
    "market.opportunity.delete": N_("deleted a draft opportunity"),
    "market.opportunity.submit": N_("submitted an opportunity for review"),
    "market.opportunity.approve": N_("approved an opportunity"),
    "market.opportunity.return": N_("returned an opportunity for changes"),
    "market.opportunity.publish": N_("published an opportunity"),
    "market.opportunity.withdraw": N_("withdrew an opportunity"),
    "market.opportunity.fulfil": N_("marked an opportunity fulfilled"),
    "market.opportunity.expire": N_("an opportunity expired"),
    "market.opportunity.renew": N_("renewed an opportunity"),
    "market.access.request": N_("asked for access to an opportunity"),
    "market.access.decide": N_("decided on a request for access"),
    "market.saved_search.save": N_("saved a marketplace search"),
    "market.saved_search.rename": N_("renamed a saved search"),
    "market.saved_search.delete": N_("deleted a saved search"),
    "market.opportunity.follow": N_("followed an opportunity"),
    "market.opportunity.unfollow": N_("stopped following an opportunity"),
    "market.attachment.add": N_("attached a file to an opportunity"),
    "market.attachment.remove": N_("removed a file from an opportunity"),
    "organisations.organisation.update": N_("edited the profile"),
    "organisations.organisation.delete": N_("deleted the organisation"),
    "organisations.organisation.import": N_("imported the organisation"),
    "organisations.site.add": N_("added a site"),
    "organisations.site.update": N_("edited a site"),
    "organisations.site.remove": N_("removed a site"),
    "organisations.person.add": N_("added a person"),
    "organisations.person.update": N_("edited a person"),
    "organisations.person.remove": N_("removed a person"),
    "organisations.person.erase": N_("erased a person's data"),
    "organisations.person.link": N_("linked a person to an account"),
    "organisations.capability.add": N_("added a capability"),
    "organisations.capability.remove": N_("removed a capability"),
    "organisations.site.restore": N_("restored a removed site"),
    "organisations.person.restore": N_("restored a removed person"),
    "organisations.capability.restore": N_("restored a removed capability"),
    "matching.feedback.give": N_("gave feedback on a suggestion"),
    "matching.weights.save": N_("saved the weights of matching's features"),
    "matching.weights.propose": N_("learnt proposed weights from feedback"),
    "matching.weights.accept": N_("accepted the proposed weights"),
    "matching.weights.reject": N_("rejected the proposed weights"),
    "matching.example.add": N_("added an example ask"),
    "matching.example.remove": N_("removed an example ask"),
    "reference.pkd.load": N_("loaded the PKD classification"),
    "reference.teryt.load": N_("loaded the register of municipalities (TERYT)"),
    "reference.term.add": N_("added a vocabulary term"),
    "market.interest.express": N_("expressed interest in an opportunity"),
    "market.interest.pass": N_("passed on an offer, giving a reason"),
    "market.interest.accept": N_("accepted an expression of interest"),
    "market.interest.decline": N_("declined an expression of interest"),
    "market.interest.withdraw": N_("withdrew an expression of interest"),
    "market.introduction.record": N_("recorded an introduction"),
    "market.outcome.record": N_("reported the outcome of an introduction"),
    "market.outcome.confirm": N_("confirmed an agreement"),
    "market.booking.request": N_("asked to book research infrastructure"),
    "market.booking.accept": N_("accepted a booking"),
    "market.booking.decline": N_("declined a booking"),
    "market.booking.cancel": N_("cancelled a booking"),
    "events.event.create": N_("created an event"),
    "events.event.update": N_("edited an event"),
    "events.event.publish": N_("published an event"),
    "events.event.cancel": N_("cancelled an event"),
    "events.video.issue": N_(
        "issued a new video-room link for an event (the old one works no more)"
    ),
    "events.event.schedule": N_("scheduled the meetings of an event"),
    "events.registration.create": N_("registered for an event"),
    "events.registration.guest": N_("asked for a place at an event as a guest"),
    "events.registration.validate": N_("validated a registration for an event"),
    "events.registration.cancel": N_("cancelled a registration for an event"),
    "events.registration.promote": N_("moved a registration up from an event's waiting list"),
    "events.registration.attendance": N_("checked a participant in"),
    "events.request.send": N_("asked for a meeting at an event"),
    "events.request.decide": N_("answered a meeting request"),
    "events.meeting.lock": N_("locked or unlocked a meeting"),
    "events.meeting.move": N_("moved a meeting"),
    "events.meeting.outcome": N_("said what came of a meeting at an event"),
    "events.meeting.agreement_confirm": N_("confirmed the agreement of a meeting at an event"),
    "events.registration.erase": N_("erased a guest's personal data from an event"),
    "network.recommendation.invite": N_("invited two organisations to meet at a brokerage day"),
    "events.feed.rotate": N_("made a new calendar-feed address"),
    "events.feed.revoke": N_("switched the calendar feed off"),
}

OBJECTS = {
    "user": N_("account"),
    "invitation": N_("invitation"),
    "session": N_("session"),
    "token": N_("API token"),
    "organisation": N_("organisation"),
    "site": N_("site"),
    "person": N_("person"),
    "organisation_capability": N_("capability"),
    "opportunity": N_("opportunity"),
    "match_feedback": N_("feedback on a suggestion"),
    "match_weights": N_("matching weights"),
    "match_example": N_("example ask"),
    "access_request": N_("access request"),
    "attachment": N_("attachment"),
    "interest": N_("expression of interest"),
    "introduction": N_("introduction"),
    "booking": N_("booking"),
    "event": N_("event"),
    "event_registration": N_("registration for an event"),
    "meeting_request": N_("meeting request"),
    "event_meeting": N_("meeting at an event"),
}

FIELDS = {
    "email": N_("e-mail"),
    "full_name": N_("full name"),
    "is_active": N_("active"),
    "is_platform_admin": N_("platform admin"),
    "is_coordinator": N_("coordinator"),
    "officer_teryt": N_("city officer of"),
    "language": N_("language"),
    "mail_notices": N_("e-mail notices"),
    "role": N_("role"),
    "organisation_id": N_("organisation"),
    "expires_at": N_("valid until"),
    "kind": N_("kind"),
    "legal_name": N_("legal name"),
    "short_name": N_("short name"),
    "website": N_("website"),
    "description_pl": N_("description (Polish)"),
    "description_en": N_("description (English)"),
    "founded_year": N_("year founded"),
    "employees": N_("employees"),
    "size_class": N_("size"),
    "supply_tier": N_("supply chain tier"),
    "membership_status": N_("membership"),
    "member_since": N_("member since"),
    "visibility": N_("visibility"),
    "capacity_notes": N_("free capacity"),
    "not_suggested": N_("not suggested as a partner"),
    "teryt": N_("municipality"),
    "name": N_("name"),
    "street": N_("street"),
    "postal_code": N_("postal code"),
    "locality": N_("locality"),
    "is_headquarters": N_("headquarters"),
    "role_title": N_("job title"),
    "phone": N_("phone"),
    "contact_visibility": N_("contact data shown to"),
    "label": N_("label"),
    "notes": N_("notes"),
    "valid_from": N_("valid from"),
    "valid_until": N_("valid until"),
    "status": N_("status"),
    "title_pl": N_("title (Polish)"),
    "title_en": N_("title (English)"),
    "expires_on": N_("expires on"),
    "deadline": N_("deadline"),
    "review_reason": N_("reason"),
    "anonymous": N_("owner not named"),
}
# Bookkeeping the reader does not need: ids, timestamps the entry itself carries.
HIDDEN = frozenset(
    {"id", "created_at", "updated_at", "last_login_at", "invited_by_user_id", "user_id", "prefix"}
)
# Which labels an enum field's values read with, by (object type, field); "*": any object.
VOCABULARIES = {
    ("organisation", "kind"): "organisation_kind",
    ("organisation_capability", "kind"): "capability_kind",
    ("*", "size_class"): "size_class",
    ("*", "supply_tier"): "supply_tier",
    ("*", "membership_status"): "membership_status",
    ("*", "visibility"): "visibility",
    ("*", "contact_visibility"): "contact_visibility",
    ("*", "role"): "org_role",
    ("*", "language"): "language",
    ("opportunity", "kind"): "opportunity_kind",
    ("opportunity", "status"): "opportunity_status",
    ("access_request", "status"): "access_status",
}

register_labels("audit_action", ACTIONS)
register_labels("audit_object", OBJECTS)
register_labels("audit_field", FIELDS)

_LONGEST = 200
GONE = N_("removed organisation")


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Readable:
    """One entry as a sentence and rows, all in one language."""

    id: int
    at: dt.datetime
    who: str
    did: str
    subject: str
    object: str
    object_type: str
    object_id: str | None
    object_name: str | None  # an organisation's name, "removed organisation" if it is gone
    organisation_id: int | None  # whose history it is part of, if any
    changes: list[Change]


def _as_id(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def organisation_ids(entries: Iterable[AuditEntry]) -> list[int]:
    """The organisations the entries name (as the object or in an `organisation_id` field),
    whose names the caller looks up for `readable`."""
    found: set[int] = set()
    for entry in entries:
        if entry.object_type == "organisation" and (oid := _as_id(entry.object_id)):
            found.add(oid)
        for data in (entry.before or {}, entry.after or {}):
            if oid := _as_id(data.get("organisation_id")):
                found.add(oid)
    return sorted(found)


def _organisation(value: Any, names: Mapping[int, str], language: str) -> str:
    oid = _as_id(value)
    return (names.get(oid) or gettext_in(language, GONE)) if oid else "—"


def _value(
    object_type: str, field: str, value: Any, language: str, names: Mapping[int, str]
) -> str:
    if value is None or value == "":
        return "—"
    if field == "organisation_id":
        return _organisation(value, names, language)
    if isinstance(value, bool):
        return gettext_in(language, N_("yes") if value else N_("no"))
    vocabulary = VOCABULARIES.get((object_type, field)) or VOCABULARIES.get(("*", field))
    if vocabulary and str(value) in labels_of(vocabulary):
        return label(vocabulary, value, language)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if field.endswith(("_at", "_since", "_from", "_until")) and "T" in text:
        text = text.replace("T", " ")[:16]
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"


def _field(field: str, language: str) -> str:
    if field in FIELDS:
        return label("audit_field", field, language)
    return field.replace("_", " ")


def changes(
    object_type: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    language: str,
    names: Mapping[int, str] | None = None,
) -> list[Change]:
    """A row per field whose value differs (a created record: every field it was made with)."""
    old, new, named = before or {}, after or {}, names or {}
    rows = []
    for key in list(dict.fromkeys([*old, *new])):
        if key in HIDDEN or key.endswith("_hash") or old.get(key) == new.get(key):
            continue
        rows.append(
            Change(
                _field(key, language),
                _value(object_type, key, old.get(key), language, named) if key in old else "—",
                _value(object_type, key, new.get(key), language, named) if key in new else "—",
            )
        )
    return rows


def readable(entry: AuditEntry, language: str, names: Mapping[int, str] | None = None) -> Readable:
    """The entry in `language`; `names`: organisation names by id (`organisation_ids`)."""
    named = names or {}
    action = entry.action
    did = label("audit_action", action, language) if action in ACTIONS else action
    kind = entry.object_type
    thing = label("audit_object", kind, language) if kind in OBJECTS else kind
    is_organisation = kind == "organisation" and entry.object_id is not None
    return Readable(
        id=entry.id,
        at=entry.at,
        who=entry.actor_label,
        did=did,
        subject=entry.summary,
        object=thing,
        object_type=kind,
        object_id=entry.object_id,
        object_name=_organisation(entry.object_id, named, language) if is_organisation else None,
        organisation_id=entry.organisation_id,
        changes=changes(kind, entry.before, entry.after, language, named),
    )


def readable_all(
    entries: list[AuditEntry], language: str, names: Mapping[int, str] | None = None
) -> list[Readable]:
    return [readable(e, language, names) for e in entries]
