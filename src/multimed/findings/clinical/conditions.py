"""Red-flag conditions (stroke signs, sepsis, PE, suicidal ideation...) from notes and dictation transcripts.

medspaCy finds each mention (TargetMatcher) and its ConText: negated, uncertain, historical, hypothetical or
said of a family member. Every mention is returned, so a reviewer sees what was read and why it did or did not
raise an alarm:
- current and affirmed: the rule's severity;
- uncertain ("possible PE", "rule out PE"): the rule's severity, details["uncertain"] = True;
- negated ("denies chest pain"): negated=True, severity NORMAL;
- historical, hypothetical or family ("history of MI", "return if chest pain", "mother had a stroke"):
  severity NORMAL with details["historical"] / ["hypothetical"] / ["family"] = True.
details["status"] names the one that decided the severity, in the order negated, family, hypothetical,
historical, uncertain, affirmed. The span is the sentence that states the mention, trimmed of whitespace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from multimed.findings.clinical.context_pipeline import (
    FAMILY,
    HISTORICAL,
    HYPOTHETICAL,
    NEGATED,
    UNCERTAIN,
    red_flag_pipeline,
)
from multimed.findings.clinical.red_flag_rules import COMPANION, RED_FLAG, Outcome, RuleBook
from multimed.findings.clinical.text_chunks import chunk_bounds
from multimed.findings.draft import FindingDraft, FindingKind, Severity

_STATUS_ORDER = (
    ("negated", NEGATED),
    ("family", FAMILY),
    ("hypothetical", HYPOTHETICAL),
    ("historical", HISTORICAL),
    ("uncertain", UNCERTAIN),
)
# Statuses that say the condition is not present in this patient now.
_NOT_CURRENT = {"negated", "family", "hypothetical", "historical"}


@dataclass(frozen=True)
class _Mention:
    """A matched span and its context, copied out of the spaCy Doc while the pipeline lock is held."""

    label: str
    key: int | str | None  # rule index for RED_FLAG, companion name for COMPANION
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    categories: frozenset[str]

    @property
    def status(self) -> str:
        for status, category in _STATUS_ORDER:
            if category in self.categories:
                return status
        return "affirmed"


def extract_conditions(text: str) -> list[FindingDraft]:
    """Every red-flag mention in the text with its ConText status, in reading order."""
    if not text.strip():
        return []
    pipeline = red_flag_pipeline()
    mentions: list[_Mention] = []
    for start, end in chunk_bounds(text):
        with pipeline.lock:
            doc = pipeline.nlp(text[start:end])
            mentions += [_mention(ent, start) for ent in doc.ents]
    findings: list[FindingDraft] = []
    seen: set[tuple[str, int, int, str]] = set()
    for mention in mentions:
        if mention.label != RED_FLAG or not isinstance(mention.key, int):
            continue
        draft = _draft(text, mention, mentions, pipeline.rules)
        identity = (draft.name, draft.start, draft.end, str(draft.details["status"]))
        if identity not in seen:  # "PE ... PE" in one sentence is one finding
            seen.add(identity)
            findings.append(draft)
    return findings


def _mention(ent: Any, offset: int) -> _Mention:
    doc = ent.doc
    first, last = doc[ent.start].sent, doc[ent.end - 1].sent
    metadata = ent._.target_rule.metadata or {}
    key = metadata.get("rule", metadata.get("companion"))
    return _Mention(
        label=ent.label_,
        key=key,
        start=offset + ent.start_char,
        end=offset + ent.end_char,
        sentence_start=offset + first.start_char,
        sentence_end=offset + last.end_char,
        categories=frozenset(modifier.category for modifier in ent._.modifiers),
    )


def _outcome(mention: _Mention, mentions: list[_Mention], rules: RuleBook) -> Outcome:
    assert isinstance(mention.key, int)
    rule = rules.red_flags[mention.key]
    if rule.requires is None or rule.otherwise is None:
        return rule.outcome
    present = any(
        other.label == COMPANION
        and other.key == rule.requires
        and other.sentence_start == mention.sentence_start
        and other.status not in _NOT_CURRENT
        for other in mentions
    )
    return rule.outcome if present else rule.otherwise


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _draft(text: str, mention: _Mention, mentions: list[_Mention], rules: RuleBook) -> FindingDraft:
    outcome = _outcome(mention, mentions, rules)
    status = mention.status
    start, end = _trimmed(text, mention.sentence_start, mention.sentence_end)
    details: dict[str, str | float | bool | None] = {
        "status": status,
        "negated": NEGATED in mention.categories,
        "uncertain": UNCERTAIN in mention.categories,
        "historical": HISTORICAL in mention.categories,
        "hypothetical": HYPOTHETICAL in mention.categories,
        "family": FAMILY in mention.categories,
        "trigger": text[mention.start : mention.end],
        "trigger_start": mention.start,
        "trigger_end": mention.end,
    }
    return FindingDraft(
        kind=FindingKind.CONDITION,
        name=outcome.name,
        severity=Severity.NORMAL if status in _NOT_CURRENT else outcome.severity,
        start=start,
        end=end,
        code=outcome.code,
        negated=status == "negated",
        details=details,
    )
