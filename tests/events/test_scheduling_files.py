"""The `upland events solve` files: a malformed instance is refused naming each problem."""

from __future__ import annotations

import json

import pytest

from upland.errors import Invalid
from upland.events.scheduling import solve
from upland.events.scheduling.checks import violations
from upland.events.scheduling.files import read_instance, result_json

INSTANCE = {
    "slots": [
        {"id": "9:00", "session": "day 1", "tables": 2, "reserved_tables": [1]},
        {"id": "9:20", "session": "day 1", "tables": 2},
    ],
    "participants": [
        {"id": "anna", "available": ["9:00", "9:20"], "delegation": "odlewnia", "type": "buyer"},
        {"id": "jan", "available": ["9:00", "9:20"], "delegation": "odlewnia"},
        {"id": "ewa", "available": ["9:20"], "cap": 5, "type": "supplier"},
        {"id": "uni", "available": ["9:00", "9:20"], "type": "researcher"},
    ],
    "requests": [
        {"id": "r1", "requester": "anna", "receiver": "ewa", "weight": 2},
        {"id": "r2", "requester": "uni", "receiver": "ewa"},
        {"id": "r3", "requester": "jan", "receiver": "uni"},
    ],
    "locked": [{"request": "r2", "slot": "9:20", "table": 0}],
}


def test_a_file_round_trips_to_a_valid_schedule():
    instance = read_instance(json.dumps(INSTANCE))
    result = solve(instance)
    assert violations(instance, result.meetings) == []
    written = json.loads(result_json(result))
    assert {m["request"] for m in written["meetings"]} == {"r2", "r3"}
    # ewa attends one slot, held by the locked r2: she is full
    assert written["unplaced"] == [{"request": "r1", "reason": "one_side_full"}]
    assert all(m["table"] != 1 for m in written["meetings"] if m["slot"] == "9:00")
    assert set(written["figures"]) >= {"meetings", "weight", "upper_bound", "gap", "idle_gaps"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["slots"][0].update(tables=-1), "slots.0.tables"),
        (lambda d: d["requests"][0].update(weight=0), "requests.0.weight"),
        (lambda d: d["requests"][1].pop("receiver"), "requests.1.receiver"),
        (lambda d: d["participants"][2].update(colour="red"), "participants.2.colour"),
        (lambda d: d.update(slots=[]), "slots"),
    ],
)
def test_malformed_files_name_the_place(change, field):
    data = json.loads(json.dumps(INSTANCE))
    change(data)
    with pytest.raises(Invalid) as caught:
        read_instance(json.dumps(data))
    assert field in [e.field for e in caught.value.errors]


def test_not_json_at_all():
    with pytest.raises(Invalid) as caught:
        read_instance("{slots: [")
    assert caught.value.errors[0].field == "file"
