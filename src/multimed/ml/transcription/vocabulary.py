"""The clinical vocabulary (data/clinical_vocabulary.csv) and the Whisper prompt made from it.

Whisper conditions on at most 223 prompt tokens and keeps the last ones, so the prompt holds only the
terms marked `prompt=1` (the drug names, labs, vitals, units and conditions dictations use most and the
model misspells without help); the full list serves lexicon matching and evaluation.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

# Categories in prompt order, with the label that introduces them.
PROMPT_SECTIONS = {
    "drug": "Medications",
    "lab": "Labs",
    "vital": "Vitals",
    "unit": "Units",
    "condition": "Conditions",
}


@dataclass(frozen=True)
class Term:
    text: str
    category: str
    in_prompt: bool


@functools.cache
def load_vocabulary() -> tuple[Term, ...]:
    """Every term of the packaged vocabulary, in file order."""
    raw = (
        resources.files("multimed.ml.transcription")
        .joinpath("data")
        .joinpath("clinical_vocabulary.csv")
        .read_text(encoding="utf-8")
    )
    return tuple(
        Term(row["term"].strip(), row["category"].strip(), row["prompt"].strip() == "1")
        for row in csv.DictReader(io.StringIO(raw))
        if row["term"].strip()
    )


@functools.cache
def clinical_prompt() -> str:
    """The default `initial_prompt`: a short dictation-style header listing the prompt terms."""
    terms = load_vocabulary()
    sections = []
    for category, label in PROMPT_SECTIONS.items():
        chosen = [t.text for t in terms if t.category == category and t.in_prompt]
        if chosen:
            sections.append(f"{label}: {', '.join(chosen)}.")
    return " ".join(["Clinical dictation.", *sections])
