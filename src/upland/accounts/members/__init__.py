"""An organisation's user accounts and invitations, as pages and over the API."""
