"""Citations from position maps, and the labelled document date."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from multimed.extraction.positions import Position
from multimed.findings.citation import Citation, cite_span, positions_from_json
from multimed.findings.document_date import document_date

FILE = uuid.uuid4()
TEXT = "Sodium 139\nPotassium 6.8 HH\n"


def test_span_on_a_page_names_the_page_and_quotes_the_text() -> None:
    positions = [Position(0, 10, page=1, line=1), Position(11, 27, page=2, line=1)]
    citation = cite_span(file_id=FILE, version=3, text=TEXT, positions=positions, start=11, end=27)
    assert citation == Citation(FILE, 3, "Potassium 6.8 HH", page=2, char_start=11, char_end=27)


def test_span_over_speech_segments_covers_their_times() -> None:
    text = "Blood pressure 182 over 124. Patient denies chest pain."
    positions = [
        Position(0, 28, start_seconds=0.0, end_seconds=2.4, source="speech"),
        Position(29, 55, start_seconds=2.4, end_seconds=5.1, source="speech"),
    ]
    citation = cite_span(file_id=FILE, version=1, text=text, positions=positions, start=0, end=55)
    assert (citation.start_seconds, citation.end_seconds, citation.page) == (0.0, 5.1, None)
    assert citation.quote == text


def test_offset_between_lines_uses_the_line_before() -> None:
    positions = [Position(0, 10, page=4)]
    assert cite_span(file_id=FILE, version=1, text=TEXT, positions=positions, start=10, end=12).page == 4


def test_stored_positions_round_trip() -> None:
    rows = [Position(0, 5, page=1, box=(1.0, 2.0, 3.0, 4.0), confidence=91.0).to_json()]
    assert positions_from_json(rows) == [Position(0, 5, page=1, box=(1.0, 2.0, 3.0, 4.0), confidence=91.0)]


def test_citation_json_round_trip() -> None:
    citation = Citation(FILE, 2, "quote", page=1, char_start=3, char_end=8)
    assert Citation.from_json(citation.to_json()) == citation


def test_document_date_reads_labelled_shifted_dates_only() -> None:
    assert document_date("DOB: 1950-01-01\nCollected: 2022-11-03 08:15\n") == datetime(
        2022, 11, 3, 8, 15, tzinfo=UTC
    )
    assert document_date("Reported 2022-11-04") == datetime(2022, 11, 4, tzinfo=UTC)
    assert document_date("DOB: 1950-01-01") is None
    assert document_date("Collected: 2022-13-45") is None
