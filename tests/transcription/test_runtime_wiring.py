"""The runtime builds the configured transcriber once and shares it."""

from __future__ import annotations

import pytest

from multimed.runtime import Runtime


async def test_runtime_builds_the_configured_engine_once(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.settings, "transcription_engine", "whisper-tiny.en")
    monkeypatch.setattr(runtime, "_transcriber", None)

    first = await runtime.transcriber()
    second = await runtime.transcriber()

    assert first is second
    assert "tiny" in first.model
