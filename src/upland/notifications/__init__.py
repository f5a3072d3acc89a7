"""Notifications, shared by every area: an area registers the kinds of news it sends
(`kinds.register`) and calls `service.notify` from its services or signal handlers; people read
them in the app and get them by e-mail at once or in a daily or weekly digest, as each chose per
kind. The core never names an area. Importing the package registers its permission rules, its
personal data and its periodic jobs."""

from upland.notifications import permissions as permissions
from upland.notifications import personal as personal
from upland.notifications import schedule as schedule
