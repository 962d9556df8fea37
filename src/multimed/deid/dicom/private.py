"""Private elements the Retain Safe Private option may keep: a reviewed list, empty by default."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pydicom.dataset import Dataset

SAFE_PRIVATE_FILE = "safe-private.json"


@dataclass(frozen=True)
class SafePrivate:
    """(group, creator, element offset) triples reviewed as unable to identify a patient."""

    elements: frozenset[tuple[int, str, int]]

    def keep_tags(self, ds: Dataset, tags: Collection[int]) -> set[int]:
        """Which of the private `tags` in `ds` are safe to keep (their creators included)."""
        if not self.elements:
            return set()
        creators = {
            tag: str(ds[tag].value).strip()
            for tag in tags
            if 0x0010 <= (tag & 0xFFFF) <= 0x00FF  # private creator slots (gggg,0010-00FF)
        }
        keep: set[int] = set()
        for tag in tags:
            element = tag & 0xFFFF
            if element < 0x1000:
                continue
            creator_tag = (tag & 0xFFFF0000) | (element >> 8)
            creator = creators.get(creator_tag)
            if creator is not None and (tag >> 16, creator, element & 0xFF) in self.elements:
                keep.update((tag, creator_tag))
        return keep


@lru_cache(maxsize=1)
def load_safe_private() -> SafePrivate:
    """The packaged safe-private list; read once per process."""
    raw = json.loads(resources.files("multimed.deid.dicom").joinpath(SAFE_PRIVATE_FILE).read_text())
    elements = frozenset(
        (int(entry["group"], 16), str(entry["creator"]), int(offset, 16))
        for entry in raw["entries"]
        for offset in entry["elements"]
    )
    return SafePrivate(elements)
