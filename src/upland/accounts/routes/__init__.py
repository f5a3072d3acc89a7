"""Accounts over HTTP, split by subject past ~400 lines: `account` (log-in, own account,
users, audit log) and `members` (an organisation's people and the invitation page)."""

from fastapi import APIRouter

from upland.accounts.routes import account, members

router = APIRouter()
router.include_router(account.router)
router.include_router(members.router)

__all__ = ["router"]
