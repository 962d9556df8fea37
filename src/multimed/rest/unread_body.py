"""Reading what is left of a refused request's body, so that closing the connection does not reset it.

A 401 or 403 from `@protected` is decided from the headers, before the handler reads the body. The error
answer closes the connection (rest/responses.py); a body still on its way then reaches a closed socket, the
kernel answers it with a reset, and the client can see `ECONNRESET` instead of the answer (newman did, on a
loaded machine, uploading a 1.6 kB form). So a small unread body is read and dropped first, as servers do on
a lingering close (Go's net/http reads up to 256 KiB). Larger or slower bodies are left: the answer goes out
and the connection closes anyway.
"""

from __future__ import annotations

import asyncio

from starlette.requests import ClientDisconnect, Request

LINGER_BYTES = 256 * 1024
LINGER_SECONDS = 2.0


async def drop_unread_body(request: Request) -> None:
    """Read and drop up to LINGER_BYTES of `request`'s body within LINGER_SECONDS; the body must be unread."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > LINGER_BYTES):
        return
    if length is None and "chunked" not in request.headers.get("transfer-encoding", "").lower():
        return  # no body
    read = 0
    try:
        async with asyncio.timeout(LINGER_SECONDS):
            async for chunk in request.stream():
                read += len(chunk)
                if read > LINGER_BYTES:
                    return
    except (TimeoutError, ClientDisconnect):
        return
