"""The clinical vocabulary (data/clinical_vocabulary.csv) and the Whisper prompt made from it.

Whisper conditions on at most 223 prompt tokens and silently keeps the last ones. Drug names cost 3-5
tokens each, so the prompt holds only the ~45 terms marked `prompt=1` (~190-210 tokens): the common drugs,
labs, vitals, units and conditions that the model misspells without help. The full list (~380 terms)
serves lexicon matching and evaluation. The prompt carries no numbers: example values ("potassium 4.2")
helped number formatting in trials but can be copied into a transcript as if dictated.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

# The prompt is read as text that came before the recording: plain dictation-like prose primed the
# models better than a comma list (which made whisper-base write "Blood glucose, 240." and
# "metformin, 500,000"). Each placeholder is filled with the category's prompt terms.
PROMPT_TEMPLATE = (
    "Clinical dictation. Labs include {lab}. Vitals include {vital}. Medications include {drug}, dosed in "
    "{unit}, {frequency}. Assessment includes {condition}. Numbers are written as digits."
)
_CONJUNCTIONS = {"unit": "or", "frequency": "or"}  # the others are listed with "and"


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
    rows = "\n".join(line for line in raw.splitlines() if not line.startswith("#"))
    return tuple(
        Term(row["term"].strip(), row["category"].strip(), row["prompt"].strip() == "1")
        for row in csv.DictReader(io.StringIO(rows))
        if row["term"].strip()
    )


def _listed(items: list[str], conjunction: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


@functools.cache
def clinical_prompt() -> str:
    """The default `initial_prompt`: `PROMPT_TEMPLATE` filled with the terms marked for the prompt."""
    chosen: dict[str, list[str]] = {}
    for term in load_vocabulary():
        if term.in_prompt:
            chosen.setdefault(term.category, []).append(term.text)
    return PROMPT_TEMPLATE.format_map(
        {category: _listed(items, _CONJUNCTIONS.get(category, "and")) for category, items in chosen.items()}
    )
