"""UID remapping: keyed, deterministic 2.25 UIDs so references across a study's files stay valid."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from pydicom.datadict import tag_for_keyword

DICOM_ROOT = "1.2.840.10008."
UUID_ROOT = "2.25."

# UIDs that name a class, a syntax or a code system, never an instance: replacing them would make
# the file unreadable (wrong SOP class, unknown transfer syntax) and they say nothing about a patient.
WELL_KNOWN_UID_KEYWORDS = (
    "SOPClassUID",
    "ReferencedSOPClassUID",
    "TransferSyntaxUID",
    "MediaStorageSOPClassUID",
    "ImplementationClassUID",
    "ReferencedSOPClassUIDInFile",
    "ReferencedTransferSyntaxUIDInFile",
    "RelatedGeneralSOPClassUID",
    "OriginalSpecializedSOPClassUID",
    "SOPClassesInStudy",
    "EncryptedContentTransferSyntaxUID",
    "CodingSchemeUID",
    "ContextUID",
    "MappingResourceUID",
)
WELL_KNOWN_UID_TAGS = frozenset(tag_for_keyword(k) or 0 for k in WELL_KNOWN_UID_KEYWORDS)


def is_well_known(tag: int, uid: str) -> bool:
    """Whether a UID is a class/syntax identifier that must be left as it is."""
    return tag in WELL_KNOWN_UID_TAGS or uid.startswith(DICOM_ROOT)


def remap_uid(uid: str, key: bytes) -> str:
    """The replacement for one UID: 2.25.<first 16 bytes of HMAC-SHA256(key, uid)>."""
    digest = hmac.new(key, uid.strip("\x00 ").encode("ascii", "replace"), hashlib.sha256).digest()
    return UUID_ROOT + str(int.from_bytes(digest[:16], "big"))


class UidMapper:
    """Remaps UIDs with one key, memoising within a run (a study repeats the same few UIDs)."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._seen: dict[str, str] = {}

    def remap(self, uid: str) -> str:
        """The new UID for `uid` (same key, same input -> same output, in every file)."""
        new = self._seen.get(uid)
        if new is None:
            new = self._seen[uid] = remap_uid(uid, self._key)
        return new

    def remap_values(self, tag: int, values: Iterable[str]) -> tuple[list[str], int]:
        """Each value remapped unless well-known; also how many were changed."""
        out: list[str] = []
        changed = 0
        for value in values:
            if not value or is_well_known(tag, value):
                out.append(value)
            else:
                out.append(self.remap(value))
                changed += 1
        return out, changed
