"""Every write to the marketplace (DESIGN rule 1). Each function checks permission first,
records an audit entry and publishes its signal; split by subject: `opportunities` (create,
edit, delete a draft), `transitions` (the lifecycle), `access` (access requests),
`attachments` (files), `reminders` (before expiry), `core` (what they share)."""

from upland.market.service.access import decide_access, request_access
from upland.market.service.attachments import add_attachment, remove_attachment, sweep_files
from upland.market.service.core import review_policy
from upland.market.service.opportunities import (
    create_opportunity,
    delete_opportunity,
    update_opportunity,
)
from upland.market.service.reminders import remind_expiring
from upland.market.service.transitions import (
    approve_opportunity,
    expire_due,
    fulfil_opportunity,
    publish_opportunity,
    renew_opportunity,
    return_opportunity,
    submit_opportunity,
    withdraw_opportunity,
)

__all__ = [
    "add_attachment",
    "approve_opportunity",
    "create_opportunity",
    "decide_access",
    "delete_opportunity",
    "expire_due",
    "fulfil_opportunity",
    "publish_opportunity",
    "remind_expiring",
    "remove_attachment",
    "renew_opportunity",
    "request_access",
    "return_opportunity",
    "review_policy",
    "submit_opportunity",
    "sweep_files",
    "update_opportunity",
    "withdraw_opportunity",
]
