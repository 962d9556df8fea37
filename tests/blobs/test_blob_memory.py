"""Streaming keeps memory flat: measured allocations, not timings."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from collections.abc import AsyncIterator

from blob_helpers import MIB

from multimed.blobs.envelope import PlaintextTally, decrypt_stream, encrypt_stream, new_data_key

TOTAL = 64 * MIB
LIMIT = 8 * MIB


async def generated(total: int, pattern: list[bytes]) -> AsyncIterator[bytes]:
    """Yield `total` bytes cycling through pre-built pieces, so the source itself allocates nothing."""
    sent, index = 0, 0
    while sent < total:
        piece = pattern[index % len(pattern)]
        yield piece
        sent += len(piece)
        index += 1


def make_pattern() -> list[bytes]:
    block = os.urandom(MIB)
    return [block[:300_000], block[300_000:700_001], block[700_001:]]


async def test_encrypting_64_mib_keeps_peak_below_8_mib() -> None:
    pattern = make_pattern()
    stored = 0
    tracemalloc.start()
    try:
        async for record in encrypt_stream(generated(TOTAL, pattern), new_data_key()):
            stored += len(record)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored > TOTAL
    assert peak < LIMIT, f"peak {peak / MIB:.1f} MiB"


async def test_encrypt_then_decrypt_pipeline_keeps_peak_below_8_mib() -> None:
    pattern = make_pattern()
    expected = hashlib.sha256()
    for piece in await _collect_pattern_stream(pattern):
        expected.update(piece)
    key, tally, digest, received = new_data_key(), PlaintextTally(), hashlib.sha256(), 0
    tracemalloc.start()
    try:
        ciphertext = encrypt_stream(generated(TOTAL, pattern), key, tally=tally)
        async for plain in decrypt_stream(ciphertext, key):
            digest.update(plain)
            received += len(plain)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == tally.size
    assert digest.hexdigest() == tally.sha256 == expected.hexdigest()
    assert peak < LIMIT, f"peak {peak / MIB:.1f} MiB"


async def _collect_pattern_stream(pattern: list[bytes]) -> list[bytes]:
    # Same sequence of (shared) piece objects as generated(); no copies are made.
    return [piece async for piece in generated(TOTAL, pattern)]
