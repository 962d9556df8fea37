"""The patient's own names and IDs, and a matcher that finds them inside other text values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydicom.dataset import Dataset
from pydicom.valuerep import PersonName

from multimed.deid.dicom.vr import DUMMIES

# Shorter strings would match unrelated codes and numbers everywhere; they are still replaced in
# their own attributes, just not hunted for in free text.
MIN_IDENTIFIER_CHARS = 3
_ID_KEYWORDS = ("PatientID", "OtherPatientIDs")
_NAME_KEYWORDS = ("PatientName", "OtherPatientNames", "PatientBirthName")
# Our own placeholders (and an input that was already anonymised as "ANONYMOUS") are not identifiers.
_NOT_IDENTIFYING = frozenset(v.casefold() for v in DUMMIES.values() if isinstance(v, str))


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | bytes | PersonName) or not isinstance(value, Iterable):
        return [str(value)]
    return [str(v) for v in value]


def _name_forms(name: str) -> list[str]:
    """A PN value as written, as "Given Family", and each name component."""
    alphabetic = name.split("=", 1)[0]
    parts = [p.strip() for p in alphabetic.split("^")]
    words = [p for p in parts if p]
    forms = [alphabetic, " ".join(words)]
    if len(words) >= 2:
        forms.append(" ".join([*words[1:], words[0]]))
    forms.extend(words)
    return forms


def patient_identifiers(ds: Dataset) -> list[str]:
    """The identifying strings to search for: patient IDs and name forms (top level and ID sequence)."""
    found: list[str] = []
    for keyword in _ID_KEYWORDS:
        found.extend(_values(ds.get(keyword)))
    for item in ds.get("OtherPatientIDsSequence") or []:
        found.extend(_values(item.get("PatientID")))
    for keyword in _NAME_KEYWORDS:
        for name in _values(ds.get(keyword)):
            found.extend(_name_forms(name))
    return usable(found)


def usable(identifiers: Iterable[str]) -> list[str]:
    """Identifiers worth searching for: trimmed, long enough, not our placeholders, de-duplicated."""
    seen: dict[str, str] = {}
    for raw in identifiers:
        text = raw.strip("\x00 ")
        if len(text) >= MIN_IDENTIFIER_CHARS and text.casefold() not in _NOT_IDENTIFYING:
            seen.setdefault(text.casefold(), text)
    return list(seen.values())


class IdentifierMatcher:
    """Case-insensitive search for any identifier as a whole token (not inside a longer word or number)."""

    def __init__(self, identifiers: Sequence[str]) -> None:
        terms = sorted(usable(identifiers), key=len, reverse=True)
        alternation = "|".join(re.escape(t) for t in terms)
        self._pattern = (
            re.compile(rf"(?<![0-9A-Za-z])(?:{alternation})(?![0-9A-Za-z])", re.IGNORECASE) if terms else None
        )

    def __bool__(self) -> bool:
        return self._pattern is not None

    def found_in(self, value: Any) -> bool:
        """Whether any identifier occurs in a text value (str, PersonName, bytes or a multi-value)."""
        if self._pattern is None or value is None:
            return False
        if isinstance(value, bytes | bytearray):
            return self._pattern.search(bytes(value).decode("latin-1")) is not None
        return any(self._pattern.search(v) is not None for v in _values(value))
