"""Sections of a summary from cited findings and summarized notes: a pure function, easy to test.

Order (the issue's): Critical findings, Abnormal results, Imaging, Clinical notes, Normal results in brief.
The same finding stated in several files (potassium 6.8 in the lab PDF and in the dictation) is one statement
with a citation for each. Negated, historical, hypothetical and family-history mentions are not current
findings and are left out.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from multimed.findings.citation import Citation
from multimed.findings.draft import FindingKind, Severity
from multimed.findings.models import Finding
from multimed.summaries.statements import brief, finding_statement
from multimed.summaries.summarizer import CitedSentence

CRITICAL, ABNORMAL, IMAGING, NOTES, NORMAL = (
    "Critical findings",
    "Abnormal results",
    "Imaging",
    "Clinical notes",
    "Normal results in brief",
)
SECTION_TITLES = (CRITICAL, ABNORMAL, IMAGING, NOTES, NORMAL)
_NOT_CURRENT = ("historical", "hypothetical", "family")
_KIND_ORDER = {FindingKind.LAB: 0, FindingKind.VITAL: 1, FindingKind.CONDITION: 2, FindingKind.IMAGING: 3}


@dataclass(frozen=True)
class CitedFinding:
    finding: Finding
    citation: Citation


@dataclass(frozen=True)
class Statement:
    text: str
    severity: Severity
    citations: tuple[Citation, ...]
    finding_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    statements: tuple[Statement, ...]


def is_current(finding: Finding) -> bool:
    """Whether a finding is about the patient now (not negated, historical, hypothetical or a relative's)."""
    return not finding.negated and not any(finding.details.get(k) for k in _NOT_CURRENT)


def _key(f: Finding) -> tuple[object, ...]:
    kind = FindingKind(f.kind)
    if kind is FindingKind.CONDITION:
        return (kind, f.name)
    if kind is FindingKind.IMAGING:
        return (kind, f.name, f.value_text)
    value = round(f.value, 3) if f.value is not None else f.value_text
    return (kind, f.name, value, f.unit, f.qualifier)


def _grouped(findings: Sequence[CitedFinding]) -> list[list[CitedFinding]]:
    groups: dict[tuple[object, ...], list[CitedFinding]] = defaultdict(list)
    for item in findings:
        groups[_key(item.finding)].append(item)
    return list(groups.values())


def _severity(group: Sequence[CitedFinding]) -> Severity:
    return min((Severity(g.finding.severity) for g in group), key=lambda s: s.rank)


def _statement(group: Sequence[CitedFinding]) -> Statement:
    severity = _severity(group)
    # Word it from the most severe reading (a printed critical flag is never downgraded by a restatement).
    lead = next(g for g in group if Severity(g.finding.severity) is severity)
    return Statement(
        finding_statement(lead.finding),
        severity,
        tuple(dict.fromkeys(g.citation for g in group)),
        tuple(g.finding.id for g in group),
    )


def _order(group: Sequence[CitedFinding]) -> tuple[object, ...]:
    first = group[0]
    return (_KIND_ORDER[FindingKind(first.finding.kind)], first.finding.name, str(first.citation.file_id))


def build_sections(findings: Sequence[CitedFinding], notes: Sequence[CitedSentence]) -> list[Section]:
    """The five sections in order; each statement with its severity and citations."""
    current = [f for f in findings if is_current(f.finding)]
    by_section: dict[str, list[Statement]] = {title: [] for title in SECTION_TITLES}
    normal: dict[uuid.UUID, list[list[CitedFinding]]] = defaultdict(list)
    for group in sorted(_grouped(current), key=_order):
        severity = _severity(group)
        kind = FindingKind(group[0].finding.kind)
        if severity is Severity.CRITICAL:
            by_section[CRITICAL].append(_statement(group))
        elif kind is FindingKind.IMAGING:
            by_section[IMAGING].append(_statement(group))
        elif severity is Severity.ABNORMAL:
            by_section[ABNORMAL].append(_statement(group))
        elif kind in (FindingKind.LAB, FindingKind.VITAL):
            normal[group[0].citation.file_id].append(group)
    by_section[NOTES] = [Statement(n.text, Severity.NORMAL, n.citations) for n in notes]
    for groups in normal.values():
        ranged = [g for g in groups if _has_range(g[0].finding)]
        unranged = [g for g in groups if not _has_range(g[0].finding)]
        for lead, chosen in (("Within reference range", ranged), (_NO_RANGE, unranged)):
            if chosen:
                by_section[NORMAL].append(_brief_statement(lead, chosen))
    return [Section(title, tuple(by_section[title])) for title in SECTION_TITLES]


# A NORMAL result with no printed range was only checked against the critical limits: say so, do not call it
# "within range" (a dictated "glucose 240" has no range to be within).
_NO_RANGE = "No flag, no reference range given"


def _has_range(finding: Finding) -> bool:
    return finding.reference_low is not None or finding.reference_high is not None


def _brief_statement(lead: str, groups: Sequence[Sequence[CitedFinding]]) -> Statement:
    members = [item for group in groups for item in group]
    return Statement(
        f"{lead}: " + "; ".join(brief(g[0].finding) for g in groups) + ".",
        Severity.NORMAL,
        tuple(dict.fromkeys(i.citation for i in members)),
        tuple(i.finding.id for i in members),
    )


def sections_to_json(sections: Sequence[Section]) -> list[dict[str, object]]:
    return [
        {
            "title": s.title,
            "statements": [
                {
                    "text": st.text,
                    "severity": st.severity.value,
                    "citations": [c.to_json() for c in st.citations],
                    "findingIds": [str(i) for i in st.finding_ids],
                }
                for st in s.statements
            ],
        }
        for s in sections
    ]


def sections_from_json(data: Sequence[dict[str, object]]) -> list[Section]:
    out = []
    for s in data:
        statements = []
        for st in s["statements"]:  # type: ignore[attr-defined]
            statements.append(
                Statement(
                    st["text"],
                    Severity(st["severity"]),
                    tuple(Citation.from_json(c) for c in st["citations"]),
                    tuple(uuid.UUID(i) for i in st.get("findingIds", [])),
                )
            )
        out.append(Section(str(s["title"]), tuple(statements)))
    return out
