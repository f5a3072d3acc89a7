"""Registry: organisations, their sites, people, PKD codes and capabilities."""

from upland.organisations import directory as directory  # tells accounts of organisations
from upland.organisations import labels as labels  # enum labels in both languages
from upland.organisations import panels as panels  # its panel on the starting page
from upland.organisations import permissions as permissions  # registers the area's rules
from upland.organisations import removals as removals  # registers removed contacts' personal data
