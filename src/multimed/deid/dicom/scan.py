"""Release gate for DICOM: where in a dataset something identifying remains (tags only, never values)."""

from __future__ import annotations

from collections.abc import Sequence

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from multimed.deid.dicom.dates import cap_age
from multimed.deid.dicom.identifiers import IdentifierMatcher
from multimed.deid.dicom.private import SafePrivate, load_safe_private
from multimed.deid.dicom.profile import DicomOptions, Rules, load_profile
from multimed.deid.dicom.uids import UUID_ROOT, is_well_known
from multimed.deid.dicom.vr import TEXT_VRS, base_vr, is_dummy, is_empty

# Where the service writes the patient's pseudonyms: not dummies, but checked for identifiers like all text.
_PSEUDONYM_TAGS = frozenset({0x00100010, 0x00100020})


def residual_phi(
    ds: Dataset,
    *,
    original_identifiers: Sequence[str],
    options: DicomOptions | None = None,
) -> list[str]:
    """Paths of elements that still identify, e.g. "(0008,1115)[0].(0010,0010)"; [] means releasable.

    `options` are the options the dataset was de-identified with (DicomReport.options); None checks
    against the Basic Profile, the strictest reading.
    """
    scanner = _Scanner(options or DicomOptions(), IdentifierMatcher(original_identifiers))
    file_meta = getattr(ds, "file_meta", None)
    if file_meta is not None:
        scanner.dataset(file_meta, "", top=False)
    scanner.dataset(ds, "", top=True)
    return list(dict.fromkeys(scanner.findings))


class _Scanner:
    """Collects findings while walking every element and nested item."""

    def __init__(self, options: DicomOptions, matcher: IdentifierMatcher) -> None:
        self.options = options
        self.rules: Rules = load_profile().rules(options)
        self.matcher = matcher
        self.safe_private: SafePrivate = load_safe_private()
        self.findings: list[str] = []

    def dataset(self, ds: Dataset, path: str, *, top: bool) -> None:
        """Check each element of `ds`, recursing into sequences."""
        tags = list(ds.keys())
        private = [t for t in tags if t.is_private]
        safe = self.safe_private.keep_tags(ds, private) if self.options.retain_safe_private else set()
        for elem in ds:
            label = f"{path}({elem.tag >> 16:04X},{elem.tag & 0xFFFF:04X})"
            if elem.tag.is_private and elem.tag not in safe:
                self.findings.append(label)
                continue
            vr = base_vr(elem.VR)
            if self._identifies(elem, vr, top=top):
                self.findings.append(label)
            if vr == "SQ":
                for index, item in enumerate(elem.value):
                    self.dataset(item, f"{label}[{index}].", top=False)

    def _identifies(self, elem: DataElement, vr: str, *, top: bool) -> bool:
        value = elem.value
        if is_empty(value):
            return False
        resolution = self.rules.get(elem.tag)
        action = resolution.action if resolution else self._unlisted_action(vr)
        pseudonym = top and elem.tag in _PSEUDONYM_TAGS
        if action in ("X", "Z", "D") and not pseudonym and not is_dummy(vr, value):
            return True
        if vr == "UI" and not self.options.retain_uids:
            values = value if isinstance(value, MultiValue | list) else [value]
            if any(v and not is_well_known(elem.tag, v) and not v.startswith(UUID_ROOT) for v in values):
                return True
        if vr == "AS" and cap_age(str(value)) != str(value):
            return True
        return (vr in TEXT_VRS or vr == "UN") and self.matcher.found_in(value)

    def _unlisted_action(self, vr: str) -> str:
        """Mirror of the de-identifier's rule for unlisted dates: they must have been shifted or removed."""
        if vr in ("DA", "DT"):
            if self.options.retain_long_modified_dates:
                return "C"
            return "K" if self.options.retain_long_full_dates else "X"
        return "K"
