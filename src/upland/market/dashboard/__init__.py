"""The marketplace dashboard: opportunities by kind, status and city over time, interest and
acceptance rates, introductions and outcomes, for the coordinator and each city officer."""

from upland.market.dashboard import panels as panels  # its panel on the starting page
from upland.market.dashboard import permissions as permissions  # registers its rule
