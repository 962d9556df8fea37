"""Append-only, hash-chained audit log; a leaf that imports no other domain."""
