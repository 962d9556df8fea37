"""Finding names again: later mentions of a detected name's words, and every known value of the document."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.spans import Candidate

NAME_TYPES = (PhiType.PATIENT, PhiType.RELATIVE, PhiType.CLINICIAN, PhiType.PERSON)  # most specific first
_NAME_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\u2019-]*[A-Za-zÀ-ÿ]")
PROPAGATED_SCORE = 0.7
KNOWN_SCORE = 1.0


def _name_words(value: str, lexicon: Lexicon) -> list[str]:
    return [w for w in _NAME_WORD.findall(value) if len(w) >= 2 and not lexicon.is_non_name(w)]


def propagate_names(
    text: str, found: Iterable[Candidate], lexicon: Lexicon, *, min_score: float
) -> list[Candidate]:
    """Capitalised mentions of any word of a confidently detected name ("Mr. John Smith" ... "Smith said").

    Lower-case mentions count only when the name was dictated in lower case.
    """
    words: dict[str, tuple[PhiType, bool]] = {}
    for candidate in found:
        if candidate.type not in NAME_TYPES or candidate.score < min_score:
            continue
        for word in _name_words(text[candidate.start : candidate.end], lexicon):
            key = word.lower()
            known = words.get(key)
            lower_ok = word.islower() or (known is not None and known[1])
            if known is None or NAME_TYPES.index(candidate.type) < NAME_TYPES.index(known[0]):
                words[key] = (candidate.type, lower_ok)
            else:
                words[key] = (known[0], lower_ok)
    if not words:
        return []
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w'\u2019-])(?:{alternation})(?![\w-])", re.IGNORECASE)
    results = []
    for match in pattern.finditer(text):
        kind, lower_ok = words[match.group().lower()]
        if match.group()[0].isupper() or lower_ok:
            results.append(Candidate(match.start(), match.end(), kind, PROPAGATED_SCORE, "NamePropagation"))
    return results


def _flexible(value: str) -> str:
    """A value's pattern: any run of spaces for spaces; digits may lose or change their separators."""
    if any(c.isdigit() for c in value):
        pieces = [re.escape(c) for c in value if c.isalnum()]
        return r"[ \t./-]?".join(pieces)
    return r"\s+".join(re.escape(part) for part in value.split())


def known_value_candidates(text: str, values: Sequence[str], lexicon: Lexicon) -> list[Candidate]:
    """Every case-insensitive occurrence of each value, and of each word of a name value."""
    results: list[Candidate] = []
    for raw in values:
        value = raw.strip()
        if len(value) < 2:
            continue
        is_id = any(c.isdigit() for c in value)
        kind = PhiType.ID if is_id else PhiType.PATIENT
        patterns = [_flexible(value)]
        if not is_id:
            patterns += [re.escape(w) for w in _name_words(value.replace("^", " "), lexicon)]
        for pattern in patterns:
            for match in re.finditer(rf"(?<![\w])(?:{pattern})(?![\w])", text, re.IGNORECASE):
                results.append(Candidate(match.start(), match.end(), kind, KNOWN_SCORE, "KnownValues"))
    return results
