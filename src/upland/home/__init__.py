"""The front door: the public home page with the cluster's figures, and the starting page
each logged-in person lands on, made of the panels areas register (`upland.panels`)."""

from upland.home import panels as panels  # the figure and recent-change panels
