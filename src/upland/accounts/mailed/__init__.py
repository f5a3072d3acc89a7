"""Pages that e-mailed links lead to: invitations, role offers, password resets and the
notices preference (mounted into `accounts.routes`)."""
