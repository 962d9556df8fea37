"""Processing jobs: one per upload, one per summary request."""
