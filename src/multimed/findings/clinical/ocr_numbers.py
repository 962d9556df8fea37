"""Numbers as OCR and speech-to-text print them: "6 . 8", "37,5", "l6O" (O for 0, l or I for 1)."""

from __future__ import annotations

# A digit-like run with at least one real digit, so words such as "Ol" are never numbers. A decimal part is
# either glued ("38.5", "37,5") or spaced on both sides ("38 . 5", how EasyOCR splits a point); a point with a
# space on one side only ends the number ("HR 88. 92%" is 88 then 92). The trailing guard stops a match inside
# a longer number, so "1200" can never be read as "120".
NUMBER = (
    r"(?<![0-9.,])(?=[0-9OolI]*[0-9])[0-9OolI]{1,4}"
    r"(?:(?:\.|,|[ \t]\.[ \t])(?=[0-9OolI]*[0-9])[0-9OolI]{1,2})?(?![0-9])"
)

_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", ",": ".", " ": None, "\t": None})


def parse_number(printed: str) -> float:
    """The value of a string matched by NUMBER."""
    return float(printed.translate(_OCR_DIGITS))


def format_number(value: float) -> str:
    """The shortest plain form: 160.0 -> "160", 38.5 -> "38.5"."""
    return f"{value:g}" if value != int(value) else str(int(value))
