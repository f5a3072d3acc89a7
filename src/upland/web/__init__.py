"""Shared web plumbing: request session and actor, CSRF, templates, language, errors."""
