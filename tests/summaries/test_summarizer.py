"""The extractive note summarizer on the real MiniLM model, and the citation contract of every summarizer."""

from __future__ import annotations

import uuid

import pytest

from multimed.findings.citation import Citation
from multimed.ml.embeddings.registry import build_embedder
from multimed.summaries.extractive import ExtractiveSummarizer
from multimed.summaries.summarizer import CitedSentence, SourceSentence, UncitedSummary, checked

DICTATION, REPORT = uuid.uuid4(), uuid.uuid4()


def source(file_id: uuid.UUID, text: str, start: int) -> SourceSentence:
    return SourceSentence(text, Citation(file_id, 1, text, None, None, None, start, start + len(text)))


SOURCES = [
    source(
        DICTATION, "The patient presents with crushing substernal chest pain radiating to the left arm.", 0
    ),
    source(DICTATION, "He was started on aspirin and a heparin drip in the emergency department.", 90),
    source(DICTATION, "The weather was nice on the drive in.", 170),
    source(REPORT, "Patient presents with crushing substernal chest pain that radiates to the left arm.", 10),
    source(REPORT, "Cardiology was consulted for urgent catheterization.", 100),
]


@pytest.fixture(scope="module")
def summarizer() -> ExtractiveSummarizer:
    return ExtractiveSummarizer(build_embedder("minilm"))


def test_embeddings_are_unit_vectors_and_similar_sentences_score_high() -> None:
    embedder = build_embedder("minilm")
    vectors = embedder.embed([s.text for s in SOURCES])
    assert vectors.shape == (5, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4
    assert float(vectors[0] @ vectors[3]) > 0.88 > float(vectors[0] @ vectors[2])


def test_restatements_in_two_files_become_one_sentence_with_two_citations(
    summarizer: ExtractiveSummarizer,
) -> None:
    result = checked(summarizer.summarize(SOURCES, limit=3), SOURCES)
    assert len(result) == 3
    chest = [s for s in result if "chest pain" in s.text]
    assert len(chest) == 1
    assert {c.file_id for c in chest[0].citations} == {DICTATION, REPORT}
    assert all(s.text == s.citations[0].quote for s in result)  # extractive: the words are the source's
    assert "weather" not in " ".join(s.text for s in result)  # off-topic: least central


def test_limit_and_empty_input(summarizer: ExtractiveSummarizer) -> None:
    assert summarizer.summarize([], limit=5) == []
    assert len(summarizer.summarize(SOURCES, limit=1)) == 1


def test_contract_refuses_uncited_or_invented_evidence() -> None:
    with pytest.raises(UncitedSummary):
        checked([CitedSentence("Potassium is fine.", ())], SOURCES)
    invented = Citation(REPORT, 1, "Potassium is fine.", None, None, None, 0, 18)
    with pytest.raises(UncitedSummary):
        checked([CitedSentence("Potassium is fine.", (invented,))], SOURCES)
    ok = [CitedSentence(SOURCES[4].text, (SOURCES[4].citation,))]
    assert checked(ok, SOURCES) == ok
