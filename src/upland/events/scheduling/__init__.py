"""Scheduling B2B meetings: a pure function over plain data (model, checks, placement, solve)."""

from upland.events.scheduling.model import Instance, Meeting, Participant, Request, Slot
from upland.events.scheduling.solve import Result, solve, solve_first_fit

__all__ = [
    "Instance",
    "Meeting",
    "Participant",
    "Request",
    "Result",
    "Slot",
    "solve",
    "solve_first_fit",
]
