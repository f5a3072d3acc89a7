"""One's own account page: password, e-mail language, API tokens, personal data."""
