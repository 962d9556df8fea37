"""EXTRACT + DE-IDENTIFY for PDFs: text layer or OCR per page, de-identified, stored with its position map."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

from multimed.extraction.models import ExtractedText
from multimed.extraction.pdf import read_pdf
from multimed.files.models import FileKind
from multimed.findings.labs.ocr_check import LabLineCheck
from multimed.ml.ocr.registry import LoadedOnFirstRead
from multimed.ml.ocr.second_reading import SecondReading
from multimed.pipelines.release_text import release_text
from multimed.pipelines.sources import load_original
from multimed.runtime import Runtime


def second_reading(runtime: Runtime) -> SecondReading | None:
    """EasyOCR's second reading as MULTIMED_OCR_SECOND_READING says: of the lab lines the lab reader doubts
    (the default), of every low-confidence line, or none. EasyOCR loads (once per process) when a scanned
    page first needs it, not for PDFs that carry their text."""
    mode = runtime.settings.ocr_second_reading
    if mode == "off":
        return None
    reader = LoadedOnFirstRead("easyocr")
    if mode == "lab-lines":
        return SecondReading(reader, check=LabLineCheck(runtime.critical_limits()))
    return SecondReading(reader)


async def extract_pdf(runtime: Runtime, *, file_id: uuid.UUID, organization_id: uuid.UUID) -> ExtractedText:
    """Read, de-identify (fail closed) and store the text of one PDF file version."""
    file, data = await load_original(
        runtime, file_id=file_id, organization_id=organization_id, kind=FileKind.PDF
    )
    extracted = await asyncio.to_thread(
        read_pdf,
        data,
        ocr=await runtime.ocr_engine(),
        max_pages=runtime.settings.pdf_max_pages,
        second_reading=second_reading(runtime),
    )
    del data
    return await release_text(
        runtime,
        file=file,
        text=extracted.text,
        positions=extracted.positions,
        engine=extracted.engine,
        seconds=extracted.seconds,
        pages=[dataclasses.asdict(p) for p in extracted.pages],
        ocr_engine=extracted.ocr_engine,
    )
