"""Publish/subscribe of live events (job progress, notifications): in-process or Redis pub/sub."""
