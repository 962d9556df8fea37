"""Live servers for tests: `multimed serve` in a subprocess, or an ASGI app under uvicorn in this loop."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from factories.network import free_port


def start_serve(env: dict[str, str], port: int, *options: str) -> subprocess.Popen[bytes]:
    """`multimed serve` on 127.0.0.1:port in a subprocess, its output discarded; stop it with terminate()
    and wait()."""
    command = [sys.executable, "-m", "multimed.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(
        [*command, *options], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


@asynccontextmanager
async def uvicorn_in_loop(app: Any) -> AsyncIterator[int]:
    """The app served by uvicorn on a free loopback port, in a task of this event loop; yields the port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_config=None, lifespan="off"))
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # uvicorn offers no event for "listening"
        if server.started:
            break
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        await task
