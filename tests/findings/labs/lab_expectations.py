"""Shared checks for lab-reader tests: every finding quotes exactly its result's cells, value included."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from multimed.findings.draft import FindingDraft, FindingKind, Severity


@dataclass(frozen=True)
class Expected:
    """One expected result: the exact quote, then what it must be read as."""

    quote: str
    name: str
    value: float
    unit: str
    flag: str | None
    severity: Severity


def assert_spans(text: str, findings: list[FindingDraft]) -> None:
    """Each quote is on one line, holds the printed value, and is trimmed of blanks and column rules."""
    for finding in findings:
        quote = text[finding.start : finding.end]
        assert finding.kind is FindingKind.LAB
        assert "\n" not in quote
        assert finding.value_text is not None
        assert finding.value_text in quote
        assert quote == quote.strip(" |\t")


def assert_findings(text: str, findings: list[FindingDraft], expected: list[Expected]) -> None:
    assert_spans(text, findings)
    got = [(text[f.start : f.end], f.name, f.value, f.unit, f.flag, f.severity) for f in findings]
    want = [(e.quote, e.name, pytest.approx(e.value, rel=1e-4), e.unit, e.flag, e.severity) for e in expected]
    for got_one, want_one in zip(got, want, strict=False):
        assert got_one == want_one
    assert len(got) == len(want), got[len(want) :] or want[len(got) :]


def line_of(text: str, fragment: str) -> str:
    """The whole line holding `fragment`, without surrounding blanks or column rules."""
    for line in text.splitlines():
        if fragment in line:
            return line.strip(" |\t")
    raise AssertionError(fragment)
