"""Every write to accounts (DESIGN rule 1), split by subject past ~400 lines.

`users`: accounts, global roles, organisation roles, tokens, log-in bookkeeping, erasure.
`sessions`: browser log-in sessions, started, seen and ended.
`members`: an organisation's people by e-mail, invitations and their acceptance.
"""

from upland.accounts.service.members import (
    INVITATION_DAYS,
    NewMember,
    accept_invitation,
    add_member,
    change_member_role,
    invite_member,
    remove_member,
)
from upland.accounts.service.sessions import (
    end_other_sessions,
    end_session,
    end_user_sessions,
    log_out,
    start_session,
    touch_session,
)
from upland.accounts.service.users import (
    GLOBAL_ROLES,
    TOKEN_PREFIX,
    authenticate,
    create_user,
    deactivate_user,
    erase_user,
    grant_role,
    issue_token,
    revoke_role,
    revoke_token,
    set_password,
    touch_token,
)

__all__ = [
    "GLOBAL_ROLES",
    "INVITATION_DAYS",
    "TOKEN_PREFIX",
    "NewMember",
    "accept_invitation",
    "add_member",
    "authenticate",
    "change_member_role",
    "create_user",
    "deactivate_user",
    "end_other_sessions",
    "end_session",
    "end_user_sessions",
    "erase_user",
    "grant_role",
    "invite_member",
    "issue_token",
    "log_out",
    "remove_member",
    "revoke_role",
    "revoke_token",
    "set_password",
    "start_session",
    "touch_session",
    "touch_token",
]
