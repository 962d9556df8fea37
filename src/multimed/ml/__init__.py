"""ML engines behind small interfaces; import only multimed.core. Loaded once per worker process."""
