"""A refused upload's small body is read before the answer, so the closing connection is not reset.

Over a real socket to uvicorn: the 401 is decided from the headers, and before this change it went out at
once and the connection closed while the body was on its way (newman saw ECONNRESET on a loaded machine).
"""

from __future__ import annotations

import asyncio

from factories.servers import uvicorn_in_loop
from multimed.app import create_app
from multimed.rest.unread_body import LINGER_BYTES
from multimed.runtime import Runtime

BOUNDARY = "multimedboundary"
BODY = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="patient_mrn"\r\n\r\nMRN-1\r\n'
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="r.pdf"\r\n'
    f"Content-Type: application/pdf\r\n\r\n%PDF-1.4 {'x' * 1500}\r\n--{BOUNDARY}--\r\n"
).encode()


def headers(length: int) -> bytes:
    return (
        f"POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: {length}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
    ).encode()


async def answer_of(reader: asyncio.StreamReader) -> bytes:
    return await asyncio.wait_for(reader.read(), timeout=10)  # until the server closes


async def test_the_body_is_read_before_the_401(runtime: Runtime) -> None:
    async with uvicorn_in_loop(create_app(runtime=runtime)) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(headers(len(BODY)))
        await writer.drain()
        # The server waits for the body instead of answering and closing under it.
        early = asyncio.ensure_future(reader.read(1))
        done, _ = await asyncio.wait({early}, timeout=0.5)
        assert not done, "answered before the body arrived"
        writer.write(BODY)
        await writer.drain()
        answer = await early + await answer_of(reader)  # a reset would raise ConnectionResetError here
        writer.close()
    assert answer.startswith(b"HTTP/1.1 401")
    assert b"WWW-Authenticate: Bearer" in answer.replace(b"www-authenticate", b"WWW-Authenticate")
    assert answer.rstrip().endswith(b"}")  # the whole JSON error body arrived


async def test_a_large_body_is_not_waited_for(runtime: Runtime) -> None:
    async with uvicorn_in_loop(create_app(runtime=runtime)) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(headers(LINGER_BYTES + 1))
        await writer.drain()
        answer = await answer_of(reader)  # at once, without a byte of the body sent
        writer.close()
    assert answer.startswith(b"HTTP/1.1 401")
