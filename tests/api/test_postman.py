"""The Postman collection (postman/) run by newman against a live `multimed serve`, so `make test` proves the
collection a hospital integrator imports still walks the main flow: sign in, upload, job, summarize, cited
summary, anonymizer, and the 401/404 error shapes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEWMAN_SH = ROOT / "scripts" / "newman.sh"
# The script bounds newman at 420 s; server start, first model loads and two jobs take 1-2 min on a busy
# 2-core machine, npm ci ~20 s more on the first run.
TIMEOUT_SECONDS = 600


@pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="node and npm are not installed: newman (postman/package.json) cannot run",
)
def test_collection_passes_against_a_live_server() -> None:
    # A session of its own: on a timeout the whole group (script, server, newman) gets SIGTERM, so the
    # script's cleanup still stops the server and drops the throwaway database.
    run = subprocess.Popen(
        [str(NEWMAN_SH), "--reporter-cli-no-banner"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = run.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGTERM)
        stdout, stderr = run.communicate(timeout=60)
        pytest.fail(f"scripts/newman.sh ran over {TIMEOUT_SECONDS} s:\n{stdout[-8000:]}\n{stderr[-4000:]}")

    assert run.returncode == 0, f"newman failed:\n{stdout[-12000:]}\n{stderr[-6000:]}"
    assert "8b. An unknown summary is 404" in stdout  # the run reached the last request
