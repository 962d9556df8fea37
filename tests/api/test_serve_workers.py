"""`multimed serve --workers N`: each process accepts on its own SO_REUSEPORT socket, so a burst of
keep-alive connections is spread over the processes instead of landing on whichever woke first."""

from __future__ import annotations

import asyncio
import pickle
import socket
import time
from pathlib import Path

import httpx

from factories.network import free_port
from factories.servers import start_serve
from factories.settings import server_env
from multimed.runtime import Runtime
from multimed.serving import WorkerSocket, reuse_port_socket

REDIS_URL = "redis://127.0.0.1:6379/0"


def established_sockets(port: int) -> set[str]:
    """Inodes of the server side of established TCP connections on 127.0.0.1:port (/proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "01" and int(local.split(":")[1], 16) == port:
            inodes.add(f"socket:[{inode}]")
    return inodes


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in path.read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def connections_per_process(root: int, port: int) -> list[int]:
    """How many of the port's established connections each process under `root` holds."""
    wanted, counts = established_sockets(port), []
    for pid in descendants(root):
        held = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                held += fd.readlink().as_posix() in wanted
            except OSError:
                continue
        counts.append(held)
    return sorted(c for c in counts if c)


def test_the_worker_socket_unpickles_as_a_new_member_of_the_port_group() -> None:
    placeholder = reuse_port_socket("127.0.0.1", 0)
    parent = WorkerSocket(placeholder.family, placeholder.type, fileno=placeholder.detach())
    port = parent.getsockname()[1]
    # How uvicorn's spawned workers receive it (our own bytes, not untrusted input).
    first = pickle.loads(pickle.dumps(parent))  # noqa: S301
    second = pickle.loads(pickle.dumps(parent))  # noqa: S301
    try:
        assert isinstance(first, socket.socket)
        assert first.fileno() != parent.fileno()
        assert first.getsockname()[1] == second.getsockname()[1] == port
        assert first.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
        first.listen(64)
        second.listen(64)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        time.sleep(0.1)
        first.setblocking(False)
        second.setblocking(False)
        taken = []
        for listener in (first, second):
            n = 0
            while True:
                try:
                    conn, _ = listener.accept()
                except BlockingIOError:
                    break
                conn.close()
                n += 1
            taken.append(n)
        # Spread by the kernel's hash over both listeners; the parent's socket, never listening, got none.
        assert sum(taken) == 40, taken
        assert min(taken) > 0, taken
        for client in clients:
            client.close()
    finally:
        for s in (parent, first, second):
            s.close()


async def test_keep_alive_clients_are_spread_over_the_worker_processes(
    runtime: Runtime, tmp_path: Path
) -> None:
    port = free_port()
    env = server_env(runtime, tmp_path) | {"MULTIMED_REDIS_URL": REDIS_URL, "MULTIMED_JOB_CONCURRENCY": "0"}
    server = start_serve(env, port, "--workers", "2")
    clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") for _ in range(40)]
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if (await clients[0].get("/health/ready")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "server exited"
            assert time.monotonic() < deadline, "server did not start"
            await asyncio.sleep(0.3)
        # Let the second worker finish starting too: both listen once the port has two listeners.
        while _listening(port) < 2:
            assert time.monotonic() < deadline, "the second worker never listened"
            await asyncio.sleep(0.3)
        answers = await asyncio.gather(*(c.get("/health") for c in clients))  # 40 connections at once
        assert all(a.status_code == 200 for a in answers)
        spread = connections_per_process(server.pid, port)
        assert sum(spread) == 40, spread
        assert len(spread) == 2, spread
    finally:
        for c in clients:
            await c.aclose()
        server.terminate()
        server.wait(timeout=60)


def _listening(port: int) -> int:
    """How many sockets listen on 127.0.0.1:port (state 0A in /proc/net/tcp)."""
    return sum(
        1
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == port
    )
