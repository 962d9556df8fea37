"""End-to-end summary benchmark: from the start of the work to the finished summary of one patient.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/summarize.py [--pg postgresql://postgres@127.0.0.1:5432/postgres]

The patient has a 2-page scanned lab PDF (300 dpi, image only), a ~60 s dictation (the committed espeak-ng
fixtures back to back) and 4 DICOM images (pydicom's test files). Models are warmed first (PHI detector, OCR,
Whisper, medspaCy, MiniLM), as in a running service. The clock starts when the four jobs are handed to the
in-process runner (3 file jobs + the summary job that waits for them; 2 at a time, as `multimed serve` runs
them) and stops when the summary is stored. Per-stage seconds come from the jobs' own timings
(`Job.stage_seconds`). Target: <= 30 s end to end. Always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import secrets
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from sqlmodel import select

from factories.dicoms import read_testdata
from factories.lab_reports import generate_reports, to_scanned_pdf
from multimed.auth.models import Role, User
from multimed.auth.principal import Principal
from multimed.core.db import transaction
from multimed.core.keys import encode_key
from multimed.core.settings import Settings
from multimed.files import service as files_service
from multimed.findings.analyze import analyze_text
from multimed.jobs.models import Job
from multimed.patients import service as patients_service
from multimed.runtime import Runtime, build_runtime
from multimed.summaries.models import Summary
from multimed.summaries.requests import request_summary
from multimed.worker.inprocess import InProcessQueue

sys.path.insert(0, str(Path(__file__).resolve().parent))
from transcribe import session_wav

TARGET_SECONDS = 30.0
DICOMS = ("CT_small.dcm", "MR_small.dcm", "MR_small_jp2klossless.dcm", "MR_small_RLE.dcm")
MRN = "BENCH-0001"


def lab_pdf() -> bytes:
    """A generated 2-page report, rendered as a scan."""
    report = next(r for r in generate_reports(40, seed=7) if len(r.pages) == 2)
    return to_scanned_pdf(report)


def dicom(name: str) -> bytes:
    ds = read_testdata(name)
    ds.PatientName = "Okafor^Adaeze"
    ds.PatientID = MRN
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def upload(runtime: Runtime, principal: Principal, name: str, data: bytes) -> Job:
    staged = await files_service.stage(
        store=runtime.blobs,
        source=_chunks(data),
        limit_for=lambda kind: runtime.settings.max_bytes_for(kind.value),
    )
    async with transaction(runtime.sessions) as session:
        result = await files_service.record(
            session=session,
            staged=staged,
            principal=principal,
            keyring=runtime.secrets.master,
            patient_mrn=MRN,
            logical_name=name,
            original_filename=name,
            request_id=None,
        )
    return result.job


async def admin(runtime: Runtime) -> Principal:
    async with runtime.sessions() as session:
        user = (await session.execute(select(User).where(User.username == "admin"))).scalar_one()
    return Principal(user_id=user.id, organization_id=user.organization_id, role=Role(user.role))


async def warm(runtime: Runtime) -> float:
    started = time.perf_counter()
    detector = await runtime.phi_detector()
    await asyncio.to_thread(detector.analyze, "Warm up John Smith, MRN 12345.")
    await runtime.ocr_engine()
    await runtime.transcriber()
    embedder = await runtime.embedder()
    await asyncio.to_thread(embedder.embed, ["warm up"])
    await asyncio.to_thread(
        analyze_text, "Potassium 6.8 mmol/L. Patient denies chest pain.", runtime.critical_limits()
    )
    return time.perf_counter() - started


async def run(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="multimed-summary-bench-"))
    database = f"multimed_bench_{secrets.token_hex(4)}" if args.pg else None
    url = None
    if args.pg:
        conn = await asyncpg.connect(args.pg)
        await conn.execute(f'CREATE DATABASE "{database}"')
        await conn.close()
        url = args.pg.rsplit("/", 1)[0] + f"/{database}"
    settings = Settings(
        env="test",
        data_dir=work,
        database_url=url,
        master_key=encode_key(secrets.token_bytes(32)),
        jwt_secret=encode_key(secrets.token_bytes(32)),
        admin_password="bench-password-" + secrets.token_hex(4),
        job_concurrency=0,  # the benchmark's own runner below
        log_level="WARNING",
    )  # type: ignore[call-arg]
    runtime = await build_runtime(settings)
    try:
        principal = await admin(runtime)
        print(f"warm-up (models load once per process): {await warm(runtime):.1f} s", flush=True)
        wav, _ = session_wav(min_seconds=60.0)
        files = [("labs.pdf", lab_pdf()), ("dictation.wav", wav.getvalue())]
        files += [(name, dicom(name)) for name in DICOMS]
        jobs = [await upload(runtime, principal, name, data) for name, data in files]
        token = patients_service.patient_token(MRN, runtime.secrets.master)
        async with transaction(runtime.sessions) as session:
            summary_job = await request_summary(
                session=session, principal=principal, patient_token=token, file_ids=None
            )
        queue = InProcessQueue(runtime, concurrency=2)
        started = time.perf_counter()
        for job in [*jobs, summary_job]:
            await queue.enqueue(job)
        await queue.wait_idle()
        elapsed = time.perf_counter() - started
        async with runtime.sessions() as session:
            done = [await session.get(Job, j.id) for j in [*jobs, summary_job]]
            summary = (
                await session.execute(select(Summary).where(Summary.job_id == summary_job.id))
            ).scalar_one_or_none()
        per_stage: dict[str, float] = defaultdict(float)
        print(f"\n{'job':<28}{'status':<32}stage seconds")
        for (name, _), job in zip([*files, ("summary", b"")], done, strict=True):
            assert job is not None
            error = f" ({job.error_code})" if job.error_code else ""
            print(f"{name:<28}{job.status + error:<32}{job.stage_seconds}")
            for stage, seconds in job.stage_seconds.items():
                per_stage[stage] += seconds
        print("\nstage totals (stages of different jobs overlap, 2 at a time):")
        for stage, seconds in per_stage.items():
            print(f"  {stage:<10}{seconds:7.2f} s")
        ok = summary is not None and elapsed <= TARGET_SECONDS
        statements = sum(len(s["statements"]) for s in summary.sections) if summary else 0
        critical = summary.has_critical if summary else None
        print(
            f"\nsummary: {'stored' if summary else 'MISSING'}, {statements} statements, critical={critical}"
        )
        print(f"end to end: {elapsed:.1f} s (target <= {TARGET_SECONDS:.0f} s) {'PASS' if ok else 'FAIL'}")
    finally:
        await runtime.close()
        if args.pg:
            conn = await asyncpg.connect(args.pg)
            await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "--pg", metavar="URL", help="use a throwaway database on this server (default: embedded)"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
