"""Marketplace: offers and requests, their lifecycle, visibility, access requests, attachments;
interests, introductions, outcomes and bookings (`market.interests`); saved searches and
follows (`market.saved`)."""

from upland.market import dashboard as dashboard  # its page, panel and rule
from upland.market import interests as interests  # its rules and the owner's disclosure
from upland.market import labels as labels  # enum labels in both languages
from upland.market import notices as notices  # its kinds of news and who hears them
from upland.market import panels as panels  # its panel on the starting page
from upland.market import permissions as permissions  # registers the area's rules
from upland.market import personal as personal  # registers the personal data it holds
from upland.market import saved as saved  # saved searches and follows, their news
from upland.market import schedule as schedule  # expiry and reminders, periodically
