"""Chunk borders for long texts: covering, overlapping, cut at breaks."""

from __future__ import annotations

import itertools

import pytest

from multimed.ml.phi.chunking import split_into_chunks


def test_short_text_is_one_chunk() -> None:
    [chunk] = split_into_chunks("short note", max_chars=100, overlap=10)
    assert (chunk.start, chunk.end, chunk.keep_start, chunk.keep_end) == (0, 10, 0, 10)


@pytest.mark.parametrize("text", ["word " * 5000, "para one.\n\npara two.\n\n" * 900, "x" * 12345])
def test_cores_tile_the_text_and_windows_overlap(text: str) -> None:
    chunks = split_into_chunks(text, max_chars=1000, overlap=100)
    assert chunks[0].keep_start == 0
    assert chunks[-1].keep_end == len(text)
    assert all(a.keep_end == b.keep_start for a, b in itertools.pairwise(chunks))
    assert all(c.end - c.start <= 1000 for c in chunks)
    assert all(
        c.start <= max(0, c.keep_start - 100) and c.end >= min(len(text), c.keep_end + 100) for c in chunks
    )


def test_cuts_at_paragraphs_when_it_can() -> None:
    text = "para one.\n\npara two.\n\n" * 900
    chunks = split_into_chunks(text, max_chars=1000, overlap=100)
    assert all(text[c.keep_end - 2 : c.keep_end] == "\n\n" for c in chunks[:-1])
