"""EXTRACT + DE-IDENTIFY for audio: speech to text with segment times, de-identified, with a time map."""

from __future__ import annotations

import asyncio
import io
import uuid

from multimed.extraction.models import ExtractedText
from multimed.extraction.positions import Position
from multimed.files.models import FileKind
from multimed.pipelines.release_text import release_text
from multimed.pipelines.sources import load_original
from multimed.runtime import Runtime


async def transcribe_audio(
    runtime: Runtime, *, file_id: uuid.UUID, organization_id: uuid.UUID
) -> ExtractedText:
    """Transcribe, de-identify (fail closed) and store the text of one audio file version."""
    file, data = await load_original(
        runtime, file_id=file_id, organization_id=organization_id, kind=FileKind.AUDIO
    )
    transcriber = await runtime.transcriber()
    transcript = await asyncio.to_thread(transcriber.transcribe, io.BytesIO(data))
    del data
    positions = [
        Position(
            s.char_start,
            s.char_end,
            start_seconds=round(s.start, 2),
            end_seconds=round(s.end, 2),
            source="speech",
            confidence=round(s.avg_logprob, 3),
        )
        for s in transcript.segments
    ]
    return await release_text(
        runtime,
        file=file,
        text=transcript.text,
        positions=positions,
        engine=f"{transcript.engine} {transcript.model} {transcript.version}",
        seconds=transcript.seconds_processed,
    )
