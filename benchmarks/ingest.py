"""Ingest benchmark: raw disk write vs. REST /upload throughput, and server memory growth.

    .venv/bin/python benchmarks/ingest.py [--size-mb 200] [--runs 3] [--port N] [--keep] [--pg URL]

Always exits 0 (a benchmark, not a test); prints PASS/FAIL against the targets. MB = 2**20 bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

MB = 1024 * 1024
CHUNK = 1 * MB  # the filesystem blob backend writes 1 MiB at a time, then fsyncs
RATIO_TARGET = 0.5
GROWTH_TARGET_MB = 50.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_payload(path: Path, size: int) -> str:
    """A file that sniffs as a PDF: the header, then random bytes. Returns its SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        block, left = b"%PDF-1.4\n", size
        while block:
            out.write(block)
            digest.update(block)
            left -= len(block)
            block = os.urandom(min(CHUNK, left))
    return digest.hexdigest()


def raw_write(source: Path, target: Path) -> float:
    """Copy source to target with 1 MiB writes + fsync (page-cache read, real disk write); MB/s."""
    start = time.perf_counter()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with source.open("rb", buffering=0) as src:
            while block := src.read(CHUNK):
                view = memoryview(block)
                while view:
                    view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    elapsed = time.perf_counter() - start
    target.unlink()
    return source.stat().st_size / MB / elapsed


