"""Processing stages composed from domains and engines (the worker side)."""
