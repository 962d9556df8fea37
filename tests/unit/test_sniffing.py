"""File kinds come from magic bytes."""

from __future__ import annotations

import pytest

from multimed.files.errors import UnsupportedFileType
from multimed.files.models import FileKind
from multimed.files.sniffing import sniff

PAD = b"\x00" * 600


@pytest.mark.parametrize(
    ("head", "kind", "content_type"),
    [
        (b"%PDF-1.7\n" + PAD, FileKind.PDF, "application/pdf"),
        (b"\n\r %PDF-1.4" + PAD, FileKind.PDF, "application/pdf"),
        (b"\x00" * 128 + b"DICM" + PAD, FileKind.DICOM, "application/dicom"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + PAD, FileKind.AUDIO, "audio/wav"),
        (b"ID3\x04\x00" + PAD, FileKind.AUDIO, "audio/mpeg"),
        (b"\xff\xfb\x90\x64" + PAD, FileKind.AUDIO, "audio/mpeg"),
        (b"OggS\x00\x02" + PAD, FileKind.AUDIO, "audio/ogg"),
        (b"fLaC\x00\x00\x00\x22" + PAD, FileKind.AUDIO, "audio/flac"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + PAD, FileKind.AUDIO, "audio/mp4"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + PAD, FileKind.AUDIO, "audio/webm"),
    ],
)
def test_known_kinds(head: bytes, kind: FileKind, content_type: str) -> None:
    assert (sniff(head).kind, sniff(head).content_type) == (kind, content_type)


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        (b"", "the file is empty"),
        (b"hello", "the file is too short to identify; expected PDF, DICOM or audio"),
        (
            b"MZ\x90\x00" + PAD,
            "the content is not a PDF, a DICOM file (DICM preamble) or a supported audio format",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + PAD,
            "the content is not a PDF, a DICOM file (DICM preamble) or a supported audio format",
        ),
        (
            b"\xff\xff\xff\xff" + PAD,
            "the content is not a PDF, a DICOM file (DICM preamble) or a supported audio format",
        ),
        (
            b"\x00\x00\x00\x20ftypqt  " + PAD,
            "the content is not a PDF, a DICOM file (DICM preamble) or a supported audio format",
        ),
    ],
)
def test_unsupported_kinds_say_why(head: bytes, reason: str) -> None:
    with pytest.raises(UnsupportedFileType) as caught:
        sniff(head)
    assert caught.value.message == reason
