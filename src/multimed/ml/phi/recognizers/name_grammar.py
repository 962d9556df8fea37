"""How person names are written in clinical notes, and the trimming every name recognizer shares.

Triggers are matched case-insensitively with `(?i:...)`; the name itself is case-sensitive, so "Patient
Reports" or "Dr. Lee, Cardiology" can be told from a name by trimming words the lexicon knows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule

SP = r"[ \t]+"
# A capitalised name word: Smith, O'Brien, McDonald, Smith-Jones, DeAngelo.
CAP = r"(?:[A-Z]['\u2019])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
# An upper-case name word as in headers: SMITH, O'BRIEN, SMITH-JONES.
UP = r"(?:[A-Z]['\u2019])?[A-Z]{2,}(?:-[A-Z]{2,})?"
MIDDLE = r"[A-Z]\.?"
FIRST_LAST = rf"{CAP}(?:{SP}(?:{MIDDLE}{SP})?{CAP}){{0,2}}"
# The middle initial may not be the first letter of a credential: "Thornbury, Winifred MD" ends at Winifred.
LAST_FIRST = rf"{CAP},[ \t]*{CAP}(?:{SP}{MIDDLE}(?![A-Za-z])|{SP}{CAP})?"
INITIAL_LAST = rf"[A-Z]\.(?:[ \t]?[A-Z]\.)?[ \t]*{CAP}"
NAME = rf"(?:{LAST_FIRST}|{INITIAL_LAST}|{FIRST_LAST})"
# After a field label only: OCR drops the capital of a surname ("Physician: whitlock, Octavia MD"); the comma
# and the capitalised given name after it still mark a "Last, First" name.
LABELLED_NAME = (
    rf"(?:{NAME}|[a-z][a-z'\u2019]+(?:-[A-Za-z][a-z]+)?,[ \t]*{CAP}(?:{SP}{MIDDLE}(?![A-Za-z])|{SP}{CAP})?)"
)
UP_NAME = (
    rf"(?:{UP},[ \t]*{UP}(?:{SP}{MIDDLE}(?![A-Za-z])|{SP}{UP})?|{UP}(?:{SP}(?:{MIDDLE}{SP})?{UP}){{0,2}})"
)
HONORIFIC = r"(?i:\b(?:mr|mrs|ms|miss|mister|mx)\b\.?)"
DOCTOR = r"(?i:\b(?:dr|drs|doctor)\b\.?)"
RELATION = (
    r"(?:wife|husband|spouse|partner|son|daughter|mother|father|mom|dad|sister|brother|sibling|niece|nephew"
    r"|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|grandchild|aunt|uncle|cousin|friend"
    r"|neighbou?r|roommate|caregiver|guardian|fianc[eé]e?|boyfriend|girlfriend|stepson|stepdaughter"
    r"|stepmother|stepfather|(?:mother|father|son|daughter|brother|sister)-in-law|emergency[ \t]+contact"
    r"|next[ \t]+of[ \t]+kin|nok|poa|power[ \t]+of[ \t]+attorney|health[ \t]*care[ \t]+proxy|hcp|proxy"
    r"|contact[ \t]+person|surrogate|decision[ \t]+maker|relative)"
)
CREDENTIAL = (
    r"(?:M\.D\.|D\.O\.|MD|DO|RN|NP|PA-C|PA|PharmD|FNP(?:-BC)?|APRN|ANP|ACNP|CNM|CNS|CRNA|DPM|DDS|DMD|PhD"
    r"|MBBS|LPN|LCSW|MSW|BSN|MSN|FACP|FACS|FACC|FAAP)(?![A-Za-z])"
)

_TOKEN = re.compile(r"[^\s,;:()]+")
_INITIAL = re.compile(r"^[A-Z]\.$")


def trim_name(
    text: str, start: int, end: int, lexicon: Lexicon, *, keep_first: bool
) -> tuple[int, int] | None:
    """Drop leading and trailing words that are not names; None when nothing name-like is left.

    `keep_first` keeps a first word that is only a common word ("Dr. Young", "Mr. Will") because a title or a
    "Patient:" label precedes it; clinical terms are dropped even then ("Patient: Discharge Summary").
    """
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]
    i, j = 0, len(tokens)
    while i < j:
        word = tokens[i][2]
        if _INITIAL.match(word):  # "I. Szczepanski": an initial is never an ordinary word
            break
        drop = lexicon.is_clinical(word) if (i == 0 and keep_first) else lexicon.is_non_name(word)
        if not drop:
            break
        i += 1
    while j > i and lexicon.is_non_name(tokens[j - 1][2]) and not _INITIAL.match(tokens[j - 1][2]):
        j -= 1
    kept = tokens[i:j]
    if not kept or all(len(w.strip(".")) <= 1 for _, _, w in kept):
        return None
    return kept[0][0], kept[-1][1]


class NameRecognizer(RegexRecognizer):
    """Names found by a trigger word; each rule's entity is the role the trigger tells."""

    def __init__(
        self,
        *,
        name: str,
        rules: Sequence[Rule],
        lexicon: Lexicon,
        context: Sequence[str] = (),
        negative_context: Sequence[str] = (),
    ) -> None:
        self.lexicon = lexicon
        super().__init__(name=name, rules=rules, context=context, negative_context=negative_context)

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Trim the captured name to its name words."""
        span = trim_name(text, *match.span(rule.group), self.lexicon, keep_first=rule.strong_trigger)
        if span is None:
            return None
        return Finding(span[0], span[1], rule.entity, rule.score)


_CLINICIAN_BEFORE = re.compile(
    r"(?i)\b(?:dr|drs|doctor|attending|signed(?:[ \t]+by)?|dictated(?:[ \t]+by)?|cc|pcp|physician|provider"
    r"|surgeon"
    r"|nurse|rn|np|pa|resident|fellow|radiologist|consultant|seen[ \t]+by|referred[ \t]+by)\b\.?[ \t:]*$"
)
_CREDENTIAL_AFTER = re.compile(rf"^[ \t]*,?[ \t]*{CREDENTIAL}")
_RELATIVE_BEFORE = re.compile(rf"(?i)\b{RELATION}(?:'s)?\b[ \t]*[:,(]?[ \t]*(?:{HONORIFIC}[ \t]*)?$")
_RELATIVE_AFTER = re.compile(rf"(?i)^[ \t]*(?:\(|,[ \t]*(?:his|her|the[ \t]+patient's)[ \t]+){RELATION}\b")
_PATIENT_BEFORE = re.compile(r"(?i)\b(?:mr|mrs|ms|miss|patient|pt|name|re)\b\.?[ \t:#]*$")


def infer_role(text: str, start: int, end: int) -> str:
    """The role the words around a name tell; PERSON when they tell nothing."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40) : start]
    line_end = text.find("\n", end)
    after = text[end : min(end + 40, len(text) if line_end < 0 else line_end)]
    if _CLINICIAN_BEFORE.search(before) or _CREDENTIAL_AFTER.search(after):
        return "CLINICIAN"
    if _RELATIVE_BEFORE.search(before) or _RELATIVE_AFTER.search(after):
        return "RELATIVE"
    if _PATIENT_BEFORE.search(before):
        return "PATIENT"
    return "PERSON"
