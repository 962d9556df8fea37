"""API load benchmark: `summaries(filter: {patientToken, from, to})` under 50 concurrent clients, with the
page cache warm (Redis) and disabled, next to a constant query (`{ __typename }`) on the same server stack.

    .venv/bin/python benchmarks/api_load.py [--summaries 10000] [--patients 1000] [--clients 50]
        [--seconds 10] [--pg URL] [--redis URL] [--port N] [--keep]

Starts `multimed serve` in a subprocess twice on one throwaway database (cache on, then
MULTIMED_CACHE_ENABLED=false), seeds the summaries in bulk SQL, and prints p50/p99 latency and requests/s.
Targets (PASS/FAIL): p99 <= 50 ms cached, <= 150 ms uncached, throughput >= 0.5 of the constant query with the
cache on (the cache is what is to make repeated summary queries about as cheap as a bare query; the uncached
ratio is printed for information: benchmarks/README.md says what an uncached page costs).
Always exits 0 (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import free_port, pg_admin

P99_CACHED_MS, P99_UNCACHED_MS, RATIO_TARGET = 50.0, 150.0, 0.5
CONSTANT = "{ __typename }"
SUMMARIES = """
query($token: String!, $from: DateTime!, $to: DateTime!) {
  summaries(filter: {patientToken: $token, from: $from, to: $to}, first: 20) {
    totalCount
    edges { node { id version createdAt hasCritical text sections { title statements { text severity } } } }
  }
}
"""
# Two date windows per patient: the warm phase asks only these, so every key is cached before measuring.
WINDOWS = [("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"), ("2024-07-01T00:00:00Z", "2025-01-01T00:00:00Z")]
SECTIONS = json.dumps(
    [
        {
            "title": "Critical findings",
            "statements": [
                {
                    "text": "Potassium 6.8 mmol/L (3.5-5.1) HH",
                    "severity": "CRITICAL",
                    "citations": [],
                    "findingIds": [],
                }
            ],
        },
        {
            "title": "Normal results in brief",
            "statements": [
                {"text": "Sodium 139 mmol/L", "severity": "NORMAL", "citations": [], "findingIds": []}
            ],
        },
    ]
)


async def seed(database_url: str, *, patients: int, summaries: int) -> list[str]:
    """Patients and their summaries (created at random times in 2024) in two INSERT … SELECT statements,
    in the admin's organization. Returns the patient tokens."""
    import asyncpg

    conn = await asyncpg.connect(database_url)
    try:
        org = await conn.fetchval("SELECT organization_id FROM users WHERE username = 'admin'")
        async with conn.transaction():
            rows = await conn.fetch(
                "INSERT INTO patients (id, organization_id, token, created_at) "
                "SELECT gen_random_uuid(), $1, "
                "encode(sha256(convert_to('bench-' || g, 'UTF8')), 'hex'), now() "
                "FROM generate_series(1, $2) g RETURNING id, token",
                org,
                patients,
            )
            await conn.execute(
                "INSERT INTO summaries (id, organization_id, patient_id, job_id, version, has_critical, "
                "sections, text, html, source_file_ids, summarizer, seconds, created_at) "
                "SELECT gen_random_uuid(), $1, p.id, NULL, s.n / $3 + 1, s.n % 3 = 0, $4::jsonb, "
                "'Critical findings: Potassium 6.8 mmol/L (3.5-5.1) HH. Normal: Sodium 139 mmol/L.', "
                "'<p class=\"critical\">Potassium 6.8 mmol/L</p>', '[]'::jsonb, 'bench', 0, "
                "timestamptz '2024-01-01' + random() * interval '365 days' "
                "FROM generate_series(0, $2 - 1) s(n) "
                "JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM patients "
                "      WHERE organization_id = $1) p ON p.i = s.n % $3",
                org,
                summaries,
                patients,
                SECTIONS,
            )
        await conn.execute("ANALYZE patients; ANALYZE summaries")
        return [r["token"] for r in rows]
    finally:
        await conn.close()


