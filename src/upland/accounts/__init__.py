"""Accounts: users, roles and scopes, log-in, API tokens, audit log."""

from upland.accounts import labels as labels
