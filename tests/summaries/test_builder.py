"""Summary sections from findings: order, de-duplication across files, what is left out, rendering."""

from __future__ import annotations

import html
import uuid
from typing import Any

from multimed.findings.citation import Citation
from multimed.findings.draft import FindingKind, Severity
from multimed.findings.models import Finding
from multimed.summaries.builder import (
    SECTION_TITLES,
    CitedFinding,
    build_sections,
    sections_from_json,
    sections_to_json,
)
from multimed.summaries.render import link, render_html, render_text
from multimed.summaries.summarizer import CitedSentence

PDF, AUDIO, CT = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ORG, PATIENT = uuid.uuid4(), uuid.uuid4()


def cited(
    file_id: uuid.UUID, kind: FindingKind, name: str, severity: Severity, quote: str, **kw: Any
) -> CitedFinding:
    finding = Finding(
        organization_id=ORG,
        patient_id=PATIENT,
        file_id=file_id,
        kind=kind.value,
        name=name,
        severity=severity.value,
        quote=quote,
        details=kw.pop("details", {}),
        **kw,
    )
    page = 1 if file_id == PDF else None
    seconds = (12.0, 15.5) if file_id == AUDIO else (None, None)
    citation = Citation(
        file_id,
        1,
        quote,
        page,
        seconds[0],
        seconds[1],
        0 if file_id != CT else None,
        len(quote) if file_id != CT else None,
    )
    return CitedFinding(finding, citation)


def findings() -> list[CitedFinding]:
    return [
        cited(
            PDF,
            FindingKind.LAB,
            "potassium",
            Severity.CRITICAL,
            "Potassium 6.8 mmol/L (3.5-5.1) HH",
            value=6.8,
            value_text="6.8",
            unit="mmol/L",
            reference_low=3.5,
            reference_high=5.1,
            flag="HH",
        ),
        cited(
            AUDIO,
            FindingKind.LAB,
            "potassium",
            Severity.ABNORMAL,
            "potassium 6.8",
            value=6.8,
            value_text="6.8",
            unit="mmol/L",
        ),
        cited(
            PDF,
            FindingKind.LAB,
            "sodium",
            Severity.NORMAL,
            "Sodium 139 mmol/L (136-145)",
            value=139.0,
            value_text="139",
            unit="mmol/L",
            reference_low=136.0,
            reference_high=145.0,
        ),
        cited(
            AUDIO,
            FindingKind.LAB,
            "creatinine",
            Severity.NORMAL,
            "creatinine 1.4",
            value=1.4,
            value_text="1.4",
            unit="mg/dL",
        ),
        cited(
            PDF,
            FindingKind.LAB,
            "glucose",
            Severity.ABNORMAL,
            "Glucose 182 mg/dL (70-99) H",
            value=182.0,
            value_text="182",
            unit="mg/dL",
            reference_low=70.0,
            reference_high=99.0,
            flag="H",
        ),
        cited(
            AUDIO, FindingKind.CONDITION, "pneumothorax", Severity.NORMAL, "No pneumothorax.", negated=True
        ),
        cited(
            AUDIO,
            FindingKind.CONDITION,
            "stroke",
            Severity.NORMAL,
            "Mother had a stroke.",
            details={"family": True},
        ),
        cited(
            AUDIO, FindingKind.CONDITION, "chest pain", Severity.CRITICAL, "He reports crushing chest pain."
        ),
        cited(
            CT,
            FindingKind.IMAGING,
            "CT chest",
            Severity.NORMAL,
            "Modality: CT; Body part: CHEST",
            value_text="CT CHEST W/O",
        ),
    ]


NOTES = [
    CitedSentence(
        "Plan: recheck potassium <b>today</b>.",
        (Citation(AUDIO, 1, "Plan: recheck potassium <b>today</b>.", None, 20.0, 23.0, 40, 75),),
    ),
]


def test_sections_come_in_order_with_severity_and_citations() -> None:
    sections = build_sections(findings(), NOTES)
    assert [s.title for s in sections] == list(SECTION_TITLES)
    critical, abnormal, imaging, notes, normal = sections
    assert [st.text for st in critical.statements] == [
        "Potassium 6.8 mmol/L (reference 3.5-5.1; flag HH)",
        'Chest pain: "He reports crushing chest pain."',
    ]
    # The same potassium in the PDF and the dictation: one statement, two citations, the critical wording.
    potassium = critical.statements[0]
    assert potassium.severity is Severity.CRITICAL
    assert {c.file_id for c in potassium.citations} == {PDF, AUDIO}
    assert len(potassium.finding_ids) == 2
    assert [st.text for st in abnormal.statements] == ["Glucose 182 mg/dL (reference 70-99; flag H)"]
    assert [st.text for st in imaging.statements] == ["CT chest: CT CHEST W/O"]
    assert [st.text for st in notes.statements] == ["Plan: recheck potassium <b>today</b>."]
    # Per file; a result without a printed range is not called "within range".
    assert [st.text for st in normal.statements] == [
        "No flag, no reference range given: creatinine 1.4 mg/dL.",
        "Within reference range: sodium 139 mmol/L.",
    ]
    assert all(st.citations for s in sections for st in s.statements)


def test_negated_family_and_historical_mentions_are_left_out() -> None:
    text = " ".join(st.text for s in build_sections(findings(), []) for st in s.statements)
    assert "pneumothorax" not in text.lower()
    assert "stroke" not in text.lower()


def test_sections_survive_their_json_form() -> None:
    sections = build_sections(findings(), NOTES)
    assert sections_from_json(sections_to_json(sections)) == sections


def test_renderings_escape_and_colour_and_link() -> None:
    from datetime import UTC, datetime

    sections = build_sections(findings(), NOTES)
    when = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    page = render_html(sections, patient_token="tok", version=3, created_at=when)
    assert "<b>today</b>" not in page
    assert html.escape("<b>today</b>") in page
    assert 'class="severity-critical" style="color:#b00020"' in page
    assert 'class="severity-abnormal" style="color:#b26a00"' in page
    assert f'href="/files/{PDF}/content?variant=deidentified#page=1"' in page
    assert f'href="/files/{AUDIO}/content?variant=deidentified#t=12,15.5"' in page
    assert f'href="/files/{CT}/preview"' in page
    text = render_text(sections, patient_token="tok", version=3, created_at=when)
    assert text.startswith("Summary v3 of patient tok")
    assert "- [CRITICAL] Potassium 6.8 mmol/L (reference 3.5-5.1; flag HH) [1][2]" in text
    assert "0:12-0:15" in text
    assert "page 1" in text


def test_links_point_at_the_cited_place() -> None:
    assert link(Citation(PDF, 2, "q", page=3, char_start=0, char_end=1)).endswith("#page=3")
    assert link(
        Citation(AUDIO, 1, "q", start_seconds=1.5, end_seconds=4.0, char_start=0, char_end=1)
    ).endswith("#t=1.5,4")
