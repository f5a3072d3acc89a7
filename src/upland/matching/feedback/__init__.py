"""Feedback on suggestions (issue 10): useful or not relevant with a reason, stored per user
and organisation with the features' values then; rejected pairs are suppressed, useful ones
and the marketplace's introductions raise a candidate, the coordinator reads a report, and
the examples teach proposed weights (`matching.weights`)."""

from upland.matching.feedback import personal as personal  # registers the export and erasure
from upland.matching.feedback import vocab as vocab  # registers the reasons' labels
