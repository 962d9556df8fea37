"""An API-only process (MULTIMED_JOB_CONCURRENCY=0: jobs run on workers elsewhere) never imports the
pipelines or the models' packages; one that runs jobs imports them at start, not at its first job."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from factories.settings import server_env
from multimed.runtime import Runtime

HEAVY = ("torch", "spacy", "medspacy", "faster_whisper", "presidio_analyzer", "multimed.worker.execute")
STARTED = f"""
import asyncio, json, sys
from multimed.app import create_app

async def main():
    app = create_app()
    async with app.router.lifespan_context(app):
        print(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))

asyncio.run(main())
"""


def _imported_after_start(runtime: Runtime, data_dir: Path, concurrency: str) -> dict[str, bool]:
    env = server_env(runtime, data_dir) | {
        "MULTIMED_JOB_CONCURRENCY": concurrency,
        "MULTIMED_MIGRATE_ON_START": "false",
    }
    done = subprocess.run(
        [sys.executable, "-c", STARTED], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_api_only_process_imports_no_pipeline_or_model_package(runtime: Runtime, tmp_path: Path) -> None:
    assert _imported_after_start(runtime, tmp_path, "0") == dict.fromkeys(HEAVY, False)


def test_a_process_that_runs_jobs_imports_the_pipelines_at_start(runtime: Runtime, tmp_path: Path) -> None:
    assert _imported_after_start(runtime, tmp_path, "1")["multimed.worker.execute"] is True
