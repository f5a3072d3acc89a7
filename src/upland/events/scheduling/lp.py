"""The assignment model of a brokerage day, solved by HiGHS: its LP relaxation gives the upper
bound every result states, and on instances small enough the MIP proves the optimum.

One variable per (request, slot) where both parties attend the slot and it has a table; a
locked meeting is one variable fixed at 1 in its slot. Rows: each party holds at most one
meeting per slot; at most its cap in all; at most the free tables of each slot; each request
is placed at most once. The matrix is built column-wise with numpy (six entries a column) and
handed to HiGHS whole (`passModel`), so 20 000 requests × 24 slots build in well under a
second. When previous meetings are given, the MIP's objective adds to each meeting kept in its
previous slot a bonus small enough never to outweigh any placement (see `keep_bonus`): the
fewest moved meetings among the heaviest schedules.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from upland.events.scheduling.model import Instance

__all__ = ["Exact", "Model", "Relaxation", "build", "exact", "lagrangian", "relax"]


@dataclass
class Model:
    """The arrays of the model and which (request, slot) each column stands for."""

    lp: highspy.HighsLp
    requests: list[str]
    col_request: np.ndarray
    col_slot: np.ndarray
    weights: np.ndarray
    bonus: np.ndarray

    @property
    def columns(self) -> int:
        return len(self.col_request)


@dataclass(frozen=True)
class Relaxation:
    """The LP's optimum (an upper bound on any schedule's weight) and each request's
    fractional value per slot; `bound` is None when the LP did not finish in its time."""

    bound: float | None
    values: np.ndarray | None
    seconds: float


@dataclass(frozen=True)
class Exact:
    """The MIP's best schedule (request → slot index), its proven bound, and whether it is
    proven optimal; `slot_of` is None when HiGHS found nothing better than it was given."""

    slot_of: dict[str, int] | None
    bound: float | None
    optimal: bool
    seconds: float


def keep_bonus(instance: Instance) -> float:
    """A bonus per meeting kept in place whose total stays below the least difference any
    two placements' weights can have when weights are whole numbers or halves, and below a
    thousandth of the lightest request otherwise."""
    if not instance.previous or not instance.requests:
        return 0.0
    lightest = min(r.weight for r in instance.requests)
    return min(lightest, 0.5) * 1e-3 / (len(instance.previous) + 1)


def build(instance: Instance, bonus: float = 0.0) -> Model:
    """The model's arrays (the instance is assumed checked)."""
    party_index = {party: i for i, party in enumerate(instance.parties)}
    n_slots = len(instance.slots)
    locked = {m.request: instance.slot_index[m.slot] for m in instance.locked}
    previous = {m.request: instance.slot_index[m.slot] for m in instance.previous}
    has_table = [instance.tables(s) > 0 for s in range(n_slots)]
    requests = [r.id for r in instance.requests]
    col_request: list[int] = []
    col_slot: list[int] = []
    for i, r in enumerate(instance.requests):
        if r.id in locked:
            slots: list[int] = [locked[r.id]]
        else:
            a, b = instance.request_parties[r.id]
            common = instance.party_slots[a] & instance.party_slots[b]
            slots = sorted(s for s in common if has_table[s])
        col_request.extend([i] * len(slots))
        col_slot.extend(slots)
    req = np.asarray(col_request, dtype=np.int64)
    slot = np.asarray(col_slot, dtype=np.int64)
    sides = np.asarray(
        [[party_index[p] for p in instance.request_parties[r]] for r in requests] or [[0, 0]],
        dtype=np.int64,
    )
    u = sides[req, 0] if len(req) else req
    v = sides[req, 1] if len(req) else req
    n_parties = len(party_index)
    # Rows: party×slot, then party caps, then slot tables, then requests.
    ps_rows = n_parties * n_slots
    cap_base = ps_rows
    table_base = cap_base + n_parties
    request_base = table_base + n_slots
    n_rows = request_base + len(requests)
    index = np.stack(
        [
            u * n_slots + slot,
            v * n_slots + slot,
            cap_base + u,
            cap_base + v,
            table_base + slot,
            request_base + req,
        ],
        axis=1,
    )
    index.sort(axis=1)
    n_cols = len(req)
    weights = np.asarray([r.weight for r in instance.requests], dtype=np.float64)[req]
    keep = np.zeros(n_cols)
    if bonus and previous:
        prev_slot = np.asarray([previous.get(r, -1) for r in requests], dtype=np.int64)
        keep = np.where(prev_slot[req] == slot, bonus, 0.0)
    lower = np.zeros(n_cols)
    if locked:
        is_locked = np.asarray([r in locked for r in requests], dtype=bool)
        lower = np.where(is_locked[req], 1.0, 0.0)
    caps = np.asarray([instance.party_caps[p] for p in party_index], dtype=np.float64)
    tables = np.asarray([max(instance.tables(s), 0) for s in range(n_slots)], dtype=np.float64)
    row_upper = np.concatenate([np.ones(ps_rows), caps, tables, np.ones(len(requests))])

    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = weights + keep
    lp.col_lower_ = lower
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = np.zeros(n_rows)
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = n_rows
    lp.a_matrix_.start_ = np.arange(0, 6 * n_cols + 1, 6, dtype=np.int32)
    lp.a_matrix_.index_ = index.reshape(-1).astype(np.int32)
    lp.a_matrix_.value_ = np.ones(6 * n_cols)
    return Model(lp, requests, req, slot, weights, keep)


