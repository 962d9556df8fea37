"""Correcting misheard clinical terms: a doubtful run of words that sounds like a drug or lab name becomes it.

The lexicon is written independently of any recording: the drug, lab, condition and procedure terms of
data/clinical_vocabulary.csv and the analyte names of the lab reader (findings/labs/data/analytes.csv, LOINC
names). Whisper hears an unfamiliar name as ordinary words ("your osmide", "as it remise", "Inoxaparin");
those words come with low probabilities, and their sound is close to the name.

Rule: a run of one to three words inside one sentence, letters only, at least one word heard with probability
<= `max_probability`, becomes the term whose sound key is closest when the similarity is >= `min_similarity`.
A run that already holds a term (or a term's plural), or spells the start of one, is left alone:
"furosemide and" never swallows its neighbour, and "transient ischemic" never becomes "transient
ischemic attack" in front of the "attack" that was heard. The sound key folds spellings that sound alike,
following the letter rules of Lawrence Philips' Metaphone (Computer Language, 1990): ph -> f, ck -> k,
soft c -> s, hard c and q -> k, x -> ks, z -> s, y -> i, th -> t, doubled letters once. Similarity is
1 - Levenshtein distance / longer length, averaged over the key with its vowels and the key with every
vowel run folded to one vowel.

Thresholds (min_similarity 0.8, max_probability 0.7) were chosen on the committed fixtures and the first six
benchmark dictations and checked on the other six (benchmarks/transcribe.py): word error rate fell by 3-4
points with whisper-base and by 0.5-1.3 points with tiny.en (whose mishearings are further from the names),
and no recording got worse. A corrected word keeps what was heard (`Word.heard`).

Speed: the edit distances are pure Python, so before computing one the closest-term search drops every term
whose letter counts alone rule it out (the letters one key has and the other lacks bound the edit distance
from below, so the bound is an upper bound of the similarity), and it remembers its answer per run of
letters. Both leave every correction as it was; they took the lexicon from ~18% of tiny.en's CPU to ~1%.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from multimed.ml.transcription.vocabulary import load_vocabulary

CATEGORIES = ("drug", "lab", "condition", "procedure")
MIN_SIMILARITY = 0.8
MAX_PROBABILITY = 0.7
MAX_WORDS = 3
CACHED_RUNS = 4096  # runs of letters whose closest term is remembered (a few hundred per hour of speech)
_SOUNDS = (
    ("ph", "f"),
    ("ck", "k"),
    ("gh", "g"),
    ("wh", "w"),
    ("th", "t"),
    ("qu", "kw"),
    ("x", "ks"),
    ("q", "k"),
    ("z", "s"),
    ("y", "i"),
)
_SENTENCE_END = re.compile(r"[.,;:!?]$")


def sound_key(text: str, *, vowels: bool = True) -> str:
    """Letters folded to how they sound ("Furosemide" -> "furosemide", "phenytoin" -> "fenitoin")."""
    s = re.sub(r"[^a-z]", "", text.lower())
    for written, said in _SOUNDS:
        s = s.replace(written, said)
    s = re.sub(r"c(?=[eiy])", "s", s).replace("c", "k")
    if not vowels:
        s = re.sub(r"[aeiou]+", "a", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _is_word(word: str) -> bool:
    """Letters only, punctuation around it aside ("Inoxaparin," yes; "1,000" and "A1c" no)."""
    core = word.strip().strip(".,;:!?\"'()").replace("-", "").replace("'", "")
    return core.isalpha()


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _similarity(a: str, b: str) -> float:
    return 1 - _distance(a, b) / max(len(a), len(b), 1)


def _letter_counts(texts: Sequence[str]) -> npt.NDArray[np.int32]:
    """How often each of a-z occurs in each text: one row per text."""
    counts = np.zeros((len(texts), 26), dtype=np.int32)
    for row, text in enumerate(texts):
        for char in text:
            counts[row, ord(char) - 97] += 1
    return counts


def _distance_floors(counts: npt.NDArray[np.int32], text: str) -> npt.NDArray[np.int32]:
    """A lower bound of the edit distance from `text` to each row's text: an edit mends at most one
    missing and one surplus letter, so the larger of the two totals is never more than the distance."""
    difference = counts - _letter_counts([text])
    floors: npt.NDArray[np.int32] = np.maximum(
        np.clip(difference, 0, None).sum(axis=1), np.clip(-difference, 0, None).sum(axis=1)
    )
    return floors


@dataclass(frozen=True)
class Correction:
    """Words [start, end) of the input were heard as `heard` and are `term`."""

    start: int
    end: int
    heard: str
    term: str
    similarity: float


@dataclass(frozen=True)
class _Entry:
    term: str
    letters: str  # the term's letters, lower case, no spaces
    key: str
    folded: str


class Lexicon:
    """Clinical terms and the sound keys they are matched by."""

    def __init__(
        self,
        terms: Iterable[str],
        *,
        min_similarity: float = MIN_SIMILARITY,
        max_probability: float = MAX_PROBABILITY,
    ) -> None:
        # Short names ("INR", "BUN") sound like too many ordinary words to be matched by sound.
        unique = {t.strip() for t in terms if len(re.sub(r"[^a-z]", "", t.lower())) >= 6}
        self._entries = tuple(
            _Entry(t, re.sub(r"[^a-z]", "", t.lower()), sound_key(t), sound_key(t, vowels=False))
            for t in sorted(unique)
        )
        self._letters = {e.letters for e in self._entries}
        self._key_lengths = np.array([len(e.key) for e in self._entries], dtype=np.int32)
        self._folded_lengths = np.array([len(e.folded) for e in self._entries], dtype=np.int32)
        self._key_counts = _letter_counts([e.key for e in self._entries])
        self._folded_counts = _letter_counts([e.folded for e in self._entries])
        self.min_similarity = min_similarity
        self.max_probability = max_probability
        self._best = functools.lru_cache(maxsize=CACHED_RUNS)(self._closest)

    def __len__(self) -> int:
        return len(self._entries)

    def _holds_term(self, letters: Sequence[str]) -> bool:
        """True when some run of these words already spells a term, or the run is a term plus an ending."""
        n = len(letters)
        if any("".join(letters[a:b]) in self._letters for a in range(n) for b in range(a + 1, n + 1)):
            return True
        joined = "".join(letters)
        # A run that spells the start of a term is that term being said ("transient ischemic" before
        # "attack"): completing it would write the rest of the term twice.
        return any(joined.startswith(t) and len(joined) - len(t) <= 2 for t in self._letters) or any(
            t.startswith(joined) for t in self._letters
        )

    def _closest(self, letters: str) -> tuple[float, str] | None:
        """(similarity, term) of the term that sounds most like `letters`, if one is similar enough."""
        key, folded = sound_key(letters), sound_key(letters, vowels=False)
        if len(key) < 6:  # "apart" is not "aspart": short words sound like too many names
            return None
        # The most each term's score can be, from letter counts (the score's own arithmetic with a distance
        # never above the real one); only terms that may reach the threshold are compared letter by letter.
        key_ceiling = 1 - _distance_floors(self._key_counts, key) / np.maximum(self._key_lengths, len(key))
        folded_ceiling = 1 - _distance_floors(self._folded_counts, folded) / np.maximum(
            self._folded_lengths, max(len(folded), 1)
        )
        ceiling = (key_ceiling + folded_ceiling) / 2
        candidates = np.flatnonzero(ceiling >= self.min_similarity - 1e-9)
        return self._best_of([self._entries[i] for i in candidates], key, folded)

    def _best_of(self, entries: Sequence[_Entry], key: str, folded: str) -> tuple[float, str] | None:
        """The best-scoring of `entries` compared letter by letter, if similar enough."""
        best: tuple[float, str] | None = None
        for entry in entries:
            if abs(len(entry.key) - len(key)) > max(2, 0.35 * len(entry.key)):
                continue
            score = (_similarity(key, entry.key) + _similarity(folded, entry.folded)) / 2
            if score >= self.min_similarity and (best is None or score > best[0]):
                best = (score, entry.term)
        return best

    def corrections(self, words: Sequence[tuple[str, float]]) -> list[Correction]:
        """Non-overlapping corrections of (word, probability) pairs, best match first, in word order."""
        letters = [re.sub(r"[^a-z]", "", w.lower()) for w, _ in words]
        plain = [_is_word(w) for w, _ in words]
        candidates: list[tuple[float, int, int, str]] = []
        for i in range(len(words)):
            for n in range(1, MAX_WORDS + 1):
                end = i + n
                if end > len(words) or not plain[end - 1]:
                    break
                if n > 1 and _SENTENCE_END.search(words[end - 2][0].strip()):
                    break  # a name does not run across a comma or a full stop
                if min(p for _, p in words[i:end]) > self.max_probability or self._holds_term(letters[i:end]):
                    continue
                found = self._best("".join(letters[i:end]))
                if found is not None:
                    candidates.append((found[0], i, end, found[1]))
        candidates.sort(key=lambda c: (-c[0], c[2] - c[1]))
        taken: set[int] = set()
        chosen = []
        for score, start, end, term in candidates:
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                heard = " ".join(w.strip() for w, _ in words[start:end])
                chosen.append(Correction(start, end, heard, term, score))
        return sorted(chosen, key=lambda c: c.start)


def _analyte_names() -> list[str]:
    raw = (
        resources.files("multimed.findings.labs").joinpath("data").joinpath("analytes.csv").read_text("utf-8")
    )
    rows = csv.DictReader(
        io.StringIO("\n".join(line for line in raw.splitlines() if not line.startswith("#")))
    )
    return [row["name"] for row in rows if row.get("name")]


@functools.cache
def clinical_lexicon() -> Lexicon:
    """The packaged lexicon: vocabulary terms of CATEGORIES and the lab reader's analyte names."""
    terms = [t.text for t in load_vocabulary() if t.category in CATEGORIES]
    return Lexicon(terms + _analyte_names())
