"""Upload a dictation, transcribe and de-identify it; the text keeps seconds for citations."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from factories.uploads import upload
from factories.users import make_org
from multimed.extraction.positions import Position, locate
from multimed.pipelines.sources import WrongKind
from multimed.pipelines.transcribe_audio import transcribe_audio
from multimed.runtime import Runtime

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


async def test_dictation_is_transcribed_with_times(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.settings, "transcription_engine", "whisper-tiny.en")
    monkeypatch.setattr(runtime, "_transcriber", None)
    org = await make_org(runtime)
    uploaded = await upload(client, org, "A-77", "note.ogg", (AUDIO / "chest_pain.ogg").read_bytes())

    row = await transcribe_audio(runtime, file_id=uuid.UUID(uploaded["file_id"]), organization_id=org.id)

    assert uploaded["kind"] == "AUDIO"
    assert "potassium" in row.text.lower()
    assert "lisinopril" in row.text.lower()
    positions = [Position(**p) for p in row.positions]
    at = locate(positions, row.text.lower().index("potassium"))
    assert at is not None
    assert at.source == "speech"
    assert at.start_seconds is not None
    assert at.end_seconds is not None
    assert 0 <= at.start_seconds < at.end_seconds


async def test_pdf_is_refused_by_the_audio_stage(client: httpx.AsyncClient, runtime: Runtime) -> None:
    from factories.files import pdf_bytes

    org = await make_org(runtime)
    uploaded = await upload(client, org, "A-78", "a.pdf", pdf_bytes())

    with pytest.raises(WrongKind):
        await transcribe_audio(runtime, file_id=uuid.UUID(uploaded["file_id"]), organization_id=org.id)