@dataclass
class Result:
    name: str
    latencies: list[float]
    seconds: float
    errors: int
    server_cpu: float = 0.0  # CPU seconds the server process used during the phase
    quantiles: dict[float, float] | None = None  # from wrk, which keeps its own histogram
    count: int | None = None
    split: list[int] | None = None  # connections per API process, sampled mid-phase

    @property
    def requests(self) -> int:
        return self.count if self.count is not None else len(self.latencies)

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request: unlike latency, not inflated when other work shares the CPUs."""
        return self.server_cpu / max(self.requests, 1) * 1000

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def quantile_ms(self, q: float) -> float:
        if self.quantiles is not None:
            return self.quantiles[q] * 1000
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(q * 100) - 1] * 1000


async def load(
    base_url: str,
    token: str,
    name: str,
    body: Callable[[random.Random], dict[str, Any]],
    *,
    clients: int,
    seconds: float,
) -> Result:
    """`clients` concurrent keep-alive connections, each sending its next request when the last returned."""
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30, headers=headers) as client:

        async def worker(seed: int) -> None:
            nonlocal errors
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    response = await client.post("/graphql", json=body(rng))
                except httpx.HTTPError:
                    errors += 1
                    continue
                elapsed = time.perf_counter() - start
                if response.status_code != 200 or "errors" in response.json():
                    errors += 1
                else:
                    latencies.append(elapsed)

        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(worker(i) for i in range(clients)))
        return Result(name, latencies, time.perf_counter() - started, errors)


WRK_SCRIPT = """
local tokens = {%(tokens)s}
local windows = {%(windows)s}
local query = %(query)s
local errors = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(bearer)s"
request = function()
  local w = windows[math.random(#windows)]
  local body
  if query == "" then
    body = '{"query":"{ __typename }"}'
  else
    body = '{"query":' .. query .. ',"variables":{"token":"' .. tokens[math.random(#tokens)] ..
      '","from":"' .. w[1] .. '","to":"' .. w[2] .. '"}}'
  end
  return wrk.format(nil, "/graphql", nil, body)
end
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors":', 1, true) then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%f %%f %%f\\n", summary.requests, errors + summary.errors.status,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk_load(
    base_url: str, token: str, name: str, tokens: list[str], *, constant: bool, clients: int, seconds: float
) -> Result:
    """`clients` keep-alive connections from wrk (one C thread: little CPU taken from the server), each
    sending its next request when the last returned; a Lua script draws the patient and the window."""
    script = WRK_SCRIPT % {
        "tokens": ",".join(json.dumps(t) for t in tokens),
        "windows": ",".join("{" + json.dumps(a) + "," + json.dumps(b) + "}" for a, b in WINDOWS),
        "query": '""' if constant else json.dumps(json.dumps(SUMMARIES)),
        "bearer": token,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        out = subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{seconds:.0f}s", "-s", lua.name, f"{base_url}/graphql"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    fields = next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]
    requests, errors = int(fields[0]), int(fields[1])
    duration, p50, p99 = (float(f) for f in fields[2:])
    return Result(name, [], duration, errors, quantiles={0.5: p50 / 1000, 0.99: p99 / 1000}, count=requests)


async def warm(base_url: str, token: str, tokens: list[str]) -> None:
    """Ask every (patient, window) once, 50 at a time, so the measured phase reads only cached pages."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=headers) as client:
        pending = [
            {"query": SUMMARIES, "variables": {"token": t, "from": w[0], "to": w[1]}}
            for t in tokens
            for w in WINDOWS
        ]
        for i in range(0, len(pending), 50):
            await asyncio.gather(*(client.post("/graphql", json=b) for b in pending[i : i + 50]))


def _children(pid: int) -> list[int]:
    """Every descendant (uvicorn's worker processes under `--workers N`)."""
    found: list[int] = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in path.read_text().split():
            found += [int(child), *_children(int(child))]
    return found


class Server:
    """`multimed serve` in a subprocess; stopped with SIGINT (uvicorn's graceful path)."""

    def __init__(self, env: dict[str, str], port: int, log: Path, workers: int = 1) -> None:
        exe = Path(sys.executable).with_name("multimed")
        program = str(exe) if exe.exists() else shutil.which("multimed") or "multimed"
        self.port, self.log, self.workers = port, log, workers
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [program, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 180
        with httpx.Client(base_url=self.url, timeout=5) as client:
            while time.monotonic() < deadline and self.process.poll() is None:
                with contextlib.suppress(httpx.TransportError):
                    if client.get("/health/ready").status_code == 200:
                        return
                time.sleep(0.5)
        raise RuntimeError(f"server not ready (exit {self.process.poll()}):\n{self.log.read_text()[-3000:]}")

    def login(self, password: str) -> str:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            answer = client.post("/auth/token", data={"username": "admin", "password": password})
            return str(answer.raise_for_status().json()["access_token"])

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process and its worker processes (/proc/<pid>/stat fields
        14 and 15 of each)."""
        total = 0.0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def connections(self) -> list[int]:
        """Established connections to the server's port held by each API process (its sockets' inodes in
        /proc/<pid>/fd matched with /proc/net/tcp): the kernel's SO_REUSEPORT hash splits wrk's clients."""
        established = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == self.port and fields[3] == "01":
                established.add(fields[9])
        counts = []
        for pid in _children(self.process.pid) or [self.process.pid]:
            with contextlib.suppress(OSError):
                links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
                counts.append(sum(link[8:-1] in established for link in links if link.startswith("socket:[")))
        # The supervisor's helper children (multiprocessing's) hold none: only the API processes are listed.
        return sorted(counts, reverse=True)[: self.workers]

    async def measure(self, token: str, name: str, tokens: list[str], args: Any, *, constant: bool) -> Result:
        before = self.cpu_seconds()
        split = asyncio.get_running_loop().run_in_executor(None, self._split_after, args.seconds / 2)
        if args.client == "wrk":
            result = await asyncio.to_thread(
                wrk_load,
                self.url,
                token,
                name,
                tokens,
                constant=constant,
                clients=args.clients,
                seconds=args.seconds,
            )
        else:
            body = constant_body if constant else summaries_body(tokens)
            result = await load(self.url, token, name, body, clients=args.clients, seconds=args.seconds)
        result.server_cpu = self.cpu_seconds() - before
        result.split = await split
        return result

    def _split_after(self, seconds: float) -> list[int]:
        time.sleep(seconds)
        return self.connections()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def summaries_body(tokens: list[str]) -> Callable[[random.Random], dict[str, Any]]:
    def body(rng: random.Random) -> dict[str, Any]:
        start, end = rng.choice(WINDOWS)
        return {"query": SUMMARIES, "variables": {"token": rng.choice(tokens), "from": start, "to": end}}

    return body


def constant_body(rng: random.Random) -> dict[str, Any]:
    return {"query": CONSTANT}


def row(name: str, *values: float | str) -> None:
    print(f"{name:34}" + "".join(f"{v:>12.1f}" if isinstance(v, float) else f"{v:>12}" for v in values))


async def run(args: argparse.Namespace, work: Path, database_url: str) -> None:
    password = secrets.token_urlsafe(18)
    prefix = f"multimed-bench-{secrets.token_hex(4)}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULTIMED_")}
    env |= {
        "MULTIMED_DATA_DIR": str(work / "data"),
        "MULTIMED_ENV": "dev",
        "MULTIMED_ADMIN_PASSWORD": password,
        "MULTIMED_LOG_LEVEL": "WARNING",
        "MULTIMED_DATABASE_URL": database_url,
        "MULTIMED_REDIS_URL": args.redis,
        "MULTIMED_CACHE_PREFIX": prefix,
        "MULTIMED_JOB_CONCURRENCY": "0",
    }
    results: dict[str, Result] = {}
    tokens: list[str] = []
    try:
        for cached in (True, False):
            server = Server(
                env | {"MULTIMED_CACHE_ENABLED": str(cached).lower()},
                args.port or free_port(),
                work / "server.log",
                workers=args.workers,
            )
            try:
                await asyncio.to_thread(server.wait_ready)
                token = await asyncio.to_thread(server.login, password)
                if not tokens:
                    started = time.perf_counter()
                    tokens = await seed(database_url, patients=args.patients, summaries=args.summaries)
                    print(
                        f"seeded {args.summaries} summaries of {len(tokens)} patients in "
                        f"{time.perf_counter() - started:.1f} s",
                        flush=True,
                    )
                label = "cached" if cached else "uncached"
                body = summaries_body(tokens)
                # A short unmeasured run: connection pools, first-use imports, PostgreSQL's buffers.
                await load(server.url, token, "warm-up", body, clients=args.clients, seconds=2)
                results[f"constant ({label} server)"] = await server.measure(
                    token, "constant", tokens, args, constant=True
                )
                if cached:
                    await warm(server.url, token, tokens)
                results[label] = await server.measure(token, label, tokens, args, constant=False)
            finally:
                server.stop()
    finally:
        with contextlib.suppress(Exception):
            from redis.asyncio import Redis

            redis = Redis.from_url(args.redis)
            keys = [k async for k in redis.scan_iter(match=f"{prefix}:*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()
    report(args, results)


def report(args: argparse.Namespace, results: dict[str, Result]) -> None:
    load1, load5, _ = os.getloadavg()
    print(f"\nload average before/after: {args.load_before:.1f} / {load1:.1f} (1 min), {load5:.1f} (5 min)")
    print(
        f"{args.summaries} summaries, {args.patients} patients, {args.clients} clients, "
        f"{args.workers} API processes, {args.seconds:.0f} s per phase, Redis cache; "
        f"client: {args.client} in one process on {os.cpu_count()} CPUs"
    )
    row("", "requests", "errors", "req/s", "p50 ms", "p99 ms", "srv CPU ms", "conns/proc")
    for name, r in results.items():
        row(
            name,
            str(r.requests),
            str(r.errors),
            r.rps,
            r.quantile_ms(0.5),
            r.quantile_ms(0.99),
            f"{r.cpu_ms:.2f}",
            "/".join(map(str, r.split or [])),
        )
    verdict = {True: "PASS", False: "FAIL"}
    print()
    for label, target in (("cached", P99_CACHED_MS), ("uncached", P99_UNCACHED_MS)):
        r, constant = results[label], results[f"constant ({label} server)"]
        p99, ratio = r.quantile_ms(0.99), r.rps / constant.rps
        print(f"{label:8}  p99 {p99:6.1f} ms <= {target:.0f} ms: {verdict[p99 <= target]}")
        if label == "cached":
            passed = verdict[ratio >= RATIO_TARGET]
            print(f"{label:8}  throughput / constant query {ratio:.2f} >= {RATIO_TARGET}: {passed}")
        else:
            print(f"{label:8}  (info) throughput / constant query {ratio:.2f} (target: cached)")
        cpu_ratio = constant.cpu_ms / r.cpu_ms if r.cpu_ms else float("nan")
        print(f"{label:8}  (info) server CPU per request, constant / {label}: {cpu_ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--summaries", type=int, default=10_000)
    parser.add_argument("--patients", type=int, default=1_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per phase")
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    parser.add_argument(
        "--pg",
        metavar="URL",
        default=os.environ.get("MULTIMED_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="maintenance URL of a PostgreSQL server: a throwaway multimed_bench_<hex> database is created\n"
        "there and dropped afterwards",
    )
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/0", help="Redis for the cache (own key prefix)"
    )
    parser.add_argument("--workers", type=int, default=2, help="API processes (`multimed serve --workers`)")
    parser.add_argument(
        "--client",
        choices=("wrk", "httpx"),
        default="wrk" if shutil.which("wrk") else "httpx",
        help="load generator (default wrk when installed: apt-get install wrk; httpx costs the server CPU)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (data dir, server.log)")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]  # other work on the machine shares its CPUs with the server
    work = Path(tempfile.mkdtemp(prefix="multimed-api-load-"))
    database = f"multimed_bench_{secrets.token_hex(4)}"
    database_url = urlsplit(args.pg)._replace(path=f"/{database}").geturl()
    try:
        asyncio.run(pg_admin(args.pg, f'CREATE DATABASE "{database}"'))
        asyncio.run(run(args, work, database_url))
    except Exception as exc:  # report, never fail: this is a benchmark
        print(f"benchmark error: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        with contextlib.suppress(Exception):
            asyncio.run(pg_admin(args.pg, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
