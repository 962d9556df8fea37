"""Choosing the sentence embedder by name (from settings); each is built once per process."""

from __future__ import annotations

import functools
import threading

from multimed.ml.embeddings.base import SentenceEmbedder

_LOCK = threading.Lock()
KNOWN = ("minilm",)


@functools.cache
def _build(name: str) -> SentenceEmbedder:
    if name == "minilm":
        from multimed.ml.embeddings.minilm import MiniLmEmbedder  # heavy: imports torch

        return MiniLmEmbedder()
    raise ValueError(f"unknown sentence embedder {name!r}; known: {', '.join(repr(k) for k in KNOWN)}")


def build_embedder(name: str = "minilm") -> SentenceEmbedder:
    """The named embedder, loaded on first request and shared by every later caller."""
    with _LOCK:
        return _build(name)
