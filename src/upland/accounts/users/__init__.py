"""The users page of the coordinator and platform admins."""
