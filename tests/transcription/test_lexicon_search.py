"""The lexicon's closest-term search skips terms by letter counts: it must find what a full scan finds."""

from __future__ import annotations

import random

from multimed.ml.transcription.lexicon import clinical_lexicon, sound_key


def full_scan(letters: str) -> tuple[float, str] | None:
    """Every term compared letter by letter, as the lexicon did before it skipped any."""
    lexicon = clinical_lexicon()
    key, folded = sound_key(letters), sound_key(letters, vowels=False)
    if len(key) < 6:
        return None
    return lexicon._best_of(lexicon._entries, key, folded)


def misheard(term: str, rng: random.Random) -> str:
    """`term`'s letters with one to three letters changed, dropped or added."""
    letters = list(term.lower().replace(" ", ""))
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(letters))
        change = rng.choice("sda")
        if change == "s":
            letters[at] = rng.choice("abcdefghijklmnopqrstuvwxyz")
        elif change == "d" and len(letters) > 1:
            del letters[at]
        else:
            letters.insert(at, rng.choice("aeiourstln"))
    return "".join(letters)


def test_skipping_terms_by_letter_counts_finds_what_a_full_scan_finds() -> None:
    lexicon = clinical_lexicon()
    rng = random.Random(7)
    terms = [e.term for e in lexicon._entries]
    runs = [misheard(rng.choice(terms), rng) for _ in range(150)]
    runs += ["hydrochlorothiazide", "furosemide", "twicedaily", "electrolytes", "tomorrowmorning"]
    found = 0
    for run in runs:
        expected = full_scan(run)
        assert lexicon._closest(run) == expected, run
        found += expected is not None
    assert found > 60  # the mishearings mostly come back to a term: the comparison is not vacuous


def test_the_closest_term_is_remembered_per_run() -> None:
    lexicon = clinical_lexicon()
    lexicon._best.cache_clear()
    assert lexicon._best("carvidilol") == lexicon._best("carvidilol")
    assert lexicon._best.cache_info().hits == 1
