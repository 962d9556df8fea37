"""Speech-to-text engines behind one interface, the audio decoding they share and their model files."""

from multimed.ml.transcription.audio import AudioError
from multimed.ml.transcription.base import Segment, Transcriber, Transcript, Word
from multimed.ml.transcription.registry import KNOWN, build_transcriber

__all__ = ["KNOWN", "AudioError", "Segment", "Transcriber", "Transcript", "Word", "build_transcriber"]
