"""Accounts: users, roles and scopes, log-in, API tokens, audit log."""

from upland.accounts import labels as labels  # enum labels in both languages
from upland.accounts import permissions as permissions  # registers the area's rules
from upland.accounts import recipients as recipients  # who notifications go to
