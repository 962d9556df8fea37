"""Extractive note summary: rank source sentences by centrality and novelty, merge restatements.

Centrality is a sentence's mean cosine similarity to the others (what the notes keep talking about);
novelty is maximal marginal relevance (Carbonell & Goldstein, 1998): each pick is penalised by its similarity
to what was already picked. A sentence that restates an earlier one (cosine ≥ `same_as`; the same fact in a
lab PDF and a dictation) joins that statement as a further citation instead of repeating it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from multimed.findings.citation import Citation
from multimed.ml.embeddings.base import SentenceEmbedder
from multimed.summaries.summarizer import CitedSentence, NoteSummarizer, SourceSentence


class ExtractiveSummarizer(NoteSummarizer):
    def __init__(self, embedder: SentenceEmbedder, *, novelty: float = 0.3, same_as: float = 0.88) -> None:
        self._embedder = embedder
        self._novelty = novelty
        self._same_as = same_as
        self.name = f"extractive-mmr/{embedder.name}"
        self.version = embedder.version

    def summarize(self, sentences: Sequence[SourceSentence], *, limit: int) -> list[CitedSentence]:
        if not sentences or limit <= 0:
            return []
        vectors = self._embedder.embed([s.text for s in sentences])
        similarity = vectors @ vectors.T
        groups = _restatements(similarity, self._same_as)
        leaders = sorted(groups)
        n = len(sentences)
        centrality = (similarity.sum(axis=1) - 1.0) / max(n - 1, 1)
        picked: list[int] = []
        while len(picked) < min(limit, len(leaders)):
            best, best_score = -1, -np.inf
            for i in leaders:
                if i in picked:
                    continue
                redundancy = max((float(similarity[i, j]) for j in picked), default=0.0)
                score = (1 - self._novelty) * float(centrality[i]) - self._novelty * redundancy
                if score > best_score:
                    best, best_score = i, score
            picked.append(best)
        # Read in source order: the order the notes were written in.
        return [CitedSentence(sentences[i].text, _citations(sentences, groups[i])) for i in sorted(picked)]


def _restatements(similarity: npt.NDArray[np.float32], threshold: float) -> dict[int, list[int]]:
    """Each leading sentence with the later sentences that restate it (itself first)."""
    groups: dict[int, list[int]] = {}
    for i in range(similarity.shape[0]):
        lead = next((j for j in groups if similarity[i, j] >= threshold), None)
        if lead is None:
            groups[i] = [i]
        else:
            groups[lead].append(i)
    return groups


def _citations(sentences: Sequence[SourceSentence], members: list[int]) -> tuple[Citation, ...]:
    seen: dict[Citation, None] = {}
    for i in members:
        seen.setdefault(sentences[i].citation, None)
    return tuple(seen)
