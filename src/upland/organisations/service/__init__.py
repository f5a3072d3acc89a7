"""Every write to the registry (DESIGN rule 1). Each function checks permission first and
records an audit entry; split by subject: `organisation` (the record itself), `records` (sites
and capabilities), `people` (contact people), `core` (what they share)."""

from upland.organisations.service.core import refresh_derived
from upland.organisations.service.organisation import (
    create_organisation,
    delete_organisation,
    update_organisation,
)
from upland.organisations.service.people import (
    add_person,
    erase_person,
    link_people,
    remove_person,
    update_person,
)
from upland.organisations.service.records import (
    add_capability,
    add_site,
    remove_capability,
    remove_site,
    update_site,
)

__all__ = [
    "add_capability",
    "add_person",
    "add_site",
    "create_organisation",
    "delete_organisation",
    "erase_person",
    "link_people",
    "refresh_derived",
    "remove_capability",
    "remove_person",
    "remove_site",
    "update_organisation",
    "update_person",
    "update_site",
]
