"""mail: outbound e-mail, password resets, invitations that grant nothing until accepted

`mail_message` keeps every e-mail (rendered) until it is sent. An invitation now names an
e-mail address and a role instead of a placeholder account holding the role: the pending,
never-activated accounts of earlier invitations become invitations (with fresh link tokens
nobody knows, since the old links were handed to whoever added the person; re-adding the
person e-mails a new link) and the placeholders and their roles are deleted.

Revision ID: 0007
Revises: 0006 (re-chained after 0006 at merge)
Create Date: 2026-12-02 19:30:00
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None
downgrade_loses = (
    "the mail_message and password_reset tables (queued e-mails, reset links), the notice "
    "preference, and invitations of addresses that have no account"
)

PENDING = (
    "SELECT u.id FROM user_account u WHERE u.is_active = :off AND u.password_hash IS NULL "
    "AND EXISTS (SELECT 1 FROM invitation i WHERE i.user_id = u.id)"
)


def _create_mail_message() -> None:
    op.create_table(
        "mail_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("template", sa.String(length=50), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("unsubscribe_url", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_message")),
    )
    op.create_index(op.f("ix_mail_message_recipient"), "mail_message", ["recipient"])
    op.create_index(op.f("ix_mail_message_status"), "mail_message", ["status"])


def _create_password_reset() -> None:
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_password_reset_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    op.create_index(op.f("ix_password_reset_user_id"), "password_reset", ["user_id"])


def _invitations_by_email(bind: sa.Connection) -> list[int]:
    """Fill email and role from the account and its membership; give the open invitations of
    placeholder accounts unknown tokens; return the placeholders' ids."""
    bind.execute(
        sa.text(
            "UPDATE invitation SET email = (SELECT u.email FROM user_account u "
            "WHERE u.id = invitation.user_id), role = COALESCE((SELECT m.role FROM membership m "
            "WHERE m.user_id = invitation.user_id "
            "AND m.organisation_id = invitation.organisation_id), 'viewer')"
        )
    )
    pending = list(bind.scalars(sa.text(PENDING), {"off": False}))
    for user_id in pending:
        # Withdrawn invitations (no role any more) go; the others get a token nobody holds.
        bind.execute(
            sa.text(
                "DELETE FROM invitation WHERE user_id = :u AND accepted_at IS NULL AND NOT EXISTS "
                "(SELECT 1 FROM membership m WHERE m.user_id = :u "
                "AND m.organisation_id = invitation.organisation_id)"
            ),
            {"u": user_id},
        )
        ids = list(
            bind.scalars(sa.text("SELECT id FROM invitation WHERE user_id = :u"), {"u": user_id})
        )
        for invitation_id in ids:
            token_hash = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
            bind.execute(
                sa.text("UPDATE invitation SET token_hash = :h WHERE id = :i"),
                {"h": token_hash, "i": invitation_id},
            )
    return pending


def _delete_placeholders(bind: sa.Connection, pending: list[int]) -> None:
    """Done by hand: foreign keys are off while SQLite migrates."""
    for user_id in pending:
        params = {"u": user_id}
        bind.execute(
            sa.text("UPDATE audit_entry SET actor_user_id = NULL WHERE actor_user_id = :u"), params
        )
        bind.execute(sa.text("UPDATE person SET user_id = NULL WHERE user_id = :u"), params)
        bind.execute(
            sa.text(
                "UPDATE invitation SET invited_by_user_id = NULL WHERE invited_by_user_id = :u"
            ),
            params,
        )
        for table in ("membership", "api_token", "password_reset"):
            bind.execute(sa.text(f"DELETE FROM {table} WHERE user_id = :u"), params)
        bind.execute(sa.text("DELETE FROM user_account WHERE id = :u"), params)


def upgrade() -> None:
    bind = op.get_bind()
    _create_mail_message()
    _create_password_reset()
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("mail_notices", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("role", sa.String(length=10), nullable=True))
    pending = _invitations_by_email(bind)
    with op.batch_alter_table("invitation") as batch:
        batch.drop_index("ix_invitation_user_id")
        batch.drop_constraint("fk_invitation_user_id_user_account", type_="foreignkey")
        batch.drop_column("user_id")
        batch.alter_column("email", existing_type=sa.String(length=254), nullable=False)
        batch.alter_column("role", existing_type=sa.String(length=10), nullable=False)
        batch.create_index(op.f("ix_invitation_email"), ["email"])
    _delete_placeholders(bind, pending)


def downgrade() -> None:
    """Invitations of addresses without an account cannot go back to the old shape: dropped."""
    bind = op.get_bind()
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
    bind.execute(
        sa.text(
            "UPDATE invitation SET user_id = (SELECT u.id FROM user_account u "
            "WHERE u.email = invitation.email)"
        )
    )
    bind.execute(sa.text("DELETE FROM invitation WHERE user_id IS NULL"))
    with op.batch_alter_table("invitation") as batch:
        batch.drop_index("ix_invitation_email")
        batch.drop_column("role")
        batch.drop_column("email")
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            "fk_invitation_user_id_user_account",
            "user_account",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_invitation_user_id", ["user_id"])
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("mail_notices")
    op.drop_index(op.f("ix_password_reset_user_id"), table_name="password_reset")
    op.drop_table("password_reset")
    op.drop_index(op.f("ix_mail_message_status"), table_name="mail_message")
    op.drop_index(op.f("ix_mail_message_recipient"), table_name="mail_message")
    op.drop_table("mail_message")
