"""Every write to accounts (DESIGN rule 1), split by subject past ~400 lines.

`users`: accounts, global roles, organisation roles, tokens, log-in bookkeeping, erasure.
`sessions`: browser log-in sessions, started, seen and ended.
`members`: an organisation's people by e-mail, invitations and their acceptance.
`resets`: forgotten passwords. `preferences`: which e-mails an account wants.
"""

from upland.accounts.service.management import (
    SETUP_DAYS,
    change_own_password,
    create_account,
    deactivate,
    grant_role_on_page,
    reactivate,
    revoke_global_role,
    revoke_role_on_page,
    send_reset,
    set_language,
)
from upland.accounts.service.members import (
    INVITATION_DAYS,
    Invited,
    accept_invitation,
    accept_offer,
    add_member,
    cancel_invitation,
    change_member_role,
    decline_offer,
    remove_member,
)
from upland.accounts.service.preferences import (
    set_mail_notices,
    unsubscribe,
    unsubscribe_link_user,
)
from upland.accounts.service.resets import RESET_MINUTES, request_password_reset, reset_password
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
    "RESET_MINUTES",
    "SETUP_DAYS",
    "TOKEN_PREFIX",
    "Invited",
    "accept_invitation",
    "accept_offer",
    "add_member",
    "authenticate",
    "cancel_invitation",
    "change_member_role",
    "change_own_password",
    "create_account",
    "create_user",
    "deactivate",
    "deactivate_user",
    "decline_offer",
    "end_other_sessions",
    "end_session",
    "end_user_sessions",
    "erase_user",
    "grant_role",
    "grant_role_on_page",
    "issue_token",
    "log_out",
    "reactivate",
    "remove_member",
    "request_password_reset",
    "reset_password",
    "revoke_global_role",
    "revoke_role",
    "revoke_role_on_page",
    "revoke_token",
    "send_reset",
    "set_language",
    "set_mail_notices",
    "set_password",
    "start_session",
    "touch_session",
    "touch_token",
    "unsubscribe",
    "unsubscribe_link_user",
]
