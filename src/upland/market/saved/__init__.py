"""What a person keeps an eye on in the marketplace: saved searches (told of new matching
opportunities) and followed opportunities (told when they change, near their deadline or
close)."""

from upland.market.saved import fanout as fanout  # its signal handlers and periodic job
from upland.market.saved import notices as notices  # the kinds of news it sends
from upland.market.saved import permissions as permissions  # its rules
from upland.market.saved import personal as personal  # a person's data: export, erasure
