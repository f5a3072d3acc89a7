"""Events: brokerage days, registrations, meeting requests and their schedule."""

from upland.events import labels as labels  # enum labels in both languages
from upland.events import permissions as permissions  # registers the area's rules
