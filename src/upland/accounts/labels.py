"""How account roles read on pages and in messages (gettext msgids)."""

from __future__ import annotations

from upland.actor import OrgRole
from upland.i18n import N_, register_labels

register_labels(
    "org_role",
    {
        OrgRole.VIEWER.value: N_("viewer"),
        OrgRole.EDITOR.value: N_("editor"),
        OrgRole.ADMIN.value: N_("admin"),
    },
)
