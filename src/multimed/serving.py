"""`multimed serve --workers N`: N API processes, each accepting on its own SO_REUSEPORT socket.

uvicorn's own `--workers` shares one listening socket among the processes, and each process's event loop
accepts every connection waiting when it wakes. A burst of new keep-alive connections (a load balancer's
pool, a dashboard fleet reconnecting) then lands mostly on whichever process woke first, and stays there:
with 50 keep-alive clients on 2 processes we measured a 43/7 split, so one process queued six times the
work of the other and the tail latency was that process's.

With SO_REUSEPORT each process listens on a socket of its own bound to the same address, and Linux spreads
new connections over the sockets by a hash of their addresses (nginx's `reuseport`, gunicorn's
`--reuse-port`). uvicorn's supervisor is kept (health checks, restarts, signals); only the socket it hands a
worker differs: `WorkerSocket` is pickled to each spawned worker as its address, and unpickles there as a
fresh socket of the group. A worker that is replaced gets a fresh socket too; connections still queued on
the dead worker's socket are lost with it, as with any process that dies with a connection unaccepted.
"""

from __future__ import annotations

import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A bound, not yet listening, TCP socket in the SO_REUSEPORT group of (host, port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class WorkerSocket(socket.socket):
    """The parent's placeholder for the address: it binds the port (so a clash fails before any worker
    starts) but never listens, so it never takes a connection; each worker gets its own socket instead."""

    def __reduce__(self) -> tuple[Any, ...]:
        host, port = self.getsockname()[:2]
        return (reuse_port_socket, (host, port))


def serve_workers(app: str, *, workers: int, host: str, port: int, **options: Any) -> None:
    """Run `workers` processes of the app factory `app` under uvicorn's supervisor, one socket each."""
    config = uvicorn.Config(app, factory=True, workers=workers, host=host, port=port, **options)
    placeholder = reuse_port_socket(host, port)
    sock = WorkerSocket(placeholder.family, placeholder.type, fileno=placeholder.detach())
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
