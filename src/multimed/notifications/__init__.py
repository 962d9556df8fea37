"""Notifications: in-app and email, when a summary is ready or a job fails. A leaf domain."""
