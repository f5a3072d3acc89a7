"""Marketplace: offers and requests, their lifecycle, visibility, access requests, attachments."""

from upland.market import dashboard as dashboard  # its page, panel and rule
from upland.market import labels as labels  # enum labels in both languages
from upland.market import permissions as permissions  # registers the area's rules
