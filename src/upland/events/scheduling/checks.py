"""What makes an instance answerable and a schedule valid, said precisely.

`check_instance` refuses bad input with every problem at once, each naming where it is
(`requests[3].receiver`) and why; the web flow never builds such an instance, but the
`upland events solve` file can hold anything. `violations` lists what is wrong with a schedule:
the solver's own output is held to it in the property tests, and it is how a hand-made move is
checked before it is saved.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from upland.errors import FieldError, Invalid
from upland.events.scheduling.model import Instance, Meeting
from upland.i18n import N_

__all__ = ["check_instance", "violations"]


def check_instance(instance: Instance) -> None:
    """Raise `Invalid` listing every problem of the instance; return when there is none."""
    errors: list[FieldError] = []
    slot_ids = set(instance.slot_index)
    errors += _unique("participants", [p.id for p in instance.participants])
    errors += _unique("slots", [s.id for s in instance.slots])
    errors += _unique("requests", [r.id for r in instance.requests])
    for i, slot in enumerate(instance.slots):
        if slot.tables < 0:
            errors.append(
                FieldError(
                    f"slots[{i}].tables", N_("Must not be negative."), code="scheduling.negative"
                )
            )
    if instance.slots and sum(s.tables for s in instance.slots) == 0:
        errors.append(
            FieldError(
                "slots",
                N_("No slot has a table: nothing can be scheduled."),
                code="scheduling.no_tables",
            )
        )
    for i, p in enumerate(instance.participants):
        outside = sorted(p.available - slot_ids)
        if outside:
            errors.append(
                FieldError(
                    f"participants[{i}].available",
                    N_("Slots that are not in the event: {slots}"),
                    code="scheduling.unknown_slot",
                    slots=", ".join(outside),
                )
            )
        if p.cap is not None and p.cap < 0:
            errors.append(
                FieldError(
                    f"participants[{i}].cap",
                    N_("Must not be negative."),
                    code="scheduling.negative",
                )
            )
    errors += _request_errors(instance)
    errors += _meeting_errors(instance, "locked", instance.locked)
    errors += _meeting_errors(instance, "previous", instance.previous)
    if not errors and instance.locked:
        # Locked meetings are kept as they are: together they must already be a valid schedule.
        clash = violations(instance, instance.locked)
        if clash:
            errors.append(
                FieldError(
                    "locked",
                    N_("The locked meetings cannot all be kept: {problems}"),
                    code="scheduling.locked_conflict",
                    problems="; ".join(clash),
                )
            )
    if errors:
        raise Invalid(errors)


def _unique(where: str, ids: list[str]) -> list[FieldError]:
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if not repeated:
        return []
    return [
        FieldError(
            where,
            N_("Identifiers used twice: {ids}"),
            code="scheduling.duplicate_id",
            ids=", ".join(repeated),
        )
    ]


def _request_errors(instance: Instance) -> list[FieldError]:
    errors = []
    known = instance.by_id
    pairs: dict[frozenset[str], int] = {}
    for i, r in enumerate(instance.requests):
        for side in ("requester", "receiver"):
            if getattr(r, side) not in known:
                errors.append(
                    FieldError(
                        f"requests[{i}].{side}",
                        N_("Unknown participant: {id}"),
                        code="scheduling.unknown_participant",
                        id=getattr(r, side),
                    )
                )
        if r.weight <= 0:
            errors.append(
                FieldError(
                    f"requests[{i}].weight", N_("Must be above zero."), code="scheduling.weight"
                )
            )
        if r.requester not in known or r.receiver not in known:
            continue
        if known[r.requester].party == known[r.receiver].party:
            errors.append(
                FieldError(
                    f"requests[{i}]",
                    N_("A participant cannot meet their own party."),
                    code="scheduling.own_party",
                )
            )
            continue
        pair = frozenset({known[r.requester].party, known[r.receiver].party})
        if pair in pairs:
            errors.append(
                FieldError(
                    f"requests[{i}]",
                    N_("The same two parties already have request {id}."),
                    code="scheduling.duplicate_pair",
                    id=instance.requests[pairs[pair]].id,
                )
            )
        pairs.setdefault(pair, i)
    return errors


def _meeting_errors(
    instance: Instance, where: str, meetings: Iterable[Meeting]
) -> list[FieldError]:
    errors = []
    for i, m in enumerate(meetings):
        if m.request not in instance.requests_by_id:
            errors.append(
                FieldError(
                    f"{where}[{i}].request",
                    N_("Unknown request: {id}"),
                    code="scheduling.unknown_request",
                    id=m.request,
                )
            )
        if m.slot not in instance.slot_index:
            errors.append(
                FieldError(
                    f"{where}[{i}].slot",
                    N_("Unknown slot: {id}"),
                    code="scheduling.unknown_slot",
                    id=m.slot,
                )
            )
    return errors


def violations(instance: Instance, meetings: Iterable[Meeting]) -> list[str]:
    """Every broken rule of a schedule, in plain words (empty: the schedule is valid)."""
    found: list[str] = []
    busy: dict[tuple[str, int], str] = {}
    count: Counter[str] = Counter()
    tables: dict[int, set[int]] = defaultdict(set)
    seen: set[str] = set()
    for m in meetings:
        if m.request in seen:
            found.append(f"request {m.request} is scheduled twice")
        seen.add(m.request)
        slot = instance.slot_index[m.slot]
        for party in instance.request_parties[m.request]:
            if slot not in instance.party_slots[party]:
                found.append(f"{party} is not available in slot {m.slot} ({m.request})")
            if (party, slot) in busy:
                found.append(
                    f"{party} has two meetings in slot {m.slot}: "
                    f"{busy[(party, slot)]} and {m.request}"
                )
            busy[(party, slot)] = m.request
            count[party] += 1
        if not 0 <= m.table < instance.slots[slot].tables:
            found.append(f"table {m.table} does not exist in slot {m.slot} ({m.request})")
        reserved = instance.reserved_tables.get(m.slot, frozenset())
        if m.table in reserved:
            found.append(f"table {m.table} is reserved in slot {m.slot} ({m.request})")
        if m.table in tables[slot]:
            found.append(f"table {m.table} is used twice in slot {m.slot}")
        tables[slot].add(m.table)
    for party, n in count.items():
        if n > instance.party_caps[party]:
            found.append(f"{party} has {n} meetings, above its cap {instance.party_caps[party]}")
    kept = {(m.request, m.slot) for m in meetings}
    for m in instance.locked:
        if (m.request, m.slot) not in kept:
            found.append(f"locked meeting {m.request} moved or dropped")
    return found
