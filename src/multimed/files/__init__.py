"""Uploaded medical files: sniffing, limits, versions, encrypted originals."""
