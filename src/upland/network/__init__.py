"""Cooperation network: relations between organisations, derived from the marketplace's
introductions and confirmed agreements or declared by members, and the metrics the cities
follow (`metrics`, pure graph analytics)."""

from upland.network import labels as labels  # how its enum values read
from upland.network import notices as notices  # its kinds of news
from upland.network import panels as panels  # its panel on the starting page
from upland.network import permissions as permissions  # registers the area's rules
from upland.network import personal as personal  # registers the personal data it holds
from upland.network import snapshots as snapshots  # forgets snapshots when ties change
from upland.network import subscriptions as subscriptions  # derives ties from the market
from upland.network.recommendations import introductions as introductions  # at brokerage days
