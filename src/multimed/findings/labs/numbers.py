"""Numbers as printed on lab reports, OCR noise included: "6 . 8", "6,8", "1O.2" (letter O), "l39" (letter l).

The pattern needs at least one real digit, so words ("Low", "OK") are never numbers. A comma is a decimal
comma unless it groups thousands: "150,000" is 150000 (three digits after it, a non-zero integer part),
"6,8" is 6.8 and "0,125" is 0.125. A colon before a single digit is OCR's decimal point ("2:7"); a time
has two.
"""

from __future__ import annotations

import re

_DIGITISH = r"[0-9OoIl]"
# A number starts neither inside a word nor inside another number, and does not run into a date or a time.
NUMBER = (
    r"(?<![\w.])[-\u2212]?"
    rf"(?:{_DIGITISH}*[0-9]{_DIGITISH}*(?:[ ]?[.,][ ]?{_DIGITISH}+|:[0-9](?![0-9]))?"
    rf"|{_DIGITISH}+[ ]?[.,][ ]?{_DIGITISH}*[0-9]{_DIGITISH}*)"
    rf"(?!{_DIGITISH}|[ ]?[/:][ ]?[0-9])"
)
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "\u2212": "-", ":": "."})
_THOUSANDS = re.compile(r"^-?[1-9][0-9]{0,2}(?:,[0-9]{3})+$")


def parse_number(printed: str) -> float:
    """The value of a printed number; raises ValueError when it is not one."""
    text = printed.replace(" ", "").translate(_OCR_DIGITS)
    return float(text.replace(",", "") if _THOUSANDS.match(text) else text.replace(",", "."))


def decimals(printed: str) -> int:
    """How many decimals the printed number shows ("6.80" -> 2): the precision the lab reported."""
    text = printed.replace(" ", "").translate(_OCR_DIGITS)
    if _THOUSANDS.match(text):
        return 0
    for mark in ".,":
        if mark in text:
            return len(text.split(mark, 1)[1])
    return 0