def _highs(time_limit: float, seed: int) -> highspy.Highs:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    h.setOptionValue("random_seed", int(seed))
    return h


def relax(model: Model, time_limit: float, seed: int = 0) -> Relaxation:
    """Solve the LP relaxation by the interior point method without crossover. Its objective
    holds the keep bonus (a tie-break towards previous slots, for the guided placement); the
    bound is computed from the row duals against the weights alone, so it bounds the weight
    whatever the bonus and the solver's tolerances (see `dual_bound`)."""
    if model.columns == 0:
        return Relaxation(0.0, np.zeros(0), 0.0)
    h = _highs(time_limit, seed)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    h.passModel(model.lp)
    h.run()
    seconds = h.getRunTime()
    solution = h.getSolution()
    if not solution.dual_valid or not solution.value_valid:
        return Relaxation(None, None, seconds)
    values = np.clip(np.asarray(solution.col_value, dtype=np.float64), 0.0, 1.0)
    return Relaxation(dual_bound(model, np.asarray(solution.row_dual)), values, seconds)


def dual_bound(model: Model, row_dual: np.ndarray) -> float:
    """Weak duality, computed here rather than trusted: for any y ≥ 0 over the rows,
    Σ upper·y + Σ_columns max over the column's range of (weight − Aᵀy)·x bounds every
    schedule's weight. Both signs of the solver's duals are tried (each clipped at zero is a
    valid y); the smaller bound is kept."""
    lp = model.lp
    upper = np.asarray(lp.row_upper_)
    index = np.asarray(lp.a_matrix_.index_).reshape(-1, 6)
    lower = np.asarray(lp.col_lower_)
    best = np.inf
    for sign in (1.0, -1.0):
        y = np.clip(sign * row_dual, 0.0, None)
        reduced = model.weights - y[index].sum(axis=1)
        columns = np.where(lower > 0, reduced, np.clip(reduced, 0.0, None))
        best = min(best, float(upper @ y + columns.sum()))
    return best


