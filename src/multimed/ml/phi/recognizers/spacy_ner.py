"""spaCy's named entities (PERSON, GPE/LOC, ORG/FAC) filtered for clinical text and given a role.

On notes the small English model calls "MRN" and "HPI" organisations, "MD" and "Creatinine" places and section
headers people, so every entity passes through the lexicon, and places or organisations without support are
weak (reported only at a lower threshold).
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.dictated_name import NOT_NAME_ENDING as _NOT_NAME_ENDING
from multimed.ml.phi.recognizers.name_grammar import infer_role, trim_name

# The spaCy labels we read, as the NLP engine maps them; every other label is ignored there.
NER_MAPPING = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "ORG": "ORGANIZATION",
    "FAC": "ORGANIZATION",
}
_LINE = re.compile(r"[^\n]+")


class ClinicalSpacyRecognizer(LocalRecognizer):
    """Reads the entities of the shared spaCy run and keeps the ones that survive the lexicon."""

    name: str

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.facility_words = tuple(w.lower() for w in lexicon.facility_words)
        super().__init__(
            supported_entities=[
                PhiType.PERSON.value,
                PhiType.CITY.value,
                PhiType.ORGANIZATION.value,
                PhiType.PATIENT.value,
                PhiType.CLINICIAN.value,
                PhiType.RELATIVE.value,
            ],
            name="SpacyRecognizer",
            supported_language="en",
            context=["lives", "resides", "moved", "born", "town", "city", "hometown", "native"],
        )

    def load(self) -> None:
        """The model is run by the NLP engine, not here."""

    def _person(self, text: str, start: int, end: int) -> tuple[int, int, str, float] | None:
        span = trim_name(text, start, end, self.lexicon, keep_first=False)
        if span is None:
            return None
        value = text[span[0] : span[1]]
        if any(c.isdigit() for c in value) or not value[0].isupper() or self.lexicon.all_clinical(value):
            return None
        if value.isupper() and len(value) <= 5:  # abbreviations: "HPI", "RR", "NYHA"
            return None
        if " " not in value and _NOT_NAME_ENDING.search(value.lower()):  # "Administered", "Equipment"
            return None
        if text[span[1] : span[1] + 1] == ":":  # a field label ("Equipment:")
            return None
        return span[0], span[1], infer_role(text, *span), 0.6

    def _place(self, value: str) -> float | None:
        if (
            self.lexicon.is_place_not_phi(value)
            or self.lexicon.all_clinical(value)
            or any(c.isdigit() for c in value)
        ):
            return None
        if value.isupper() and len(value) <= 4:
            return None
        return 0.6 if value.lower() in self.lexicon.cities else 0.45

    def _organization(self, value: str) -> float | None:
        if self.lexicon.all_clinical(value) or (value.isupper() and len(value) <= 5):
            return None
        lowered = value.lower()
        return 0.6 if any(w in lowered for w in self.facility_words) else 0.2

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """One result per entity line that passes the filters."""
        results: list[RecognizerResult] = []
        if nlp_artifacts is None:
            return results
        for entity in nlp_artifacts.entities:
            label = entity.label_
            for line in _LINE.finditer(text, entity.start_char, entity.end_char):
                start, end = line.start(), line.end()
                while start < end and not text[start].isalnum():
                    start += 1
                while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
                    end -= 1
                if text.endswith("..", start, end):  # dot leaders of a lab line ("Prothrombin Time ....")
                    end = len(text[start:end].rstrip(". \t")) + start
                if end - start < 2:
                    continue
                value = text[start:end]
                found: tuple[int, int, str, float] | None = None
                if label == "PERSON":
                    found = self._person(text, start, end)
                elif label == "LOCATION":
                    score = self._place(value)
                    found = None if score is None else (start, end, PhiType.CITY.value, score)
                elif label == "ORGANIZATION":
                    score = self._organization(value)
                    found = None if score is None else (start, end, PhiType.ORGANIZATION.value, score)
                if found is None or found[2] not in entities:
                    continue
                results.append(
                    RecognizerResult(
                        entity_type=found[2],
                        start=found[0],
                        end=found[1],
                        score=found[3],
                        analysis_explanation=AnalysisExplanation(
                            recognizer=self.name,
                            original_score=found[3],
                            textual_explanation=f"spaCy {label}, filtered for clinical text",
                        ),
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results
