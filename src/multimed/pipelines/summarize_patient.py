"""SUMMARIZE: one new summary of a patient from the findings and notes of their analyzed files (coverage.py
says which, and names the files left out)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from multimed.core.db import transaction, utcnow
from multimed.extraction import service as extraction_service
from multimed.extraction.models import ExtractedText
from multimed.files.models import FileKind, MedicalFile
from multimed.findings import service as findings_service
from multimed.findings.citation import cite_span, positions_from_json
from multimed.findings.draft import FindingKind, Severity
from multimed.findings.models import Finding
from multimed.patients import service as patients_service
from multimed.runtime import Runtime
from multimed.summaries import service as summaries_service
from multimed.summaries.builder import CitedFinding, build_sections, sections_to_json
from multimed.summaries.coverage import coverage
from multimed.summaries.errors import FilesNotProcessed
from multimed.summaries.extractive import ExtractiveSummarizer
from multimed.summaries.models import Summary
from multimed.summaries.render import render_html, render_text
from multimed.summaries.sentences import narrative_sentences
from multimed.summaries.summarizer import CitedSentence, SourceSentence, checked

NOTE_SENTENCES = 8


@dataclass(frozen=True)
class SummaryInputs:
    files: list[MedicalFile]
    findings: list[CitedFinding]
    sources: list[SourceSentence]


async def gather_inputs(runtime: Runtime, files: Sequence[MedicalFile]) -> SummaryInputs:
    """Findings (with citations) and narrative sentences of analyzed files; FilesNotProcessed if one's text
    or DICOM metadata is gone."""
    ids = [f.id for f in files]
    async with runtime.sessions() as session:
        findings = await findings_service.for_files(session=session, file_ids=ids)
        texts = await extraction_service.latest_for_files(session=session, file_ids=ids)
        dicoms = await extraction_service.dicom_summaries_for_files(session=session, file_ids=ids)
    missing = [
        f for f in files if (f.id not in dicoms if FileKind(f.kind) is FileKind.DICOM else f.id not in texts)
    ]
    if missing:
        raise FilesNotProcessed(len(missing))
    cited: list[CitedFinding] = []
    sources: list[SourceSentence] = []
    for file in files:
        for finding in findings.get(file.id, []):
            cited.append(CitedFinding(finding, findings_service.citation_of(finding, file.version)))
        if file.id in texts:
            sources += _note_sentences(file, texts[file.id], findings.get(file.id, []))
    return SummaryInputs(list(files), cited, sources)


def _note_sentences(
    file: MedicalFile, row: ExtractedText, findings: Sequence[Finding]
) -> list[SourceSentence]:
    lab_spans = [
        (f.char_start, f.char_end)
        for f in findings
        if f.kind == FindingKind.LAB.value and f.char_start is not None and f.char_end is not None
    ]
    positions = positions_from_json(row.positions)
    return [
        SourceSentence(
            row.text[start:end],
            cite_span(
                file_id=file.id,
                version=file.version,
                text=row.text,
                positions=positions,
                start=start,
                end=end,
            ),
        )
        for start, end in narrative_sentences(row.text, exclude=lab_spans)  # type: ignore[arg-type]
    ]


async def summarize_patient(
    runtime: Runtime,
    *,
    organization_id: uuid.UUID,
    patient_id: uuid.UUID,
    file_ids: Sequence[uuid.UUID] | None = None,
    job_id: uuid.UUID | None = None,
) -> Summary:
    """Build, render and store the next summary version of a patient."""
    started = time.perf_counter()
    async with runtime.sessions() as session:
        covered = await coverage(
            session=session, organization_id=organization_id, patient_id=patient_id, file_ids=file_ids
        )
    files = covered.files
    inputs = await gather_inputs(runtime, files)
    summarizer = ExtractiveSummarizer(await runtime.embedder())
    notes: list[CitedSentence] = await asyncio.to_thread(
        summarizer.summarize, inputs.sources, limit=NOTE_SENTENCES
    )
    notes = checked(notes, inputs.sources)
    sections = build_sections(inputs.findings, notes)
    async with transaction(runtime.sessions) as session:
        patient = await patients_service.get_or_raise(
            session=session, organization_id=organization_id, patient_id=patient_id
        )
        version = await summaries_service.next_version(session=session, patient=patient)
        created_at = utcnow()
        rendering = {
            "patient_token": patient.token,
            "version": version,
            "created_at": created_at,
            "uncovered": covered.uncovered,
        }
        summary = Summary(
            organization_id=organization_id,
            patient_id=patient_id,
            job_id=job_id,
            version=version,
            has_critical=any(s.severity is Severity.CRITICAL for sec in sections for s in sec.statements),
            sections=sections_to_json(sections),
            text=render_text(sections, **rendering),  # type: ignore[arg-type]
            html=render_html(sections, **rendering),  # type: ignore[arg-type]
            source_file_ids=[str(f.id) for f in files],
            uncovered_files=[u.to_json() for u in covered.uncovered],
            summarizer=f"{summarizer.name} ({summarizer.version})"[:128],
            seconds=round(time.perf_counter() - started, 3),
            created_at=created_at,
        )
        finding_ids = [i for sec in sections for st in sec.statements for i in st.finding_ids]
        stored = await summaries_service.store(session=session, summary=summary, finding_ids=finding_ids)
    await runtime.cache.invalidate(organization_id)  # after the commit: see cache/query_cache.py
    return stored
