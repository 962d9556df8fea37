"""Decoding every committed container to 16 kHz mono float32, streaming, windows, and typed failures."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from multimed.ml.transcription import audio
from multimed.ml.transcription.audio import AudioError
from transcription.speech_fixtures import AUDIO

FILES = sorted(json.loads((AUDIO / "expected.json").read_text(encoding="utf-8"))["files"])
# AAC decoders emit up to ~1,100 samples of encoder priming at the rate of the file (24 kHz here).
TOLERANCE_S = 0.06


def rms(samples: audio.Samples) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


@pytest.mark.parametrize("name", FILES)
def test_every_container_decodes_to_16k_mono(name: str, expected: dict[str, Any]) -> None:
    # Given a fixture in one of WAV, FLAC, MP3, M4A, OGG/Opus, WebM/Opus (8-48 kHz, mono or stereo)
    info = expected["files"][name]
    # When it is decoded
    samples = audio.decode(AUDIO / name)
    # Then it is a flat float32 array at 16 kHz of the synthesised length, with the speech's loudness
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert abs(len(samples) / audio.SAMPLE_RATE - info["duration"]) < TOLERANCE_S
    assert abs(audio.duration(AUDIO / name) - info["duration"]) < TOLERANCE_S
    assert 0.05 < rms(samples) < 0.5
    assert np.abs(samples).max() < 1.5


@pytest.mark.parametrize("name", ["chest_pain.flac", "chest_pain.mp3", "chest_pain.m4a", "chest_pain.webm"])
def test_containers_carry_the_same_signal(name: str) -> None:
    # The WAV is the reference; lossy codecs may shift it by a few ms (priming), so compare envelopes.
    reference = audio.decode(AUDIO / "chest_pain.wav")
    other = audio.decode(AUDIO / name)
    frame = audio.SAMPLE_RATE // 50
    n = min(len(reference), len(other)) // frame * frame
    envelope_a = np.sqrt(np.mean(np.square(reference[:n].reshape(-1, frame)), axis=1))
    envelope_b = np.sqrt(np.mean(np.square(other[:n].reshape(-1, frame)), axis=1))
    assert np.corrcoef(envelope_a, envelope_b)[0, 1] > 0.9


def test_streaming_chunks_are_bounded_and_complete() -> None:
    whole = audio.decode(AUDIO / "two_dictations.ogg")
    chunks = list(audio.stream_pcm(AUDIO / "two_dictations.ogg", chunk_seconds=2.0))
    assert all(len(c) == 2 * audio.SAMPLE_RATE for c in chunks[:-1])
    assert 0 < len(chunks[-1]) <= 2 * audio.SAMPLE_RATE
    np.testing.assert_array_equal(np.concatenate(chunks), whole)


def test_file_objects_decode_and_keep_their_position() -> None:
    data = (AUDIO / "chest_pain.mp3").read_bytes()
    handle = io.BytesIO(data)
    seconds = audio.duration(handle)
    assert handle.tell() == 0
    samples = audio.decode(handle)
    assert abs(len(samples) / audio.SAMPLE_RATE - seconds) < TOLERANCE_S


def test_windows_cover_the_recording_and_cut_in_the_pause() -> None:
    whole = audio.decode(AUDIO / "two_dictations.ogg")  # 22.7 s: speech, 1.5 s pause at ~12.0-13.5 s, speech
    windows = list(audio.windows(AUDIO / "two_dictations.ogg", window_seconds=14.0))
    offsets = [round(offset * audio.SAMPLE_RATE) for offset, _ in windows]
    assert offsets[0] == 0
    for (offset, samples), next_offset in zip(windows, offsets[1:], strict=False):
        assert round(offset * audio.SAMPLE_RATE) + len(samples) == next_offset
        assert len(samples) <= 14 * audio.SAMPLE_RATE
    np.testing.assert_array_equal(np.concatenate([s for _, s in windows]), whole)
    # The first cut falls in the silence between the dictations, not inside a word.
    assert 11.9 < windows[1][0] < 13.9
    assert rms(whole[offsets[1] - 160 : offsets[1] + 160]) < 0.01


def test_pieces_split_at_the_quietest_moment() -> None:
    rng = np.random.default_rng(0)
    samples = (rng.standard_normal(10 * audio.SAMPLE_RATE) * 0.3).astype(np.float32)
    samples[7 * audio.SAMPLE_RATE : 7 * audio.SAMPLE_RATE + 1600] = 0  # 0.1 s of silence at 7 s
    pieces = list(audio.pieces(samples, seconds=8.0))
    assert [len(p) for _, p in pieces] == [pieces[1][0], len(samples) - pieces[1][0]]
    assert 7 * audio.SAMPLE_RATE <= pieces[1][0] <= 7 * audio.SAMPLE_RATE + 1600


def test_pieces_split_in_the_longest_pause_not_a_gap_between_words() -> None:
    rng = np.random.default_rng(1)
    rate = audio.SAMPLE_RATE
    samples = (rng.standard_normal(30 * rate) * 0.3).astype(np.float32)
    samples[int(21.0 * rate) : int(21.8 * rate)] *= 0.001  # a sentence pause: quiet, not silent, 0.8 s
    samples[int(26.0 * rate) : int(26.06 * rate)] = 0  # a gap between words: silent, 60 ms
    [(_, first), (cut, _)] = list(audio.pieces(samples, seconds=28.0))
    assert len(first) == cut
    assert 21.3 * rate <= cut <= 21.5 * rate  # the middle of the pause


def test_garbage_is_a_typed_error(tmp_path: Path) -> None:
    bad = tmp_path / "note.mp3"
    bad.write_bytes(b"this is not audio at all " * 200)
    with pytest.raises(AudioError) as caught:
        audio.decode(bad)
    assert caught.value.code == audio.UNDECODABLE
    assert "note" not in caught.value.message  # no file names (they may carry patient names)


def test_empty_file_is_a_typed_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioError) as caught:
        audio.duration(empty)
    assert caught.value.code == audio.UNDECODABLE


def test_video_without_audio_is_a_typed_error(tmp_path: Path) -> None:
    video = tmp_path / "silent.mkv"
    with av.open(str(video), mode="w") as out:
        stream = out.add_stream("ffv1", rate=Fraction(5, 1))
        stream.width, stream.height, stream.pix_fmt = 16, 16, "yuv420p"
        for i in range(3):
            frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), dtype=np.uint8), format="rgb24")
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    with pytest.raises(AudioError) as caught:
        audio.decode(video)
    assert caught.value.code == audio.NO_AUDIO


def test_a_missing_file_is_not_hidden(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        audio.decode(tmp_path / "nowhere.wav")
