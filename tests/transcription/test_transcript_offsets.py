"""The transcript's text layout: every segment and word knows its characters and its seconds."""

from __future__ import annotations

import pytest

from multimed.ml.transcription.base import Transcript, TranscriptBuilder


def build() -> Transcript:
    builder = TranscriptBuilder()
    builder.add(
        text=" Potassium 6.8.",
        start=0.0,
        end=1.9,
        words=[(" Potassium", 0.0, 0.8, 0.9), (" 6.8.", 0.9, 1.9, 0.8)],
        avg_logprob=-0.2,
        no_speech_prob=0.01,
    )
    builder.add(text="   ", start=1.9, end=2.0, words=[], avg_logprob=-1.0, no_speech_prob=0.9)
    builder.add(
        text=" Start lisinopril.",
        start=2.5,
        end=4.0,
        words=[(" Start", 2.5, 2.9, 0.9), (" lisinopril.", 3.0, 4.0, 0.7)],
        avg_logprob=-0.3,
        no_speech_prob=0.02,
    )
    builder.add(
        text=" No word timings here.", start=5.0, end=7.0, words=[], avg_logprob=-0.3, no_speech_prob=0.0
    )
    return builder.build(
        language="en", duration_seconds=8.0, engine="e", model="m", version="1", seconds_processed=2.0
    )


def test_text_joins_segments_with_single_spaces() -> None:
    transcript = build()
    assert transcript.text == "Potassium 6.8. Start lisinopril. No word timings here."
    assert len(transcript.segments) == 3  # the blank one is dropped
    assert transcript.rtf == pytest.approx(0.25)


def test_segment_and_word_offsets_point_at_their_text() -> None:
    transcript = build()
    for segment in transcript.segments:
        assert transcript.text[segment.char_start : segment.char_end] == segment.text
        for word in segment.words:
            assert transcript.text[word.char_start : word.char_end] == word.text
    assert [w.text for w in transcript.words] == ["Potassium", "6.8.", "Start", "lisinopril."]


@pytest.mark.parametrize(
    ("quote", "seconds"),
    [
        ("6.8", (0.9, 1.9)),
        ("Potassium 6.8", (0.0, 1.9)),
        ("lisinopril", (3.0, 4.0)),
        ("6.8. Start", (0.9, 2.9)),
        ("timings", (5.0, 7.0)),  # no words: the segment's span
    ],
)
def test_a_quoted_span_maps_to_seconds(quote: str, seconds: tuple[float, float]) -> None:
    transcript = build()
    start = transcript.text.index(quote)
    assert transcript.time_span(start, start + len(quote)) == seconds


def test_offsets_outside_speech() -> None:
    transcript = build()
    assert transcript.time_span(len(transcript.text), len(transcript.text) + 5) is None
    assert transcript.segment_at(0) is transcript.segments[0]
    assert transcript.segment_at(transcript.text.index("Start")) is transcript.segments[1]
    assert transcript.segment_at(len(transcript.text)) is None
