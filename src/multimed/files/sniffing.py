"""File kind from magic bytes only; the filename and the client's content type are never trusted."""

from __future__ import annotations

from dataclasses import dataclass

from multimed.files.errors import UnsupportedFileType
from multimed.files.models import FileKind

# Enough for every signature below (DICOM's magic sits at offset 128; MP4's brand at 8).
SNIFF_BYTES = 512


@dataclass(frozen=True)
class Sniffed:
    kind: FileKind
    content_type: str


_MP4_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"isom", b"mp41", b"iso2", b"dash", b"M4V "}


def _mpeg_audio_frame(head: bytes) -> bool:
    # Frame sync: 11 set bits, a valid MPEG version and layer, and a bitrate index that is not "bad".
    if len(head) < 4 or head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
        return False
    version, layer, bitrate = (head[1] >> 3) & 0x3, (head[1] >> 1) & 0x3, head[2] >> 4
    return version != 1 and layer != 0 and bitrate != 0xF


def sniff(head: bytes) -> Sniffed:
    """The kind and content type of a file from its first bytes, or UnsupportedFileType with the reason."""
    if not head:
        raise UnsupportedFileType("the file is empty")
    if head.lstrip(b"\x00\t\n\r\x0c ").startswith(b"%PDF-"):
        return Sniffed(FileKind.PDF, "application/pdf")
    if len(head) >= 132 and head[128:132] == b"DICM":
        return Sniffed(FileKind.DICOM, "application/dicom")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed(FileKind.AUDIO, "audio/wav")
    if head[:3] == b"ID3" or _mpeg_audio_frame(head):
        return Sniffed(FileKind.AUDIO, "audio/mpeg")
    if head[:4] == b"OggS":
        return Sniffed(FileKind.AUDIO, "audio/ogg")
    if head[:4] == b"fLaC":
        return Sniffed(FileKind.AUDIO, "audio/flac")
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_AUDIO_BRANDS:
        return Sniffed(FileKind.AUDIO, "audio/mp4")
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]:
        return Sniffed(FileKind.AUDIO, "audio/webm")
    if len(head) < 132 and not head.startswith(b"%PDF"):
        raise UnsupportedFileType("the file is too short to identify; expected PDF, DICOM or audio")
    raise UnsupportedFileType(
        "the content is not a PDF, a DICOM file (DICM preamble) or a supported audio format"
    )
