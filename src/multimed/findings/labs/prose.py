"""Results stated inside a sentence: "Labs notable for potassium of 6.8 and creatinine 1.4."

Report lines start with the analyte; prose and dictation name it anywhere. Each analyte name that starts a
word is tried as a result read in prose mode (cells.read_result): the value must follow the name with only
name or link words between ("potassium came back at 6.8"), and the first word after the value that is no
unit, range or flag ends the result. A one- or two-letter name ("K", "Na") needs a unit, range or flag of
its own, and a name just after an order word ("goal potassium of 4.0", "keep magnesium at 2") states a
target, not a result.
"""

from __future__ import annotations

import re

from multimed.findings.labs.analytes import analyte_dictionary, name_words
from multimed.findings.labs.cells import Cells, read_result

_WORD_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]")
# Up to three words before a name, not across a comma or semicolon: where an order word would stand.
_WORDS_BEFORE = re.compile(r"(?:[A-Za-z]+[ \t]+){1,3}$")
_ORDER = "order"


def read_prose(sentence: str) -> list[Cells]:
    """The results stated inside one sentence, in reading order (offsets into `sentence`)."""
    dictionary = analyte_dictionary()
    results: list[Cells] = []
    position = 0
    while True:
        word = _WORD_START.search(sentence, position)
        if word is None:
            return results
        alias = dictionary.match_at(sentence, word.start())
        if alias is None:
            position = word.end()
            continue
        cells, after = read_result(sentence, alias, start=alias.start, range_first=False, prose=True)
        if (
            cells is not None
            and (cells.corroborated or not alias.weak)
            and not _ordered(sentence, alias.start)
        ):
            results.append(cells)
        position = max(after, alias.end) if cells is not None else alias.end


def _ordered(sentence: str, start: int) -> bool:
    """Whether an order word stands among the three words before the name ("replete potassium ...")."""
    before = _WORDS_BEFORE.search(sentence, 0, start)
    if before is None:
        return False
    words = name_words()
    return any(words.get(word.lower()) == _ORDER for word in before.group().split())