def exact(
    model: Model, time_limit: float, incumbent: dict[str, int] | None = None, seed: int = 0
) -> Exact:
    """Solve the MIP within `time_limit`, starting from `incumbent` (request → slot index)."""
    if model.columns == 0:
        return Exact({}, 0.0, True, 0.0)
    h = _highs(time_limit, seed)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("mip_abs_gap", 1e-7)
    lp = model.lp
    lp.integrality_ = [highspy.HighsVarType.kInteger] * model.columns
    h.passModel(lp)
    lp.integrality_ = []
    if incumbent:
        position = {r: i for i, r in enumerate(model.requests)}
        wanted = {(position[r], s) for r, s in incumbent.items()}
        start = np.fromiter(
            (
                1.0 if (int(r), int(s)) in wanted else 0.0
                for r, s in zip(model.col_request, model.col_slot, strict=True)
            ),
            dtype=np.float64,
            count=model.columns,
        )
        h.setSolution(
            model.columns, np.arange(model.columns, dtype=np.int32), start.astype(np.float64)
        )
    h.run()
    seconds = h.getRunTime()
    status = h.getModelStatus()
    info = h.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return Exact(None, None, False, seconds)
    values = np.asarray(h.getSolution().col_value)
    chosen = np.nonzero(values > 0.5)[0]
    slot_of = {model.requests[int(model.col_request[c])]: int(model.col_slot[c]) for c in chosen}
    bound = float(info.mip_dual_bound)
    return Exact(slot_of, bound, status == highspy.HighsModelStatus.kOptimal, seconds)


def lagrangian(
    model: Model,
    time_limit: float,
    target: float,
    iterations: int = 2_000,
    step: float = 2.0,
    patience: int = 10,
) -> Relaxation:
    """A bound without HiGHS, for events whose LP does not finish in time: the Lagrangian
    dual of the party-slot, cap and table rows, minimised by subgradient steps (Polyak's
    step towards `target`, the best weight found so far) in numpy. Each request then takes
    its best column alone, so L(y) = Σ upper·y + Σ_requests max(0, max over its columns of
    weight − Aᵀy) bounds every schedule for every y ≥ 0 (the same weak duality as
    `dual_bound`); the least L seen is returned, with the last step's columns as values."""
    started = time.perf_counter()
    if model.columns == 0:
        return Relaxation(0.0, np.zeros(0), 0.0)
    lp = model.lp
    index = np.asarray(lp.a_matrix_.index_).reshape(-1, 6)
    request_base = len(lp.row_upper_) - len(model.requests)
    # Each column's rows but its request's (rows are sorted, the request's row is last).
    rows = index[:, :5]
    upper = np.asarray(lp.row_upper_)[:request_base]
    locked = np.asarray(lp.col_lower_) > 0
    starts = np.flatnonzero(np.r_[True, model.col_request[1:] != model.col_request[:-1]])
    counts = np.diff(np.r_[starts, model.columns])
    y = np.zeros(request_base)
    best, best_values = np.inf, np.zeros(model.columns)
    since = 0
    for _ in range(iterations):
        if time.perf_counter() - started > time_limit:
            break
        reduced = model.weights - y[rows].sum(axis=1)
        peak = np.maximum.reduceat(reduced, starts)
        tops = np.repeat(peak, counts)
        chosen = ((reduced >= tops) & (reduced > 0)) | locked
        # one column per request: the first of its best
        first = np.flatnonzero(chosen)
        _, keep = np.unique(model.col_request[first], return_index=True)
        picked = first[keep]
        value = float(upper @ y + np.where(peak > 0, peak, 0.0).sum())
        value += float(np.minimum(reduced[locked], 0.0).sum())  # a locked column is taken
        if value < best - 1e-9:
            best, since = value, 0
            best_values = np.zeros(model.columns)
            best_values[picked] = 1.0
        else:
            since += 1
            if since >= patience:
                step, since = step / 2, 0
        gradient = upper - np.bincount(rows[picked].reshape(-1), minlength=request_base)
        norm = float(gradient @ gradient)
        if norm == 0 or step < 1e-4:
            break
        y = np.clip(y - step * max(value - target, 1e-3) / norm * gradient, 0.0, None)
    return Relaxation(best, best_values, time.perf_counter() - started)
