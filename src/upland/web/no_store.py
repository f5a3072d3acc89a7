"""`Cache-Control: no-store` on every answer but the static files (added with the security
headers by `request_context.RequestContext`).

Pages and API answers may carry personal data (the account page, personal-data exports) or
secrets (a new API token, the one-time links of invitations and password resets); no browser
or proxy may keep a copy. Deciding per route would let the next new route forget it, so only
the files under the static mounts, which are the same for everybody, may be cached. A response
that sets its own `cache-control` keeps it.
"""

from __future__ import annotations

CACHEABLE_PREFIXES = ("/static/", "/vendor/")
NO_STORE = {"cache-control": "no-store"}
