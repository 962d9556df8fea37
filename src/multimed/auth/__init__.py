"""Organizations, users, roles, tokens and the permission policy."""
