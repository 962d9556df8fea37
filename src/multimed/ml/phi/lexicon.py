"""The word lists the recognizers consult, read once from the versioned files in `data/`."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[A-Za-z0-9À-ÿ/'\u2019.-]+")


def _lines(name: str) -> list[str]:
    text = resources.files("multimed.ml.phi").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _norm(word: str) -> str:
    return word.lower().replace("\u2019", "'").strip(".,;:'\"()")


@dataclass(frozen=True)
class Lexicon:
    """Allow-lists (what must survive) and gazetteers (what helps find places), all lower-cased."""

    clinical_terms: frozenset[str]
    common_words: frozenset[str]
    eponyms: frozenset[str]  # every eponym surname
    standalone_eponyms: frozenset[str]  # kept even without a head noun ("Apgar", "Foley")
    eponym_heads: frozenset[str]
    cities: frozenset[str]
    state_names: dict[str, str]  # lower-cased name -> postal abbreviation
    state_abbreviations: frozenset[str]  # upper-case postal codes
    countries: frozenset[str]
    facility_words: tuple[str, ...]  # original case, longest first
    department_words: frozenset[str]
    lab_analytes: tuple[str, ...]  # analyte names and abbreviations as written (case matters for short ones)

    def is_clinical(self, word: str) -> bool:
        """A clinical term, abbreviation or drug: never part of a name."""
        return _norm(word) in self.clinical_terms

    def is_common(self, word: str) -> bool:
        """A stop word or an everyday word that follows name triggers."""
        return _norm(word) in self.common_words

    def is_non_name(self, word: str) -> bool:
        """A word that is never taken as (part of) a person's name."""
        norm = _norm(word)
        return norm in self.clinical_terms or norm in self.common_words

    def all_clinical(self, phrase: str) -> bool:
        """Every word of the phrase is a clinical term, eponym or common word."""
        words = [_norm(w) for w in _WORD.findall(phrase)]
        words = [w for w in words if w]
        return bool(words) and all(
            w in self.clinical_terms or w in self.common_words or w in self.eponyms or w.isdigit()
            for w in words
        )

    def is_place_not_phi(self, phrase: str) -> bool:
        """A state or a country: a place, but not an identifier under Safe Harbor."""
        norm = _norm(phrase)
        return (
            norm in self.state_names or norm in self.countries or phrase.upper() in self.state_abbreviations
        )


@functools.cache
def load_lexicon() -> Lexicon:
    """Read every list once per process."""
    eponym_lines = _lines("eponyms.csv")
    states = [line.split(",") for line in _lines("us_states.csv")]
    return Lexicon(
        clinical_terms=frozenset(_norm(w) for w in _lines("clinical_terms.csv")),
        common_words=frozenset({_norm(w) for w in _lines("common_words.csv")} | set(STOP_WORDS)),
        eponyms=frozenset(_norm(w.lstrip("*")) for w in eponym_lines),
        standalone_eponyms=frozenset(_norm(w.lstrip("*")) for w in eponym_lines if w.startswith("*")),
        eponym_heads=frozenset(_norm(w) for w in _lines("eponym_heads.csv")),
        cities=frozenset(w.lower() for w in _lines("us_cities.csv")),
        state_names={name.lower(): abbr for name, abbr in states},
        state_abbreviations=frozenset(abbr for _, abbr in states),
        countries=frozenset(_norm(w) for w in _lines("countries.csv")),
        facility_words=tuple(sorted(_lines("facility_words.csv"), key=len, reverse=True)),
        department_words=frozenset(_norm(w) for w in _lines("department_words.csv")),
        lab_analytes=tuple(_lines("lab_analytes.csv")),
    )
