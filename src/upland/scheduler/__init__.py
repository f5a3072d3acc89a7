"""Periodic work registered by the parts of the application (digests, retries; later expiry
and reminders), run by one in-process scheduler per serving or worker process. Each tick of a
job runs once however many processes schedule it: the first to claim the tick in the database
runs it (`claims`). See docs/operations.md, "Scheduled work"."""
