"""Typed surrogate labels ([PATIENT_1], [MRN_2]) numbered per patient, so one person keeps one label."""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable

from multimed.core.crypto import keyed_hash
from multimed.ml.phi.base import PhiType

SURROGATE_PATTERN = re.compile(r"\[[A-Z]+_\d+\]")

# Name roles share one numbering space per person: "Dr. Lee" and "Lee" must not become two people
# merely because one mention carried a title. The role still shows in the label.
_NAME_TYPES = {PhiType.PATIENT, PhiType.CLINICIAN, PhiType.RELATIVE, PhiType.PERSON}


def normalize_value(phi_type: PhiType, value: str) -> str:
    """The comparable form of an identifier: case, accents, punctuation and spacing do not matter."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    if phi_type in _NAME_TYPES:
        text = re.sub(r"\b(dr|mr|mrs|ms|miss|prof|md|do|rn|np|pa)\b\.?", " ", text)
        parts = sorted(p for p in re.split(r"[^a-z]+", text) if len(p) > 1)
        return " ".join(parts)
    return re.sub(r"[^a-z0-9@.]+", "", text)


def label(phi_type: PhiType, number: int) -> str:
    """The printed surrogate."""
    return f"[{phi_type.value}_{number}]"


class SurrogateBook(ABC):
    """Assigns numbers to identifier values; implementations decide how long the numbering lives."""

    @abstractmethod
    def number(self, phi_type: PhiType, value: str) -> int:
        """The number for this value of this type, assigning the next free one on first sight."""

    def label(self, phi_type: PhiType, value: str) -> str:
        return label(phi_type, self.number(phi_type, value))


class MemorySurrogateBook(SurrogateBook):
    """Numbering that lives as long as the object (one document or one request)."""

    def __init__(self, key: bytes, existing: Iterable[tuple[str, str, int]] = ()) -> None:
        self._key = key
        self._numbers: dict[tuple[str, str], int] = {}
        self._next: dict[str, int] = {}
        self.new: list[tuple[str, str, int]] = []
        for kind, value_key, num in existing:
            self._numbers[(kind, value_key)] = num
            self._next[kind] = max(self._next.get(kind, 0), num)

    @staticmethod
    def numbering_kind(phi_type: PhiType) -> str:
        return "NAME" if phi_type in _NAME_TYPES else phi_type.value

    def value_key(self, phi_type: PhiType, value: str) -> str:
        """A keyed hash of the normalized value: what is stored instead of the identifier."""
        return keyed_hash(self._key, self.numbering_kind(phi_type), normalize_value(phi_type, value))

    def number(self, phi_type: PhiType, value: str) -> int:
        kind = self.numbering_kind(phi_type)
        value_key = self.value_key(phi_type, value)
        found = self._numbers.get((kind, value_key))
        if found is not None:
            return found
        assigned = self._next.get(kind, 0) + 1
        self._next[kind] = assigned
        self._numbers[(kind, value_key)] = assigned
        self.new.append((kind, value_key, assigned))
        return assigned
