"""Decoding any audio container through PyAV into 16 kHz mono float32, in bounded chunks.

WAV, MP3, M4A/AAC, OGG/Opus, FLAC and WebM (and anything else FFmpeg demuxes) go through the same path:
the first audio stream is decoded packet by packet and resampled, so memory stays bounded by the chunk size
however long the recording is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import av.container
import numpy as np
import numpy.typing as npt

from multimed.core.errors import DomainError
from multimed.ml.transcription.base import AudioSource

SAMPLE_RATE = 16_000
Samples = npt.NDArray[np.float32]

UNDECODABLE = "audio_undecodable"
NO_AUDIO = "audio_no_stream"
EMPTY = "audio_empty"


class AudioError(DomainError):
    """The recording cannot be used. `code` says why; the message never carries file names or content."""

    code = UNDECODABLE
    status = 422


@contextmanager
def _opened(source: AudioSource) -> Iterator[av.container.InputContainer]:
    """The container, with a file object's position restored afterwards (so it can be read again)."""
    position = None if isinstance(source, str | Path) else source.tell()
    try:
        target = os.fspath(source) if isinstance(source, Path) else source
        container = av.open(target, mode="r", metadata_errors="ignore")
    except FileNotFoundError:
        raise
    except (av.FFmpegError, ValueError, EOFError) as exc:
        raise AudioError(f"not a decodable audio file ({type(exc).__name__})", code=UNDECODABLE) from None
    try:
        yield container
    finally:
        container.close()
        if position is not None and not isinstance(source, str | Path):
            source.seek(position)


def _audio_stream(container: av.container.InputContainer) -> av.AudioStream:
    if not container.streams.audio:
        raise AudioError("the file holds no audio stream", code=NO_AUDIO)
    return container.streams.audio[0]


def _mono(frame: av.AudioFrame) -> Samples:
    """A resampled packed float mono frame, shape (1, n), as a flat float32 array."""
    return np.asarray(frame.to_ndarray(), dtype=np.float32).reshape(-1)


def _resampled(container: av.container.InputContainer, stream: av.AudioStream) -> Iterator[Samples]:
    """Every decoded frame of `stream` as 16 kHz mono float32; damaged packets are skipped."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.InvalidDataError:
                continue  # one damaged packet: drop it as FFmpeg's own tools do, keep the rest
            for frame in frames:
                frame.pts = None  # timestamps from broken muxers must not stop the resampler
                try:
                    outputs = resampler.resample(frame)
                except ValueError:  # the input format changed mid-stream: flush and start anew
                    for out in resampler.resample(None):
                        yield _mono(out)
                    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
                    outputs = resampler.resample(frame)
                for out in outputs:
                    yield _mono(out)
        for out in resampler.resample(None):
            yield _mono(out)
    except av.FFmpegError as exc:
        raise AudioError(f"the audio could not be decoded ({type(exc).__name__})", code=UNDECODABLE) from None


def stream_pcm(source: AudioSource, *, chunk_seconds: float = 30.0) -> Iterator[Samples]:
    """16 kHz mono float32 chunks of `chunk_seconds` (the last one shorter), in order.

    Raises AudioError: UNDECODABLE (not a media file, or broken), NO_AUDIO, EMPTY (no samples at all).
    """
    size = max(1, round(chunk_seconds * SAMPLE_RATE))
    with _opened(source) as container:
        stream = _audio_stream(container)
        pending: list[Samples] = []
        buffered = 0
        total = 0
        for samples in _resampled(container, stream):
            pending.append(samples)
            buffered += len(samples)
            while buffered >= size:
                joined = np.concatenate(pending)
                yield joined[:size]
                total += size
                rest = joined[size:]
                pending, buffered = [rest], len(rest)
        if buffered:
            total += buffered
            yield np.concatenate(pending)
        if total == 0:
            raise AudioError("the audio stream holds no samples", code=EMPTY)


def decode(source: AudioSource) -> Samples:
    """The whole recording as one 16 kHz mono float32 array (for short clips; see `stream_pcm`)."""
    return np.concatenate(list(stream_pcm(source)))


def duration(source: AudioSource) -> float:
    """Seconds of audio, from the container's header when it has one, else by decoding."""
    with _opened(source) as container:
        stream = _audio_stream(container)
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if container.duration is not None:
            return container.duration / av.time_base
    return sum(len(chunk) for chunk in stream_pcm(source)) / SAMPLE_RATE


QUIET_DB = -35.0  # a 20 ms frame this far below the loudest frame of the stretch counts as a pause


def quiet_cut(samples: Samples, *, search_seconds: float) -> int:
    """Index inside the last `search_seconds` of `samples` where it is best cut: the middle of the longest
    pause there (a run of 20 ms frames QUIET_DB below the loudest frame), else of its quietest 20 ms.

    The longest pause, not the quietest instant: between dictated sentences there are pauses of a second,
    between words gaps of a few hundredths, and a cut in such a gap starts the next piece mid-sentence,
    where Whisper is most likely to drop or invent text.
    """
    frame = SAMPLE_RATE // 50
    search = min(len(samples) // 2, round(search_seconds * SAMPLE_RATE)) // frame * frame
    if search < frame:
        return len(samples)
    frames = samples[: len(samples) // frame * frame].reshape(-1, frame)
    power = np.einsum("ij,ij->i", frames, frames)  # energy of each 20 ms frame
    first = len(power) - search // frame
    start, energies = first * frame, power[first:]
    loudest = float(power.max())
    quiet = energies <= loudest * 10 ** (QUIET_DB / 10)
    best_start, best_length, run_start = -1, 0, 0
    for i, is_quiet in enumerate([*quiet.tolist(), False]):
        if not is_quiet:
            if i - run_start > best_length:
                best_start, best_length = run_start, i - run_start
            run_start = i + 1
    if best_length == 0:
        return start + int(np.argmin(energies)) * frame + frame // 2
    return start + best_start * frame + best_length * frame // 2


def pieces(
    samples: Samples, *, seconds: float, search_seconds: float = 10.0
) -> Iterator[tuple[int, Samples]]:
    """(sample offset, piece) pieces of at most `seconds` covering `samples`, each cut at a quiet moment."""
    size = max(1, round(seconds * SAMPLE_RATE))
    offset = 0
    while len(samples) - offset > size:
        cut = quiet_cut(samples[offset : offset + size], search_seconds=search_seconds)
        yield offset, samples[offset : offset + cut]
        offset += cut
    if offset < len(samples):
        yield offset, samples[offset:]


def windows(
    source: AudioSource, *, window_seconds: float, search_seconds: float = 5.0
) -> Iterator[tuple[float, Samples]]:
    """(offset in seconds, samples) windows of at most `window_seconds`, covering the recording.

    Each window ends at the quietest moment of its last `search_seconds`, so a cut rarely splits a word.
    Memory holds at most one window plus one 30 s chunk.
    """
    size = max(1, round(window_seconds * SAMPLE_RATE))
    pending: list[Samples] = []
    buffered = 0
    offset = 0
    for chunk in stream_pcm(source, chunk_seconds=min(window_seconds, 30.0)):
        pending.append(chunk)
        buffered += len(chunk)
        if buffered < size:
            continue
        carry = np.concatenate(pending)
        while len(carry) >= size:
            cut = quiet_cut(carry[:size], search_seconds=search_seconds)
            yield offset / SAMPLE_RATE, carry[:cut]
            offset += cut
            carry = carry[cut:]
        pending, buffered = [carry], len(carry)
    if buffered:
        yield offset / SAMPLE_RATE, np.concatenate(pending)
