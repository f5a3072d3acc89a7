"""`upland user …`: create users, grant and revoke roles, issue tokens, deactivate accounts,
export and erase data."""

from __future__ import annotations

import json
from typing import NoReturn

import typer
from sqlalchemy.orm import Session

from upland.accounts import queries, service
from upland.accounts.directory import directory
from upland.cli_support import cli_actor
from upland.db import transaction
from upland.errors import UplandError

user_app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)

ROLES_HELP = (
    "viewer | editor | admin (with --org), coordinator, officer (with --city), platform-admin"
)


def _fail(exc: UplandError) -> NoReturn:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def _org_id(session: Session, org: str) -> int:
    """An organisation id, NIP or REGON."""
    found = directory().find(session, org)
    if found is None:
        raise typer.BadParameter(f"no organisation with id, NIP or REGON {org}")
    return int(found)


@user_app.command("create")
def create(
    email: str,
    full_name: str = typer.Option(..., "--name", help="full name"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    language: str = typer.Option("pl", help="pl or en"),
) -> None:
    """Create a user account."""
    try:
        with transaction() as session:
            user = service.create_user(session, cli_actor(), email, full_name, password, language)
            typer.echo(f"created user {user.id} {user.email}")
    except UplandError as exc:
        _fail(exc)


@user_app.command("grant")
def grant(
    email: str,
    role: str = typer.Argument(..., help=ROLES_HELP),
    org: str | None = typer.Option(None, help="organisation id, NIP or REGON"),
    city: str | None = typer.Option(None, help="TERYT code of the officer's municipality"),
) -> None:
    """Give a user a role."""
    try:
        with transaction() as session:
            user = queries.get_user_by_email(session, email)
            org_id = _org_id(session, org) if org else None
            service.grant_role(session, cli_actor(), user.id, role, org_id, city)
            typer.echo(f"{user.email}: granted {role}")
    except UplandError as exc:
        _fail(exc)


@user_app.command("revoke")
def revoke(
    email: str,
    role: str = typer.Argument(..., help=ROLES_HELP),
    org: str | None = typer.Option(None, help="organisation id, NIP or REGON"),
) -> None:
    """Take a role away from a user."""
    try:
        with transaction() as session:
            user = queries.get_user_by_email(session, email)
            org_id = _org_id(session, org) if org else None
            service.revoke_role(session, cli_actor(), user.id, role, org_id)
            typer.echo(f"{user.email}: revoked {role}")
    except UplandError as exc:
        _fail(exc)


@user_app.command("invite")
def invite(
    email: str,
    org: str = typer.Option(..., "--organisation", "--org", help="organisation id, NIP or REGON"),
    role: str = typer.Option("viewer", help="viewer | editor | admin"),
) -> None:
    """Invite a person to an organisation by e-mail (valid for 14 days); they get the role when
    they accept. The link is printed only in development mode."""
    from upland.mail import links
    from upland.settings import get_settings

    try:
        with transaction() as session:
            org_id = _org_id(session, org)
            invited = service.add_member(session, cli_actor(), org_id, email, role)
    except UplandError as exc:
        _fail(exc)
    if get_settings().dev_mode:
        typer.echo(links.absolute(f"/invitations/{invited.token}"))
    else:
        typer.echo(f"invitation sent to {invited.email}")


@user_app.command("list")
def list_users(q: str | None = typer.Argument(None, help="part of e-mail or name")) -> None:
    """List users with their roles."""
    with transaction() as session:
        for user in queries.list_users(session, cli_actor(), q):
            roles = [f"{m.role}@{m.organisation_id}" for m in user.memberships]
            roles += ["coordinator"] * user.is_coordinator + [
                "platform-admin"
            ] * user.is_platform_admin
            if user.officer_teryt:
                roles.append(f"officer@{user.officer_teryt}")
            typer.echo(f"{user.id}\t{user.email}\t{user.full_name}\t{' '.join(roles)}")


@user_app.command("token")
def token(email: str, name: str = typer.Option("cli", help="label of the token")) -> None:
    """Issue an API token for a user (printed once)."""
    try:
        with transaction() as session:
            user = queries.get_user_by_email(session, email)
            _, plain = service.issue_token(session, cli_actor(), user.id, name)
    except UplandError as exc:
        _fail(exc)
    typer.echo(plain)


@user_app.command("export-data")
def export_data(email: str) -> None:
    """Print everything held about a user as JSON."""
    try:
        with transaction() as session:
            user = queries.get_user_by_email(session, email)
            data = queries.personal_data(session, cli_actor(), user.id)
    except UplandError as exc:
        _fail(exc)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@user_app.command("deactivate")
def deactivate(email: str) -> None:
    """Switch an account off: it cannot log in, its sessions end, its open links stop working;
    its API tokens are refused; its data and roles stay (docs/permissions.md)."""
    try:
        with transaction() as session:
            user = queries.get_user_by_email(session, email)
            service.deactivate_user(session, cli_actor(), user.id)
    except UplandError as exc:
        _fail(exc)
    typer.echo(f"{user.email}: deactivated")


@user_app.command("erase")
def erase(email: str, yes: bool = typer.Option(False, "--yes", help="do not ask")) -> None:
    """Erase a user's personal data (statistics and audit entries stay)."""
    if not yes:
        typer.confirm(f"erase {email}?", abort=True)
    try:
        with transaction() as session:
            user = queries.get_user_by_email(session, email)
            service.erase_user(session, cli_actor(), user.id)
    except UplandError as exc:
        _fail(exc)
    typer.echo("erased")


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
