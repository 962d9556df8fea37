"""MULTIMED_OCR_SECOND_READING: lab lines by default, the old boolean still understood."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories.settings import make_settings
from multimed.findings.labs.ocr_check import LabLineCheck
from multimed.pipelines.extract_pdf import second_reading
from multimed.runtime import Runtime


@pytest.mark.parametrize(
    ("given", "meant"),
    [(None, "lab-lines"), ("true", "low-confidence"), ("false", "off"), ("lab-lines", "lab-lines")],
)
def test_the_setting_and_its_old_boolean_form(tmp_path: Path, given: str | None, meant: str) -> None:
    overrides = {} if given is None else {"ocr_second_reading": given}
    assert make_settings(tmp_path, "postgresql://unused/db", **overrides).ocr_second_reading == meant


def test_the_default_pipeline_rereads_doubted_lab_lines_with_easyocr(runtime: Runtime) -> None:
    reading = second_reading(runtime)
    assert reading is not None
    assert reading.reader.name == "easyocr"
    assert isinstance(reading.check, LabLineCheck)
