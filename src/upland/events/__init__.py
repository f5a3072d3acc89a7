"""Events: brokerage days, registrations, meeting requests and their schedule."""

from upland.events import labels as labels  # enum labels in both languages
from upland.events import notices as notices  # its kinds of news
from upland.events import panels as panels  # its panel on the starting page
from upland.events import permissions as permissions  # registers the area's rules
from upland.events import personal as personal  # a person's registrations: export, erasure
from upland.events import subscriptions as subscriptions  # a departure ends its registrations
