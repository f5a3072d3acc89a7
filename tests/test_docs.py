"""Documentation is checked like code: every setting and every CLI command is described."""

from pathlib import Path

import typer.main

from upland.cli import app
from upland.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"UPLAND_{n.upper()}" not in text]
    assert missing == []


def _commands(group, prefix=""):
    for name, command in group.commands.items():
        path = f"{prefix} {name}".strip()
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path


def test_every_cli_command_is_documented():
    documented = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")
    )
    click_app = typer.main.get_command(app)
    missing = [c for c in _commands(click_app) if f"upland {c}" not in documented]
    assert missing == []


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("\n\n")[1]
    assert "make run" in head and "make test" in head


def test_the_readme_names_the_demo_organisations_of_the_demo_log_ins():
    """The demo log-ins table once named an organisation the demo world does not have."""
    from upland.demo.world import build_world

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Demo log-ins", 1)[1].split("\n## ", 1)[0]
    for user in build_world().users:
        for grant in user.roles:
            if grant.organisation and "(demo)" not in grant.organisation:
                row = next(line for line in table.splitlines() if user.email in line)
                assert grant.organisation in row, (user.email, grant.organisation)
