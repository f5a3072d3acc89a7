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

# Global roles, as `grant_role` names them.
register_labels(
    "global_role",
    {
        "coordinator": N_("cluster coordinator"),
        "officer": N_("city officer"),
        "platform-admin": N_("platform admin"),
    },
)
# The language an account's e-mails are written in.
register_labels("language", {"pl": N_("Polish"), "en": N_("English")})
