"""MultiMed Fusion: de-identify, read and summarize a patient's medical files."""

__version__ = "0.1.0"
