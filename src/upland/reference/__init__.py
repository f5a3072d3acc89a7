"""Reference data: classifications, municipalities, capability vocabulary."""

from upland.reference import permissions as permissions  # registers the area's rules
