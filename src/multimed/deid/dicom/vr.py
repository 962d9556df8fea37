"""Per-VR knowledge the actions need: empty values, dummies, which VRs hold free text, length limits."""

from __future__ import annotations

from typing import Any

from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.valuerep import PersonName

TEXT_VRS = frozenset({"PN", "LO", "SH", "ST", "LT", "UT", "UC"})
TEMPORAL_VRS = frozenset({"DA", "DT", "TM"})
STRING_VRS = TEXT_VRS | TEMPORAL_VRS | {"AE", "AS", "CS", "DS", "IS", "UI", "UR"}
BYTE_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})

# Dummies for D: valid for the VR (so strict readers accept the file) and obviously not real data.
DUMMIES: dict[str, Any] = {
    "PN": "ANONYMOUS",
    "DA": "19000101",
    "TM": "000000",
    "DT": "19000101000000",
    "AS": "000Y",
    "DS": "0",
    "IS": "0",
    "LO": "REMOVED",
    "SH": "REMOVED",
    "ST": "REMOVED",
    "LT": "REMOVED",
    "UT": "REMOVED",
    "UC": "REMOVED",
    "CS": "REMOVED",
    "AE": "REMOVED",
    "UR": "REMOVED",
}
_NUMBER_DUMMY = 0
_BYTES_DUMMY = b"\x00\x00"  # even length, as every OB/OW value must be

MAX_CHARS = {"AE": 16, "CS": 16, "SH": 16, "LO": 64, "PN": 64, "ST": 1024, "LT": 10240}


def base_vr(vr: str | None) -> str:
    """One VR for an element; ambiguous dictionary VRs like "US or SS" take the first."""
    if not vr:
        return "UN"
    return vr.split(" or ", 1)[0]


def empty_value(vr: str) -> Any:
    """The zero-length value for a VR (Z)."""
    if vr == "SQ":
        return Sequence()
    if vr in STRING_VRS:
        return ""
    if vr in BYTE_VRS:
        return b""
    return None


def dummy_value(vr: str) -> Any:
    """A non-empty placeholder consistent with the VR (D); UI is handled by the UID mapper."""
    if vr == "SQ":
        # We cannot invent meaningful items, so a dummied sequence is emptied.
        return Sequence()
    if vr in DUMMIES:
        return DUMMIES[vr]
    if vr in BYTE_VRS:
        return _BYTES_DUMMY
    return _NUMBER_DUMMY


def is_dummy(vr: str, value: Any) -> bool:
    """Whether a value is what D writes for this VR."""
    if vr == "UI":
        return isinstance(value, str) and value.startswith("2.25.")
    if vr == "SQ":
        return len(value) == 0
    expected = dummy_value(vr)
    return bool(value == expected or str(value) == str(expected))


def is_empty(value: Any) -> bool:
    """Whether an element value is zero-length (padding and empty multi-values count as empty)."""
    if value is None:
        return True
    if isinstance(value, bytes | bytearray):
        return len(value) == 0
    if isinstance(value, str):
        return not value.strip("\x00 ")
    if isinstance(value, list | tuple | MultiValue | Sequence):
        return all(is_empty(v) for v in value)
    if isinstance(value, PersonName):
        return not str(value).strip("\x00 ^=")
    return False


def fit_text(vr: str, text: str) -> str:
    """Make cleaned text valid for its VR: no value separators or control codes, within the length."""
    text = "".join(" " if (c == "\\" or (ord(c) < 32 and c not in "\r\n\t")) else c for c in text)
    if vr in {"LO", "SH", "PN", "UC"}:
        text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    limit = MAX_CHARS.get(vr)
    return text[:limit] if limit else text
