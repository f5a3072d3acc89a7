"""What every area's CLI commands share, below the areas: the `upland` root imports the areas'
command modules, never the other way round."""

from __future__ import annotations

import getpass

from upland.actor import Actor


def cli_actor() -> Actor:
    """Shell access to the server is platform-admin access; the audit log names the OS user."""
    return Actor(user_id=None, label=f"cli:{getpass.getuser()}", is_admin=True)
