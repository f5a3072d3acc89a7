"""Matching's panel on an organisation's and an opportunity's page: its suggested partners,
loaded after the page (a cold engine may first load its model)."""

from __future__ import annotations

from upland import panels
from upland.i18n import N_


def _partners(page: str) -> panels.ItemPanel:
    def href(item_id: int) -> str:
        return f"/match/{page}/{item_id}/partners"

    return panels.ItemPanel(
        name=f"matching.partners.{page}",
        page=page,
        title=N_("Suggested partners"),
        applies=panels.is_logged_in,
        href=href,
    )


for _page in ("organisation", "opportunity"):
    panels.register_item_panel(_partners(_page))
