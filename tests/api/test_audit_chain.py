"""The hash chain catches altered and deleted events, also through `multimed audit verify`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
from sqlalchemy import text

from factories.files import pdf_bytes
from factories.uploads import upload
from factories.users import make_org
from multimed.audit import service as audit_service
from multimed.runtime import Runtime


async def _verify(runtime: Runtime) -> audit_service.ChainReport:
    async with runtime.sessions() as session:
        return await audit_service.verify(session=session)


def _cli_verify(runtime: Runtime) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MULTIMED_ENV": "test",
        "MULTIMED_DATABASE_URL": runtime.database_url,
        "MULTIMED_DATA_DIR": str(runtime.settings.data_dir),
        "MULTIMED_MASTER_KEY": runtime.settings.master_key.get_secret_value(),  # type: ignore[union-attr]
        "MULTIMED_JWT_SECRET": runtime.settings.jwt_secret.get_secret_value(),
    }  # type: ignore[union-attr]
    return subprocess.run(
        [sys.executable, "-m", "multimed.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_tampering_is_detected(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    await upload(client, org, "AUD-1", "a.pdf", pdf_bytes())
    assert (await _verify(runtime)).ok
    ok_run = _cli_verify(runtime)
    async with runtime.engine.begin() as conn:
        seq, details = (
            await conn.execute(
                text(
                    "SELECT seq, details::text FROM audit_events "
                    "WHERE action = 'file.upload' ORDER BY seq DESC LIMIT 1"
                )
            )
        ).one()
        previous = (
            await conn.execute(text("SELECT max(seq) FROM audit_events WHERE seq < :s"), {"s": seq})
        ).one()[0]

    try:
        async with runtime.engine.begin() as conn:
            await conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))
            await conn.execute(
                text('UPDATE audit_events SET details = \'{"kind": "DICOM"}\' WHERE seq = :s'), {"s": seq}
            )
        altered = await _verify(runtime)
        altered_cli = _cli_verify(runtime)
        async with runtime.engine.begin() as conn:
            await conn.execute(
                text("UPDATE audit_events SET details = CAST(:d AS jsonb) WHERE seq = :s"),
                {"d": details, "s": seq},
            )
        restored = await _verify(runtime)
        async with runtime.engine.begin() as conn:
            row = (
                (await conn.execute(text("SELECT * FROM audit_events WHERE seq = :s"), {"s": previous}))
                .mappings()
                .one()
            )
            await conn.execute(text("DELETE FROM audit_events WHERE seq = :s"), {"s": previous})
        deleted = await _verify(runtime)
        async with runtime.engine.begin() as conn:
            columns = ", ".join(row)
            values = ", ".join(f":{k}" for k in row)
            await conn.execute(
                text(f"INSERT INTO audit_events ({columns}) OVERRIDING SYSTEM VALUE VALUES ({values})"),  # noqa: S608
                {**row, "details": json.dumps(row["details"])},
            )
    finally:
        async with runtime.engine.begin() as conn:
            await conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change"))

    assert ok_run.returncode == 0, ok_run.stderr
    assert "audit chain intact" in ok_run.stdout
    assert altered.first_broken_seq == seq
    assert altered.reason == "event content does not match its hash (altered)"
    assert altered_cli.returncode == 1
    assert f"seq={seq}" in altered_cli.stderr
    assert restored.ok
    assert deleted.first_broken_seq == seq
    assert deleted.reason == "link to the previous event is broken (deleted or altered)"
    assert (await _verify(runtime)).ok


async def test_audit_log_refuses_updates(runtime: Runtime) -> None:
    async with runtime.engine.connect() as conn:
        try:
            await conn.execute(text("DELETE FROM audit_events"))
            raised = False
        except Exception as exc:
            raised = "append-only" in str(exc)
        await conn.rollback()

    assert raised
