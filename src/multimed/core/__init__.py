"""Settings, database, keys and errors shared by every domain; imports nothing else of ours."""
