"""One's log-in sessions: ending them from the account page or the API."""
