"""Patients known only by a keyed pseudonym token."""
