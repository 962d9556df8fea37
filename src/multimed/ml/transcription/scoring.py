"""Scoring a transcript against a reference: word error rate after normalising how numbers are written.

"Potassium six point eight", "potassium 6.8" and "Potassium 6.8." all normalise to "potassium 6.8", and
"one sixty over ninety-five" to "160 over 95", so the score counts misheard words, not spelling choices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_UNITS = {w: i for i, w in enumerate(f"{_ONES} sixteen seventeen eighteen nineteen".split(" "))}
_DECADES = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TENS = {w: 10 * i for i, w in enumerate(_DECADES, 2)}
_SCALES = {"hundred": 100, "thousand": 1000}
_ABBREVIATIONS = {"mg": "milligrams", "mcg": "micrograms", "ml": "milliliters", "%": "percent"}
_NUMBER_WORDS = _UNITS.keys() | _TENS.keys() | _SCALES.keys()
_BREAK = "|"


def _split(text: str) -> list[str]:
    text = text.lower().replace("%", " percent ")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 -> 1000
    # Hyphens join number words ("ninety-five") and parts of words ("re-check"): space the first,
    # drop the second.
    text = re.sub(
        r"\b([a-z]+)-([a-z]+)\b",
        lambda m: f"{m[1]} {m[2]}" if m[1] in _NUMBER_WORDS and m[2] in _NUMBER_WORDS else m[1] + m[2],
        text,
    )
    text = re.sub(r"\b(\d+(?:\.\d+)?)([a-z]+)\b", r"\1 \2", text)  # 10mg -> 10 mg, not a1c -> a1 c
    # Punctuation between words ends a number ("two hundred, forty") but is not a word itself.
    text = re.sub(r"(?<!\d)\.|\.(?!\d)|[,;:!?]", f" {_BREAK} ", text)
    tokens = re.sub(r"[^a-z0-9.|' ]+", " ", text).replace("'", "").split()
    return [_ABBREVIATIONS.get(t, t) for t in tokens]


def _read_number(tokens: Sequence[str], i: int) -> tuple[str, int] | None:
    """The number spelled from tokens[i] on, as digits, and the index after it; None if none starts here."""
    n = len(tokens)
    word = tokens[i]
    if word not in _UNITS and word not in _TENS:
        return None
    # Dictation style: "one sixty" = 160, "one thirty two" = 132, "one twelve" = 112.
    nxt = tokens[i + 1] if i + 1 < n else ""
    if 1 <= _UNITS.get(word, 0) <= 9 and (nxt in _TENS or 10 <= _UNITS.get(nxt, 0) <= 19):
        after = tokens[i + 2] if i + 2 < n else ""
        if after not in _SCALES:
            value, j = _UNITS[word] * 100 + _TENS.get(nxt, _UNITS.get(nxt, 0)), i + 2
            if nxt in _TENS and 1 <= _UNITS.get(after, 0) <= 9:
                value, j = value + _UNITS[after], i + 3
            return _decimals(tokens, j, str(value))
    total, current, j = 0, 0, i
    while j < n:
        t = tokens[j]
        if t in _TENS and current % 100 == 0:
            current += _TENS[t]
        elif t in _UNITS and current % 10 == 0 and not 10 <= current % 100 <= 19:
            if _UNITS[t] >= 10 and current % 100 != 0:
                break
            current += _UNITS[t]
        elif t in _SCALES and current:
            if _SCALES[t] == 100:
                if current >= 100:
                    break
                current = current * 100
            else:
                total, current = total + current * 1000, 0
        elif t == "and" and j > i and current % 100 == 0 and j + 1 < n and tokens[j + 1] in _NUMBER_WORDS:
            pass
        else:
            break
        j += 1
    return _decimals(tokens, j, str(total + current))


def _decimals(tokens: Sequence[str], j: int, whole: str) -> tuple[str, int]:
    """`whole` with the digits of a following "point six eight" appended."""
    if j + 1 < len(tokens) and tokens[j] == "point" and _UNITS.get(tokens[j + 1], 99) <= 9:
        digits = []
        j += 1
        while j < len(tokens) and _UNITS.get(tokens[j], 99) <= 9:
            digits.append(str(_UNITS[tokens[j]]))
            j += 1
        return f"{whole}.{''.join(digits)}", j
    return whole, j


def normalize(text: str) -> list[str]:
    """Lower-case words without punctuation, spelled-out numbers as digits, common units spelled out."""
    tokens = _split(text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        number = _read_number(tokens, i)
        if number is None:
            if tokens[i] != _BREAK:
                out.append(tokens[i])
            i += 1
        else:
            out.append(number[0])
            i = number[1]
    return out


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance between two sequences: words here, characters when given strings (OCR CER)."""
    previous = list(range(len(hypothesis) + 1))
    for r, ref_word in enumerate(reference, 1):
        current = [r]
        for h, hyp_word in enumerate(hypothesis, 1):
            current.append(min(previous[h] + 1, current[h - 1] + 1, previous[h - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Edits needed to turn the normalised hypothesis into the normalised reference, per reference word."""
    ref = normalize(reference)
    return edit_distance(ref, normalize(hypothesis)) / max(1, len(ref))


def term_recall(reference: str, hypothesis: str, terms: Iterable[str]) -> tuple[int, int]:
    """(found, present): how many of `terms` in the reference the hypothesis also contains."""
    ref, hyp = f" {' '.join(normalize(reference))} ", f" {' '.join(normalize(hypothesis))} "
    present = [t for t in {" ".join(normalize(term)) for term in terms} if t and f" {t} " in ref]
    return sum(f" {t} " in hyp for t in present), len(present)
