"""Sentence embeddings behind a small interface (the extractive summarizer ranks sentences with them)."""