def tree_pids(pid: int) -> list[int]:
    """pid and all its descendants (psutil if installed, else a /proc scan)."""
    try:
        import psutil  # type: ignore[import-untyped]

        return [pid, *(child.pid for child in psutil.Process(pid).children(recursive=True))]
    except ImportError:
        parent_of: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                parent_of[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        found = [pid]
        for parent in found:  # breadth-first: the list grows while it is walked
            found += [child for child, ppid in parent_of.items() if ppid == parent]
        return found


def vm_hwm_mb(pids: list[int]) -> float:
    """Sum of VmHWM (peak resident set size) over pids, in MB."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{pid}/status").read_text().split("VmHWM:", 1)[1].split()[0])
    return total / 1024


def peak_rss(server_pid: int, pgdata: Path, reset: bool = False) -> tuple[float, float]:
    """VmHWM in MB of (server + children, embedded PostgreSQL); reset first lowers each peak to the
    current RSS (clear_refs 5) so the startup peak cannot hide growth. pg_ctl daemonizes the embedded
    postmaster, so it is no child of the server: it is found through postmaster.pid instead."""
    pg_pids: list[int] = []
    with contextlib.suppress(OSError, ValueError, IndexError):
        pg_pids = tree_pids(int((pgdata / "postmaster.pid").read_text().split()[0]))
    server_pids = tree_pids(server_pid)
    for pid in server_pids + pg_pids if reset else []:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")
    return vm_hwm_mb(server_pids), vm_hwm_mb(pg_pids)


def upload(client: httpx.Client, token: str, path: Path, sha256: str) -> float:
    """POST /upload with a multipart body streamed from disk in 1 MiB reads; MB/s end to end."""
    boundary = secrets.token_hex(16)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="patient_mrn"\r\n\r\nBENCH-0001\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="logical_name"\r\n\r\nbench.pdf\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        with path.open("rb", buffering=0) as src:
            while block := src.read(CHUNK):
                yield block
        yield tail

    size = path.stat().st_size
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Length": str(len(head) + size + len(tail)),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    start = time.perf_counter()
    response = client.post("/upload", content=body(), headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 201 or response.json().get("sha256") != sha256:
        raise RuntimeError(f"upload failed: {response.status_code} {response.text[:300]}")
    return size / MB / elapsed


def upload_curl(port: int, token: str, path: Path, sha256: str) -> float:
    """The same upload sent by curl: on 2 cores a Python client would compete with the server for CPU."""
    size = path.stat().st_size
    command = [
        "curl",
        "-sS",
        "--fail-with-body",
        "-X",
        "POST",
        f"http://127.0.0.1:{port}/upload",
        "-H",
        f"Authorization: Bearer {token}",
        "-H",
        "Expect:",
        "-F",
        "patient_mrn=BENCH-0001",
        "-F",
        "logical_name=bench.pdf",
        "-F",
        f"file=@{path};type=application/pdf",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, timeout=600)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or json.loads(done.stdout).get("sha256") != sha256:
        raise RuntimeError(f"curl upload failed: {done.returncode} {done.stdout[:300]!r}")
    return size / MB / elapsed


def wait_ready(client: httpx.Client, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and server.poll() is None:
        with contextlib.suppress(httpx.TransportError):
            if client.get("/health/ready").status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"server not ready (exit code {server.poll()}):\n{log.read_text()[-3000:]}")


async def pg_admin(maintenance_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(maintenance_url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def row(name: str, *values: float | str) -> None:
    print(f"{name:40}" + "".join(f"{v:>10.2f}" if isinstance(v, float) else f"{v:>10}" for v in values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (data dir, server log)")
    parser.add_argument(
        "--client",
        choices=["curl", "httpx"],
        default="curl" if shutil.which("curl") else "httpx",
        help="upload client (default curl: a C client leaves the CPU to the server)",
    )
    parser.add_argument(
        "--pg",
        metavar="URL",
        help="e.g. postgresql://postgres@127.0.0.1:5432/postgres:\n"
        "use a throwaway database there instead of the embedded server",
    )
    args = parser.parse_args()
    size, port = args.size_mb * MB, args.port or free_port()
    work = Path(tempfile.mkdtemp(prefix="multimed-bench-"))
    data_dir, payload, log = work / "data", work / "payload.pdf", work / "server.log"
    password = secrets.token_urlsafe(18)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULTIMED_")}
    env |= {
        "MULTIMED_DATA_DIR": str(data_dir),
        "MULTIMED_ENV": "dev",
        "MULTIMED_ADMIN_PASSWORD": password,
        "MULTIMED_MAX_PDF_BYTES": str(size + MB),
        "MULTIMED_LOG_LEVEL": "WARNING",
    }
    database = f"multimed_bench_{secrets.token_hex(4)}" if args.pg else None
    if args.pg:
        env["MULTIMED_DATABASE_URL"] = urlsplit(args.pg)._replace(path=f"/{database}").geturl()
    exe = Path(sys.executable).with_name("multimed")
    program = str(exe) if exe.exists() else shutil.which("multimed") or "multimed"
    command = [program, "serve", "--host", "127.0.0.1", "--port", str(port)]
    server: subprocess.Popen[bytes] | None = None
    try:
        if args.pg:
            asyncio.run(pg_admin(args.pg, f'CREATE DATABASE "{database}"'))
        print(f"generating {args.size_mb} MB payload in {work} ...", flush=True)
        sha256 = make_payload(payload, size)
        with log.open("wb") as log_file:
            server = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            wait_ready(client, server, log)
            auth = client.post("/auth/token", data={"username": "admin", "password": password})
            token = auth.raise_for_status().json()["access_token"]
            warm_sha = make_payload(work / "warmup.pdf", MB)
            upload(client, token, work / "warmup.pdf", warm_sha)  # first-use imports/pools are not growth
            base, base_pg = peak_rss(server.pid, data_dir / "postgres", reset=True)
            raw: list[float] = []
            up: list[float] = []
            for _ in range(args.runs):  # interleaved, so background load hits both alike
                raw.append(raw_write(payload, data_dir / "blobs" / ".bench-raw"))
                if args.client == "curl":
                    up.append(upload_curl(port, token, payload, sha256))
                else:
                    up.append(upload(client, token, payload, sha256))
            peak, peak_pg = peak_rss(server.pid, data_dir / "postgres")
        ratio, growth = statistics.median(up) / statistics.median(raw), peak - base
        print(
            f"\n{args.size_mb} MB payload, {args.runs} runs, client: {args.client}, "
            f"db: {database or 'embedded'}, "
            f"raw writes to {data_dir / 'blobs'}"
        )
        row("", "best", "median")
        row("raw disk write MB/s (1 MiB + fsync)", max(raw), statistics.median(raw))
        row("REST /upload MB/s (end to end)", max(up), statistics.median(up))
        row("ratio upload/raw (target >= 0.5)", max(up) / max(raw), ratio)
        row("VmHWM MB (peak reset after warm-up)", "baseline", "peak", "growth")
        row("server process + children", base, peak, growth)
        if not args.pg:
            row("embedded PostgreSQL (info)", base_pg, peak_pg, peak_pg - base_pg)
        verdict = {True: "PASS", False: "FAIL"}
        print(f"\nratio (median) {ratio:.2f} >= {RATIO_TARGET}: {verdict[ratio >= RATIO_TARGET]}")
        print(f"RSS growth {growth:.1f} MB < {GROWTH_TARGET_MB:.0f} MB: {verdict[growth < GROWTH_TARGET_MB]}")
    except Exception as exc:  # report, never fail: this is a benchmark
        print(f"benchmark error: {exc}", file=sys.stderr)
    finally:
        if server is not None:
            # SIGINT, not SIGTERM: uvicorn re-raises the signal after its graceful shutdown, and only
            # SIGINT (KeyboardInterrupt) lets atexit stop the embedded PostgreSQL; SIGTERM orphans it.
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if database:
            with contextlib.suppress(Exception):
                asyncio.run(pg_admin(args.pg, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
