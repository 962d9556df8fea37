"""Read-through cache of summary and finding pages, invalidated per organization by a generation counter."""
