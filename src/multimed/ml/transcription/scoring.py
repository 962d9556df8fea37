"""Scoring a transcript against a reference: word error rate after normalising how things are written.

The normaliser follows the rules of Whisper's English text normaliser (openai/whisper,
whisper/normalizers/english.py, `EnglishTextNormalizer` and `EnglishNumberNormalizer`; our own code):

- lower case; words in brackets or parentheses and the fillers hmm/mm/mhm/mmm/uh/um removed;
- contractions expanded ("won't" -> "will not", "n't" -> " not", "'ll" -> " will", ...) and titles spelled
  out ("dr" -> "doctor");
- commas between digits removed ("1,000" -> "1000"), periods removed unless a digit follows, other symbols
  replaced by spaces, accents dropped;
- a space at every letter/digit boundary ("10mg" -> "10 mg", "A1c" -> "a 1 c"), ordinal suffixes kept;
- spelled-out numbers written as digits, including the spoken forms "one sixty" (160), "one forty two" (142),
  "two hundred and forty", "six point two five", "zero point four", ordinals ("third" -> "3rd") and
  "percent" / "per cent" after a number ("8.2 percent" -> "8.2%");
- British spellings mapped to American ones (data/spelling_variants.csv, clinical words).

Additions for clinical dictation, each written the same way on both sides so only hearing errors count:

- a slash between numbers is read "over" ("142/88" = "142 over 88", how blood pressure is dictated) and
  between units "per" ("mg/dL" = "mg per dl");
- units in any spelling score as one symbol ("milligrams" = "mg", "litres" = "l"; data/scoring_units.csv);
- periods inside acronyms dropped ("E.C.G." = "ECG"); a hyphen after a bound prefix joins ("re-check" =
  "recheck"), any other hyphen separates ("follow-up" = "follow up", "ninety-five" = "ninety five");
- "'s" is "is" only after a pronoun ("it's", "there's"); elsewhere it is a possessive and only loses its
  apostrophe ("Ringer's" = "Ringers"), where Whisper's normaliser always reads "is";
- a decimal without its leading zero gets one (".04" = "0.04");
- sentence punctuation ends a number ("two hundred, forty" is 200 and 40), as a transcriptionist's would.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from importlib import resources

_ONES_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
)
_ONES = {w: i for i, w in enumerate(_ONES_WORDS.split(" "))}
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {w: 10 * i for i, w in enumerate(_TENS_WORDS.split(" "), 2)}
_MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_IRREGULAR_ORDINALS = {"first": "one", "second": "two", "third": "three", "fifth": "five", "eighth": "eight"}
_IRREGULAR_ORDINALS |= {"ninth": "nine", "twelfth": "twelve"}
_NUMBER_WORDS = _ONES.keys() | _TENS.keys() | _MULTIPLIERS.keys()
_BREAK = "|"
_FILLERS = re.compile(r"\b(?:hmm|mm|mhm|mmm|uh|um)\b")
_BRACKETED = re.compile(r"[<\[][^>\]]*[>\]]|\([^)]*\)")
_CONTRACTIONS = (
    (r"\bwon't\b", "will not"),
    (r"\bcan't\b", "can not"),
    (r"\blet's\b", "let us"),
    (r"\bain't\b", "aint"),
    (r"\by'all\b", "you all"),
    (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "got to"),
    (r"\bgonna\b", "going to"),
    (r"\bma'am\b", "madam"),
    (r"\bmr\b", "mister "),
    (r"\bmrs\b", "missus "),
    (r"\bdr\b", "doctor "),
    (r"\bprof\b", "professor "),
    (r"\bjr\b", "junior "),
    (r"\bsr\b", "senior "),
    (r"'d been\b", " had been"),
    (r"'s been\b", " has been"),
    (r"'s got\b", " has got"),
    (r"n't\b", " not"),
    (r"'re\b", " are"),
    (r"\b(it|that|he|she|there|here|what|who|where)'s\b", r"\1 is"),
    (r"'s\b", "s"),  # any other 's is a possessive here ("Ringer's", "tonight's"), not "is"
    (r"'d\b", " would"),
    (r"'ll\b", " will"),
    (r"'t\b", " not"),
    (r"'ve\b", " have"),
    (r"'m\b", " am"),
)
# Prefixes that English writes joined to their word ("recheck", "postoperative"); a hyphen after one is a
# spelling choice, not a word boundary.
_BOUND_PREFIXES = "re|pre|post|non|co|anti|sub|inter|intra|peri|hyper|hypo|multi"
_NUMERIC = re.compile(r"\d+(?:\.\d+)?")


def _data_rows(name: str) -> Iterator[dict[str, str]]:
    raw = resources.files("multimed.ml.transcription").joinpath("data").joinpath(name).read_text("utf-8")
    lines = [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(io.StringIO("\n".join(lines)))


@functools.cache
def _word_map() -> dict[str, str]:
    """British -> American spellings, then every written unit -> its scored symbol."""
    spelling = {r["british"].strip(): r["american"].strip() for r in _data_rows("spelling_variants.csv")}
    units = {r["written"].strip(): r["scored_as"].strip() for r in _data_rows("scoring_units.csv")}
    return {word: units.get(american, american) for word, american in spelling.items()} | units


def _split(text: str) -> list[str]:
    """Lower-case tokens: words, numbers, "%" and _BREAK where sentence punctuation was."""
    s = unicodedata.normalize("NFKD", text.lower().replace("µ", "u").replace("μ", "u"))
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("\u2019", "'")
    s = _FILLERS.sub(" ", _BRACKETED.sub(" ", s))
    s = re.sub(r"\s+'", "'", s)
    for pattern, replacement in _CONTRACTIONS:
        s = re.sub(pattern, replacement, s)
    s = re.sub(r"(?<=\d),(?=\d)", "", s)  # 1,000 -> 1000
    s = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m[0].replace(".", ""), s)  # e.c.g. -> ecg
    s = re.sub(r"(?<=\d)\s*/\s*(?=\d)", " over ", s)  # 142/88
    s = re.sub(r"(?<=[a-z])\s*/\s*(?=[a-z])", " per ", s)  # mg/dl
    s = re.sub(rf"\b({_BOUND_PREFIXES})-(?=[a-z])", r"\1", s)  # re-check -> recheck
    s = re.sub(r"(?<![\d.])\.(?=\d)", "0.", s)  # .04 -> 0.04
    s = re.sub(r"\.(?!\d)|[,;:!?]", f" {_BREAK} ", s)  # sentence punctuation ends a number
    s = re.sub(r"%", " % ", s)
    s = re.sub(r"(?<![a-z0-9.])-(?=\d)", " minus ", s)  # a sign, as said: T-score -2.8 (not 67-year, 3.5-5.1)
    s = re.sub(rf"[^a-z0-9.%{re.escape(_BREAK)} ]", " ", s)  # other symbols (hyphens, quotes) separate
    s = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", s)  # 10mg -> 10 mg
    s = re.sub(r"(?<=\d) (st|nd|rd|th)\b", r"\1", s)  # but 3rd stays one word
    return s.split()


def _ordinal(word: str) -> tuple[str, str] | None:
    """("three", "rd") for "third", ("twenty", "th") for "twentieth"; None for other words."""
    if word in _IRREGULAR_ORDINALS:
        cardinal = _IRREGULAR_ORDINALS[word]
    elif word.endswith("ieth") and word[:-4] + "y" in _TENS:
        cardinal = word[:-4] + "y"
    elif word.endswith("th") and word[:-2] in _ONES.keys() | _MULTIPLIERS.keys():
        cardinal = word[:-2]
    else:
        return None
    return cardinal, {"first": "st", "second": "nd", "third": "rd"}.get(word, "th")


class _Numbers:
    """Reads tokens left to right and writes spelled-out numbers as digits (Whisper's rules)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.value: int | str | None = None

    def flush(self, suffix: str = "") -> None:
        if self.value is not None:
            self.out.append(f"{self.value}{suffix}")
            self.value = None

    def ones(self, n: int, prev: str | None) -> None:
        value = self.value
        if value is None:
            self.value = n
        elif isinstance(value, str) or prev in _ONES:
            text = str(value)
            if prev in _TENS and n < 10 and text.endswith("0"):  # "one sixty five": 160 -> 165
                self.value = text[:-1] + str(n)
            else:  # successive digits are read one by one: "one twelve" -> 112
                self.value = text + str(n)
        elif (n < 10 and value % 10 == 0) or (n >= 10 and value % 100 == 0):
            self.value = value + n
        else:
            self.value = f"{value}{n}"

    def tens(self, n: int) -> None:
        value = self.value
        if value is None:
            self.value = n
        elif isinstance(value, str) or value % 100 != 0:  # "one forty" -> 140
            self.value = f"{value}{n}"
        else:
            self.value = value + n

    def multiplier(self, n: int) -> None:
        value = self.value
        if value is None:
            self.value = n
        elif isinstance(value, str) or value == 0:
            try:
                product: Fraction | None = Fraction(value) * n
            except ValueError:
                product = None
            if product is not None and product.denominator == 1:  # "1.5 thousand" -> 1500
                self.value = product.numerator
            else:
                self.flush()
                self.value = n
        else:  # "two hundred ten thousand" -> 210000, "one thousand two hundred" -> 1200
            self.value = value // 1000 * 1000 + value % 1000 * n

    def number(self, token: str) -> None:
        if isinstance(self.value, str) and self.value.endswith("."):
            self.value += token
            return
        self.flush()
        self.value = int(token) if token.isdigit() else token


def _numbers(tokens: Sequence[str]) -> list[str]:
    reader = _Numbers()
    prev: str | None = None
    skip = False
    padded = [*tokens, ""]
    for i, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        nxt = padded[i + 1]
        next_is_number = nxt in _NUMBER_WORDS or bool(_NUMERIC.fullmatch(nxt))
        if token == _BREAK:
            reader.flush()
        elif _NUMERIC.fullmatch(token):
            reader.number(token)
        elif token == "zero":
            reader.value = f"{reader.value if reader.value is not None else ''}0"
        elif token in _ONES:
            reader.ones(_ONES[token], prev)
        elif token in _TENS:
            reader.tens(_TENS[token])
        elif token in _MULTIPLIERS:
            reader.multiplier(_MULTIPLIERS[token])
        elif (ordinal := _ordinal(token)) is not None:
            cardinal, suffix = ordinal
            if cardinal in _ONES:
                reader.ones(_ONES[cardinal], prev)
            elif cardinal in _TENS:
                reader.tens(_TENS[cardinal])
            else:
                reader.multiplier(_MULTIPLIERS[cardinal])
            reader.flush(suffix)
        elif token == "%" or (token == "percent" and reader.value is not None):
            reader.flush("%")  # a "%" after no number is dropped
        elif token == "per" and nxt == "cent" and reader.value is not None:
            reader.flush("%")
            skip = True
        elif token == "and" and prev in _MULTIPLIERS and reader.value is not None and next_is_number:
            pass  # "two hundred and forty"
        elif token == "point" and (nxt in _ONES or nxt in _TENS or _NUMERIC.fullmatch(nxt)):
            reader.value = f"{reader.value if reader.value is not None else ''}."
        else:
            reader.flush()
            reader.out.append(token)
        prev = token
    reader.flush()
    return reader.out


def normalize(text: str) -> list[str]:
    """The words of `text` as they are scored: see the module docstring for the rules."""
    words = _word_map()
    return [words.get(t, t) for t in _numbers(_split(text)) if t.strip(".")]


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance between two sequences: words here, characters when given strings (OCR CER)."""
    previous = list(range(len(hypothesis) + 1))
    for r, ref_word in enumerate(reference, 1):
        current = [r]
        for h, hyp_word in enumerate(hypothesis, 1):
            current.append(min(previous[h] + 1, current[h - 1] + 1, previous[h - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


def alignment(reference: Sequence[str], hypothesis: Sequence[str]) -> list[tuple[str, str, str]]:
    """The edits of a minimal alignment as (kind, reference words, hypothesis words), kind being
    "substitute", "delete" (a reference word missing) or "insert" (a word not said); neighbouring edits
    are merged into one."""
    rows = len(reference) + 1
    cols = len(hypothesis) + 1
    cost = [[0] * cols for _ in range(rows)]
    for r in range(rows):
        for h in range(cols):
            if r == 0 or h == 0:
                cost[r][h] = r + h
            else:
                same = reference[r - 1] == hypothesis[h - 1]
                cost[r][h] = min(cost[r - 1][h] + 1, cost[r][h - 1] + 1, cost[r - 1][h - 1] + (not same))
    steps: list[tuple[str, str, str]] = []
    r, h = rows - 1, cols - 1
    while r or h:
        if r and h and cost[r][h] == cost[r - 1][h - 1] + (reference[r - 1] != hypothesis[h - 1]):
            r, h = r - 1, h - 1
            same = reference[r] == hypothesis[h]
            steps.append(("equal" if same else "substitute", reference[r], hypothesis[h]))
        elif r and cost[r][h] == cost[r - 1][h] + 1:
            r -= 1
            steps.append(("delete", reference[r], ""))
        else:
            h -= 1
            steps.append(("insert", "", hypothesis[h]))
    edits: list[tuple[str, str, str]] = []
    run: list[tuple[str, str, str]] = []
    for step in [*reversed(steps), ("equal", "", "")]:
        if step[0] != "equal":
            run.append(step)
            continue
        if run:
            kinds = {k for k, _, _ in run}
            kind = kinds.pop() if len(kinds) == 1 else "substitute"
            ref_words = " ".join(w for _, w, _ in run if w)
            hyp_words = " ".join(w for _, _, w in run if w)
            edits.append((kind, ref_words, hyp_words))
            run = []
    return edits


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Edits needed to turn the normalised hypothesis into the normalised reference, per reference word."""
    ref = normalize(reference)
    return edit_distance(ref, normalize(hypothesis)) / max(1, len(ref))


def pooled_word_error_rate(pairs: Iterable[tuple[str, str]]) -> float:
    """All edits over all reference words of (reference, hypothesis) pairs: a long dictation weighs more
    than a short one, as in a corpus WER."""
    edits = words = 0
    for reference, hypothesis in pairs:
        ref = normalize(reference)
        edits += edit_distance(ref, normalize(hypothesis))
        words += len(ref)
    return edits / max(1, words)


def term_recall(reference: str, hypothesis: str, terms: Iterable[str]) -> tuple[int, int]:
    """(found, present): how many of `terms` in the reference the hypothesis also contains."""
    ref, hyp = f" {' '.join(normalize(reference))} ", f" {' '.join(normalize(hypothesis))} "
    present = [t for t in {" ".join(normalize(term)) for term in terms} if t and f" {t} " in ref]
    return sum(f" {t} " in hyp for t in present), len(present)
