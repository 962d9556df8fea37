"""The file_analyses migration marks what was analyzed before the marker existed, and nothing else: a file
with findings, and a PROCESSED file (every stage ran) without any; not one whose job failed after extraction.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from factories.databases import fresh_database
from multimed import migrations

BEFORE = "0cf62088052a"  # notifications: the head before file_analyses


@pytest.fixture
async def scratch_url(maintenance_url: str) -> AsyncIterator[str]:
    async with fresh_database(maintenance_url, "multimed_migration") as url:
        yield url


async def _file(
    conn: asyncpg.Connection, org: uuid.UUID, patient: uuid.UUID, user: uuid.UUID, status: str
) -> uuid.UUID:
    file_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO files (id, organization_id, patient_id, kind, content_type, size_bytes, sha256,"
        " blob_key, wrapped_key, key_id, version, logical_key, uploaded_by, uploaded_at, status)"
        " VALUES ($1, $2, $3, 'PDF', 'application/pdf', 10, $4, $5, '\\x00', 'k', 1, $6, $7, now(), $8)",
        file_id,
        org,
        patient,
        "0" * 64,
        f"blob/{file_id}",
        file_id.hex,
        user,
        status,
    )
    return file_id


async def test_backfill_marks_only_what_was_analyzed(scratch_url: str) -> None:
    await migrations.upgrade(scratch_url, BEFORE)
    org, patient, user = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    conn = await asyncpg.connect(scratch_url)
    try:
        await conn.execute("INSERT INTO organizations (id, name, created_at) VALUES ($1, 'H', now())", org)
        await conn.execute(
            "INSERT INTO patients (id, organization_id, token, created_at) VALUES ($1, $2, $3, now())",
            patient,
            org,
            "t" * 64,
        )
        await conn.execute(
            "INSERT INTO users (id, organization_id, username, password_hash, role, is_active, created_at)"
            " VALUES ($1, $2, 'u', 'x', 'CLINICIAN', true, now())",
            user,
            org,
        )
        with_findings = await _file(conn, org, patient, user, "FAILED")
        quiet = await _file(conn, org, patient, user, "PROCESSED")
        failed = await _file(conn, org, patient, user, "FAILED")
        queued = await _file(conn, org, patient, user, "STORED")
        for name in ("Potassium", "Glucose"):
            await conn.execute(
                "INSERT INTO findings (id, organization_id, patient_id, file_id, kind, name, severity,"
                " negated, observed_at, quote, details, created_at)"
                " VALUES ($1, $2, $3, $4, 'LAB', $5, 'NORMAL', false, now(), 'q', '{}', now())",
                uuid.uuid4(),
                org,
                patient,
                with_findings,
                name,
            )
    finally:
        await conn.close()

    await migrations.upgrade(scratch_url)

    conn = await asyncpg.connect(scratch_url)
    try:
        rows = await conn.fetch("SELECT file_id, organization_id, findings FROM file_analyses")
    finally:
        await conn.close()
    marked = {(r["file_id"], r["organization_id"], r["findings"]) for r in rows}
    assert marked == {(with_findings, org, 2), (quiet, org, 0)}
    assert not {failed, queued} & {r["file_id"] for r in rows}
