"""Accounts: users, roles and scopes, log-in, API tokens, audit log."""
