"""What follows an opportunity: organisations' answers (interests and passes), the
introductions the owner's acceptance records, the outcomes both sides report, and bookings of
research-infrastructure offers (issue 9, part 3)."""

from upland.market.interests import labels as labels  # enum labels in both languages
from upland.market.interests import notices as notices  # its kinds of news and who hears them
from upland.market.interests import panels as panels  # its panel on the starting page
from upland.market.interests import permissions as permissions  # rules and the disclosure
from upland.market.interests import personal as personal  # a person's data: export, erasure
from upland.market.interests import queries as queries  # the dashboard's engagement source
