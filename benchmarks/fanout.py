"""Subscription fan-out benchmark: N WebSocket subscribers of one job's progress on a live server.

    .venv/bin/python benchmarks/fanout.py [--subscribers 500] [--events 20] [--client-processes 1]

A live `multimed serve` (API only: MULTIMED_JOB_CONCURRENCY=0, events on Redis pub/sub as in a cluster) gets a
real upload; N clients, in separate processes, open graphql-transport-ws connections and subscribe to
`jobProgress` of its job. This process then plays the worker: it publishes progress events into Redis (the
path a Celery worker's events take), each stamped with its publish time. Delay = receive time - publish time,
per event per subscriber, measured on this machine's clock. Every subscriber must receive every event, in
order, then `complete`. Target: p99 <= 100 ms with 500 subscribers. Always exits 0.

The subscribers are `Subscriber`s: raw asyncio protocols speaking RFC 6455 and graphql-transport-ws
themselves, so that the client's CPU, which shares the machine with the server (in production the
dashboards are elsewhere), is little more than the kernel's: see `Subscriber` for what one does.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import multiprocessing
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import httpx
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import free_port, pg_admin, wait_ready

TARGET_P99_MS = 100.0
PROTOCOL = "graphql-transport-ws"
QUERY = "subscription($id: ID!) { jobProgress(jobId: $id) { status progress at } }"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def masked_frame(opcode: int, payload: bytes) -> bytes:
    """A client-to-server frame: FIN, `opcode`, masked with a fresh key (RFC 6455 section 5.2/5.3)."""
    key = os.urandom(4)
    size = len(payload)
    if size < 126:
        header = bytes([0x80 | opcode, 0x80 | size])
    elif size < 1 << 16:
        header = bytes([0x80 | opcode, 0x80 | 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x80 | opcode, 0x80 | 127]) + size.to_bytes(8, "big")
    stream = (key * (size // 4 + 1))[:size]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(stream, "big")).to_bytes(size, "big")
    return header + key + masked


class Subscriber(asyncio.Protocol):
    """One graphql-transport-ws subscriber on a raw TCP connection, as light as a correct client can be.

    It does the RFC 6455 opening handshake (checks the 101, Sec-WebSocket-Accept and the subprotocol), sends
    connection_init with the token, waits for connection_ack, subscribes, and waits for the first `next` (the
    job's current state), all parsed as they come. From then on each data chunk is only timestamped on arrival
    and split into frames: text and binary payloads are kept with the chunk's time, a ping is answered with
    its pong, a close with a close. The JSON of the events is parsed after the run (`results`), so this
    client's work delays later arrivals as little as it can on a machine it shares with the server.
    """

    def __init__(self, host: str, port: int, token: str, job_gid: str) -> None:
        self.host, self.port, self.token, self.job_gid = host, port, token, job_gid
        self.key = base64.b64encode(os.urandom(16))
        self.buffer = bytearray()
        self.fragments: list[bytes] = []
        self.fragment_opcode = OP_TEXT
        self.handshaken = False
        self.stage = "connection_ack"  # then "next" (the current state), then "events"
        self.subscribed = asyncio.get_running_loop().create_future()
        self.finished = asyncio.get_running_loop().create_future()
        self.arrivals: list[tuple[float, bytes]] = []
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        request = (
            f"GET /graphql HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {self.key.decode()}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {PROTOCOL}\r\n\r\n"
        )
        transport.write(request.encode())

    def data_received(self, data: bytes) -> None:
        at = time.time()
        self.buffer += data
        if not self.handshaken and not self._handshake():
            return
        try:
            self._frames(at)
        except ConnectionError as exc:
            self._fail(exc)

    def _frames(self, at: float) -> None:
        while (frame := self._next_frame()) is not None:
            opcode, payload = frame
            if opcode in (OP_TEXT, OP_BINARY):
                self._message(at, payload)
            elif opcode == OP_PING:
                self._send(OP_PONG, payload)
            elif opcode == OP_CLOSE:
                self._send(OP_CLOSE, payload[:2])
                self._fail(ConnectionError(f"closed by the server: {payload[:2].hex()}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(exc or ConnectionError("connection lost"))

    def _handshake(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        del self.buffer[: end + 4]
        headers = {
            name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in head[1:])
        }
        accept = base64.b64encode(hashlib.sha1(self.key + WS_GUID, usedforsecurity=False).digest()).decode()
        if not head[0].startswith("HTTP/1.1 101") or headers.get("sec-websocket-accept") != accept:
            self._fail(ConnectionError(f"handshake refused: {head[0]}"))
            return False
        if headers.get("sec-websocket-protocol") != PROTOCOL:
            self._fail(ConnectionError("the server did not accept graphql-transport-ws"))
            return False
        self.handshaken = True
        self._send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}})
        return True

    def _next_frame(self) -> tuple[int, bytes] | None:
        """The next complete message's opcode and payload, taken off the buffer; None until one is there."""
        buffer = self.buffer
        while len(buffer) >= 2:
            first, second = buffer[0], buffer[1]
            if second & 0x80:
                raise ConnectionError("a server frame must not be masked")
            size, start = second & 0x7F, 2
            if size == 126:
                size, start = int.from_bytes(buffer[2:4], "big"), 4
            elif size == 127:
                size, start = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < start + size:
                return None
            payload = bytes(buffer[start : start + size])
            del buffer[: start + size]
            opcode = first & 0x0F
            if opcode >= OP_CLOSE:  # control frames are never fragmented and may come between fragments
                return opcode, payload
            self.fragments.append(payload)
            if opcode != OP_CONTINUATION:
                self.fragment_opcode = opcode
            if first & 0x80:  # FIN
                whole, self.fragments = b"".join(self.fragments), []
                return self.fragment_opcode, whole
        return None

    def _message(self, at: float, payload: bytes) -> None:
        if self.stage == "events":
            self.arrivals.append((at, payload))
            if b'"type":"complete"' in payload and not self.finished.done():
                self.finished.set_result(None)
            return
        message = json.loads(payload)
        if self.stage == "connection_ack" and message["type"] == "connection_ack":
            self.stage = "next"
            query = {"query": QUERY, "variables": {"id": self.job_gid}}
            self._send_json({"id": "1", "type": "subscribe", "payload": query})
        elif self.stage == "next" and message["type"] == "next" and message["id"] == "1":
            self.stage = "events"
            self.subscribed.set_result(None)
        else:
            self._fail(ConnectionError(f"unexpected {message.get('type')} while waiting for {self.stage}"))

    def _send_json(self, message: dict[str, object]) -> None:
        self._send(OP_TEXT, json.dumps(message).encode())

    def _send(self, opcode: int, payload: bytes) -> None:
        assert self.transport is not None
        if not self.transport.is_closing():
            self.transport.write(masked_frame(opcode, payload))

    def _fail(self, exc: Exception) -> None:
        for waiter in (self.subscribed, self.finished):
            if not waiter.done():
                waiter.set_exception(exc)
                waiter.exception()  # retrieved: the other waiter may be the one awaited
        if self.transport is not None:
            self.transport.close()

    def results(self) -> tuple[list[float], list[float]]:
        """(progress of each event received, in order; its delay in ms), up to `complete`."""
        progress, delays = [], []
        for at, raw in self.arrivals:
            message = json.loads(raw)
            if message["type"] == "complete" and message["id"] == "1":
                break
            if message["type"] != "next" or message["id"] != "1" or "errors" in message["payload"]:
                raise ValueError(f"unexpected message: {message['type']}")
            event = message["payload"]["data"]["jobProgress"]
            progress.append(event["progress"])
            delays.append((at - datetime.fromisoformat(event["at"]).timestamp()) * 1000)
        return progress, delays


@dataclass
class ClientReport:
    """What one client process sends back: its subscribers' results and its CPU while events came."""

    connect_seconds: float
    cpu_seconds: float = 0.0
    delays: list[float] = field(default_factory=list)
    received: int = 0
    in_order: int = 0  # subscribers that received exactly the published events, in order, then `complete`
    failures: list[str] = field(default_factory=list)


def client_process(
    pipe: Connection, port: int, token: str, job_gid: str, count: int, expected: list[float]
) -> None:
    """A process of `count` subscribers: reports ready once all listen, then its report once all are done."""
    with contextlib.suppress(ImportError):  # the server's loop too (uvicorn's default when uvloop is there)
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    asyncio.run(run_clients(pipe, port, token, job_gid, count, expected))


async def run_clients(
    pipe: Connection, port: int, token: str, job_gid: str, count: int, expected: list[float]
) -> None:
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    subscribers = []
    for i in range(count):  # connect in waves, as dashboards would over a few seconds
        subscriber = Subscriber("127.0.0.1", port, token, job_gid)
        await loop.create_connection(lambda s=subscriber: s, "127.0.0.1", port)  # type: ignore[misc]
        subscribers.append(subscriber)
        if (i + 1) % 50 == 0:
            await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*(s.subscribed for s in subscribers)), timeout=300)
    report = ClientReport(connect_seconds=time.perf_counter() - started)
    cpu_before = time.process_time()
    pipe.send(report)  # ready: the publisher starts
    finished = [s.finished for s in subscribers]
    await asyncio.wait(finished, timeout=len(expected) * 10 + 60)
    report.cpu_seconds = time.process_time() - cpu_before
    for subscriber in subscribers:
        if subscriber.transport is not None:
            subscriber.transport.close()
        try:
            progress, delays = subscriber.results()
        except (ValueError, KeyError) as exc:
            report.failures.append(str(exc))
            continue
        report.delays += delays
        report.received += len(delays)
        if progress == expected and subscriber.finished.done() and subscriber.finished.exception() is None:
            report.in_order += 1
        elif len(report.failures) < 5:
            report.failures.append(f"received {progress} of {expected}")
    pipe.send(report)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its descendants (/proc/<pid>/stat fields 14 and 15 of each)."""
    total = 0.0
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        total += sum(process_cpu_seconds(int(child)) for child in path.read_text().split())
    return total


def progress_of(i: int, events: int) -> float:
    return 1.0 if i == events else round(i / events, 3)


async def measure(args: argparse.Namespace, port: int, token: str, job_id: str, server_pid: int) -> None:
    """Subscribe N clients in separate processes, publish the events as a worker would, print the delays."""
    job_gid = base64.urlsafe_b64encode(f"Job:{job_id}".encode()).decode().rstrip("=")
    expected = [progress_of(i, args.events) for i in range(1, args.events + 1)]
    context = multiprocessing.get_context("spawn")
    shares = [
        args.subscribers // args.client_processes + (i < args.subscribers % args.client_processes)
        for i in range(args.client_processes)
    ]
    pipes, processes = [], []
    for share in shares:
        ours, theirs = context.Pipe()
        process = context.Process(target=client_process, args=(theirs, port, token, job_gid, share, expected))
        process.start()
        theirs.close()  # the child's end: ours then reads EOF if the child dies
        pipes.append(ours)
        processes.append(process)
    loop = asyncio.get_running_loop()
    try:
        ready = [await loop.run_in_executor(None, pipe.recv) for pipe in pipes]
        redis = Redis.from_url(args.redis)
        channel = f"multimed:events:job:{job_id}"
        cpu_before = process_cpu_seconds(server_pid)
        for i in range(1, args.events + 1):
            event = {
                "jobId": job_id,
                "status": "SUCCEEDED" if i == args.events else "RUNNING",
                "stage": "ANALYZE",
                "progress": progress_of(i, args.events),
                "message": "analyze",
                "at": datetime.now(UTC).isoformat(),
            }
            await redis.publish(channel, json.dumps(event))
            await asyncio.sleep(args.interval)
        reports: list[ClientReport] = [await loop.run_in_executor(None, pipe.recv) for pipe in pipes]
        server_cpu = process_cpu_seconds(server_pid) - cpu_before
        await redis.aclose()
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    delays = sorted(d for report in reports for d in report.delays)
    received = sum(report.received for report in reports)
    in_order = sum(report.in_order for report in reports)
    client_cpu = sum(report.cpu_seconds for report in reports)
    expected_total = args.subscribers * args.events
    p50 = statistics.median(delays) if delays else float("nan")
    p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))] if delays else float("nan")
    print(
        f"API processes: {args.workers}; client processes: {args.client_processes}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"subscribers: {args.subscribers} (all connected and subscribed in "
        f"{max(r.connect_seconds for r in ready):.1f} s)"
    )
    print(
        f"events published: {args.events}, one every {args.interval} s; received {received} of "
        f"{expected_total}; subscribers with every event in order then complete: {in_order}"
    )
    for failure in [f for report in reports for f in report.failures][:5]:
        print(f"  failure: {failure}")
    if delays:
        print(f"delay ms: p50 {p50:.1f}, p99 {p99:.1f}, max {delays[-1]:.1f}")
    delivered = max(received, 1)
    print(
        f"CPU per delivered event: server {server_cpu / delivered * 1e6:.0f} us, "
        f"clients {client_cpu / delivered * 1e6:.0f} us (both share the machine's CPUs)"
    )
    ok = p99 <= TARGET_P99_MS and in_order == args.subscribers
    print(
        f"p99 <= {TARGET_P99_MS:.0f} ms, every event in order to every subscriber: {'PASS' if ok else 'FAIL'}"
    )


def run(args: argparse.Namespace) -> None:
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="multimed-fanout-"))
    password = secrets.token_urlsafe(18)
    database = f"multimed_bench_{secrets.token_hex(4)}"
    asyncio.run(pg_admin(args.pg, f'CREATE DATABASE "{database}"'))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULTIMED_")} | {
        "MULTIMED_DATA_DIR": str(work),
        "MULTIMED_ENV": "dev",
        "MULTIMED_ADMIN_PASSWORD": password,
        "MULTIMED_DATABASE_URL": urlsplit(args.pg)._replace(path=f"/{database}").geturl(),
        "MULTIMED_REDIS_URL": args.redis,
        "MULTIMED_JOB_CONCURRENCY": "0",
        "MULTIMED_LOG_LEVEL": "WARNING",
    }
    exe = Path(sys.executable).with_name("multimed")
    log = work / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            wait_ready(client, server, log)
            auth = client.post("/auth/token", data={"username": "admin", "password": password})
            token = auth.json()["access_token"]
            upload = client.post(
                "/upload",
                headers={"Authorization": f"Bearer {token}"},
                data={"patient_mrn": "FANOUT-1"},
                files={"file": ("a.pdf", PDF)},
            ).json()
        asyncio.run(measure(args, port, token, upload["job_id"], server.pid))
    finally:
        server.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=30)
        asyncio.run(pg_admin(args.pg, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=500)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument(
        "--interval",
        type=float,
        default=0.5,
        help="seconds between published events (a job emits one per stage or progress step)",
    )
    parser.add_argument("--workers", type=int, default=2, help="API processes (`multimed serve --workers`)")
    parser.add_argument(
        "--client-processes", type=int, default=1, help="processes the subscribers are spread over"
    )
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    try:
        run(parser.parse_args())
    except Exception as exc:  # report, never fail: this is a benchmark (a handshake can time out under load)
        print(f"benchmark error: {type(exc).__name__}: {exc}", file=sys.stderr)


if __name__ == "__main__":
    main()
