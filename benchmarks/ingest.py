"""Ingest benchmark: raw disk write vs. REST /upload throughput, and server memory growth.

    .venv/bin/python benchmarks/ingest.py [--size-mb 200] [--runs 3] [--port N] [--keep] [--pg URL]

Always exits 0 (a benchmark, not a test); prints PASS/FAIL against the targets. MB = 2**20 bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
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
        head = b"%PDF-1.4\n"
        out.write(head)
        digest.update(head)
        left = size - len(head)
        while left > 0:
            block = os.urandom(min(CHUNK, left))
            out.write(block)
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def raw_write(source: Path, target: Path) -> float:
    """Copy source to target with 1 MiB writes + fsync (page-cache read, real disk write); MB/s."""
    start = time.perf_counter()
    with source.open("rb", buffering=0) as src:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
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
        import psutil

        return [pid, *(child.pid for child in psutil.Process(pid).children(recursive=True))]
    except ImportError:
        parent_of: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                parent_of[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        found = [pid]
        for child in sorted(parent_of):  # children have larger pids, except after pid wrap-around
            if parent_of[child] in found:
                found.append(child)
        return found


def vm_hwm_mb(pids: list[int]) -> float:
    """Sum of VmHWM (peak resident set) over pids, in MB."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError):
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(status.split("VmHWM:", 1)[1].split()[0])
    return total / 1024


def peak_rss(server_pid: int, pgdata: Path) -> tuple[float, float]:
    """(server process + children, embedded PostgreSQL daemon + children) VmHWM in MB.

    pg_ctl daemonizes the embedded postmaster, so it is not a child of the server: found via postmaster.pid.
    """
    pg = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        pg = vm_hwm_mb(tree_pids(int((pgdata / "postmaster.pid").read_text().split()[0])))
    return vm_hwm_mb(tree_pids(server_pid)), pg


def multipart_body(path: Path, boundary: str, fields: dict[str, str]) -> tuple[Iterator[bytes], int]:
    """A streamed multipart/form-data body (1 MiB reads from disk) and its exact length."""
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ) + (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
         "Content-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        with path.open("rb", buffering=0) as src:
            while block := src.read(CHUNK):
                yield block
        yield tail

    return chunks(), len(head) + path.stat().st_size + len(tail)


def upload(client: httpx.Client, token: str, path: Path, sha256: str) -> float:
    boundary = secrets.token_hex(16)
    body, length = multipart_body(path, boundary, {"patient_mrn": "BENCH-0001", "logical_name": "bench.pdf"})
    headers = {"Authorization": f"Bearer {token}", "Content-Length": str(length),
               "Content-Type": f"multipart/form-data; boundary={boundary}"}
    start = time.perf_counter()
    response = client.post("/upload", content=body, headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 201 or response.json()["sha256"] != sha256:
        raise RuntimeError(f"upload failed: {response.status_code} {response.text[:300]}")
    return path.stat().st_size / MB / elapsed


def wait_ready(client: httpx.Client, server: subprocess.Popen[bytes], log: Path,
               timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if client.get("/health/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server not ready after {timeout}s:\n{log.read_text()[-3000:]}")


async def pg_admin(maintenance_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(maintenance_url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    parser.add_argument("--keep", action="store_true", help="keep the temp data dir and print its path")
    parser.add_argument("--pg", metavar="URL", help="maintenance URL, e.g. postgresql://postgres@127.0.0.1:5432"
                        "/postgres: use a throwaway database there instead of the embedded server")
    args = parser.parse_args()
    size, port = args.size_mb * MB, args.port or free_port()
    work = Path(tempfile.mkdtemp(prefix="multimed-bench-"))
    data_dir, payload, log = work / "data", work / "payload.pdf", work / "server.log"
    password = secrets.token_urlsafe(18)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULTIMED_")}
    env |= {"MULTIMED_DATA_DIR": str(data_dir), "MULTIMED_ENV": "dev", "MULTIMED_ADMIN_PASSWORD": password,
            "MULTIMED_MAX_PDF_BYTES": str(size + MB), "MULTIMED_LOG_LEVEL": "WARNING"}
    database = f"multimed_bench_{secrets.token_hex(4)}" if args.pg else None
    if args.pg:
        asyncio.run(pg_admin(args.pg, f'CREATE DATABASE "{database}"'))
        env["MULTIMED_DATABASE_URL"] = args.pg.rsplit("/", 1)[0] + f"/{database}"
    exe = Path(sys.executable).with_name("multimed")
    command = [str(exe) if exe.exists() else shutil.which("multimed") or "multimed",
               "serve", "--host", "127.0.0.1", "--port", str(port)]
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"generating {args.size_mb} MB payload in {work} ...", flush=True)
        sha256 = make_payload(payload, size)
        with log.open("wb") as log_file:
            server = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            wait_ready(client, server, log)
            auth = client.post("/auth/token", data={"username": "admin", "password": password})
            auth.raise_for_status()
            token = auth.json()["access_token"]
            warm = work / "warmup.pdf"
            warm_sha = make_payload(warm, MB)
            upload(client, token, warm, warm_sha)  # first-request lazy imports/pools are not "growth"
            base, base_pg = peak_rss(server.pid, data_dir / "postgres")
            blob_dir = data_dir / "blobs"
            raw = [raw_write(payload, blob_dir / f".bench-raw-{i}") for i in range(args.runs)]
            up = [upload(client, token, payload, sha256) for _ in range(args.runs)]
            peak, peak_pg = peak_rss(server.pid, data_dir / "postgres")
        ratio = statistics.median(up) / statistics.median(raw)
        growth = peak - base
        rows = [("raw disk write MB/s (1 MiB + fsync)", f"{max(raw):.1f}", f"{statistics.median(raw):.1f}"),
                ("REST /upload MB/s (end to end)", f"{max(up):.1f}", f"{statistics.median(up):.1f}"),
                ("ratio upload/raw", f"{max(up) / max(raw):.2f}", f"{ratio:.2f}")]
        print(f"\n{args.size_mb} MB payload, {args.runs} runs, server pid {server.pid}, "
              f"db={'server ' + str(database) if args.pg else 'embedded'}")
        print(f"{'':40}{'best':>10}{'median':>10}")
        for name, best, median in rows:
            print(f"{name:40}{best:>10}{median:>10}")
        print(f"{'VmHWM MB':40}{'baseline':>10}{'peak':>10}{'growth':>10}")
        print(f"{'server process + children':40}{base:>10.1f}{peak:>10.1f}{growth:>10.1f}")
        if not args.pg:
            print(f"{'embedded PostgreSQL (info)':40}{base_pg:>10.1f}{peak_pg:>10.1f}{peak_pg - base_pg:>10.1f}")
        print(f"\nratio (median) {ratio:.2f} >= {RATIO_TARGET}: "
              f"{'PASS' if ratio >= RATIO_TARGET else 'FAIL'}")
        print(f"RSS growth {growth:.1f} MB < {GROWTH_TARGET_MB:.0f} MB: "
              f"{'PASS' if growth < GROWTH_TARGET_MB else 'FAIL'}")
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
            asyncio.run(pg_admin(args.pg, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
