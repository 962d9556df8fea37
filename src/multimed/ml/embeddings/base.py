"""The sentence embedder interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


class SentenceEmbedder(ABC):
    """Maps sentences to unit-length vectors, so a dot product is their cosine similarity.

    Implementations load their model once and are safe to call from several threads.
    """

    name: str
    version: str

    @abstractmethod
    def embed(self, sentences: Sequence[str]) -> npt.NDArray[np.float32]:
        """An (n, dim) array of L2-normalized embeddings, one row per sentence, in order."""
