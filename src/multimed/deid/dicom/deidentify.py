"""Header de-identification of one DICOM dataset under PS3.15 Annex E, in place."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydicom.datadict import dictionary_VR
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from multimed.deid.context import PatientContext
from multimed.deid.dicom.dates import cap_age, shift_value
from multimed.deid.dicom.identifiers import IdentifierMatcher, patient_identifiers
from multimed.deid.dicom.method import record_method
from multimed.deid.dicom.private import SafePrivate, load_safe_private
from multimed.deid.dicom.profile import DicomOptions, Resolution, Rules, effective_options, load_profile
from multimed.deid.dicom.uids import UidMapper
from multimed.deid.dicom.vr import TEMPORAL_VRS, TEXT_VRS, base_vr, dummy_value, empty_value, fit_text

CATEGORIES = (
    "removed",
    "emptied",
    "dummied",
    "uid_replaced",
    "dates_shifted",
    "cleaned",
    "kept",
    "private_removed",
    "residual_blanked",
)
# Kept elements of these VRs can hold neither text, UIDs, dates nor nested items: left unparsed.
_INSPECTED_VRS = TEXT_VRS | {"UI", "SQ", "UN", "AS", "DA", "DT"}
_UID = Resolution("U", "U", False)


@dataclass(frozen=True)
class DicomReport:
    """What was done to one dataset, as counts per category; never a value."""

    removed: int
    emptied: int
    dummied: int
    uid_replaced: int
    dates_shifted: int
    cleaned: int
    kept: int
    private_removed: int
    residual_blanked: int  # kept text that still held the patient's name or ID, so was emptied
    options: DicomOptions  # the options actually in effect (see effective_options)
    profile_version: str
    pixels_cleaned: bool

    def counts(self) -> dict[str, int]:
        """The per-category counts as a mapping."""
        return {name: getattr(self, name) for name in CATEGORIES}


def _unlisted_rules(options: DicomOptions) -> tuple[Resolution | None, Resolution]:
    """Rules for UI and DA/DT attributes the table does not list: still UIDs and dates of this patient."""
    uid = None if options.retain_uids else _UID
    if options.retain_long_modified_dates:
        return uid, Resolution("C", "X", True)
    return uid, Resolution("K" if options.retain_long_full_dates else "X", "X", True)


class _Walker:
    """Applies resolved actions to every element of a dataset and its nested items."""

    def __init__(
        self,
        *,
        rules: Rules,
        options: DicomOptions,
        date_shift: int | None,
        uids: UidMapper,
        clean_text: Callable[[str], str] | None,
        matcher: IdentifierMatcher,
        safe_private: SafePrivate,
    ) -> None:
        self.rules = rules
        self.options = options
        self.date_shift = date_shift
        self.uids = uids
        self.clean_text = clean_text
        self.matcher = matcher
        self.safe_private = safe_private
        self.unlisted_uid, self.unlisted_date = _unlisted_rules(options)
        self.counts: Counter[str] = Counter()

    def dataset(self, ds: Dataset, *, cleaning: bool) -> None:
        """Process every element of `ds`; `cleaning` means inside a sequence being cleaned (C)."""
        tags = list(ds.keys())
        private = [t for t in tags if (t >> 16) & 1]
        if private:
            self._private(ds, private)
        for tag in tags:
            if not (tag >> 16) & 1:
                self._element(ds, tag, cleaning)

    def _private(self, ds: Dataset, tags: Sequence[int]) -> None:
        keep = self.safe_private.keep_tags(ds, tags) if self.options.retain_safe_private else set()
        for tag in tags:
            if tag in keep:
                self._keep(ds[tag], base_vr(ds[tag].VR), cleaning=False)
            else:
                del ds[tag]
                self.counts["private_removed"] += 1

    def _element(self, ds: Dataset, tag: int, cleaning: bool) -> None:
        if tag & 0xFFFF == 0 and tag >> 16 != 0x0002:
            # Retired group lengths would be stale after removals and would mislead strict readers.
            del ds[tag]
            self.counts["removed"] += 1
            return
        stored = ds.get_item(tag, keep_deferred=True)
        vr = base_vr(stored.VR or _dictionary_vr(tag))
        resolution = self.rules.get(tag)
        if resolution is None:
            if vr == "UI":
                resolution = self.unlisted_uid
            elif vr in ("DA", "DT"):
                resolution = self.unlisted_date
        if resolution is None or resolution.action == "K":
            if not cleaning and (vr not in _INSPECTED_VRS or self._plainly_clean(stored, vr)):
                self.counts["kept"] += 1  # nothing to change: left unparsed, written back byte for byte
                return
            resolution = resolution or Resolution("K", "K", False)
        self._apply(ds, tag, resolution.action, resolution, cleaning)

    def _plainly_clean(self, stored: DataElement | RawDataElement, vr: str) -> bool:
        """Whether kept, still-encoded text is plain ASCII without the patient's identifiers."""
        if vr not in TEXT_VRS or not isinstance(stored, RawDataElement) or stored.value is None:
            return False
        # ESC starts ISO 2022 code extensions whose 7-bit bytes are not ASCII text: decode those properly.
        value = stored.value
        return value.isascii() and b"\x1b" not in value and not self.matcher.found_in(value)

    def _apply(self, ds: Dataset, tag: int, action: str, resolution: Resolution, cleaning: bool) -> None:
        if action == "X":
            del ds[tag]
            self.counts["removed"] += 1
            return
        elem = ds[tag]
        vr = base_vr(elem.VR)
        if action == "Z":
            elem.value = empty_value(vr)
            self.counts["emptied"] += 1
        elif action == "D" and vr != "UI":
            elem.value = dummy_value(vr)
            self.counts["dummied"] += 1
        elif action in ("U", "D"):
            if vr == "UI":
                self._remap(elem)
            else:
                elem.value = dummy_value(vr)
                self.counts["dummied"] += 1
        elif action == "C":
            self._clean(ds, elem, vr, resolution, cleaning)
        else:
            self._keep(elem, vr, cleaning=cleaning)

    def _remap(self, elem: DataElement) -> None:
        values = _as_list(elem.value)
        new, changed = self.uids.remap_values(elem.tag, [str(v) for v in values])
        if changed:
            elem.value = new if isinstance(elem.value, MultiValue | list) else new[0]
        self.counts["uid_replaced" if changed else "kept"] += 1

    def _clean(self, ds: Dataset, elem: DataElement, vr: str, resolution: Resolution, cleaning: bool) -> None:
        if resolution.temporal and vr in TEMPORAL_VRS and self.date_shift is not None:
            self._shift(elem, vr, self.date_shift)
        elif resolution.temporal and vr in TEXT_VRS:
            self._keep(elem, vr, cleaning=False)  # Timezone Offset From UTC: unchanged by whole-day shifts
        elif vr == "SQ" and self.clean_text is not None:
            for item in elem.value:
                self.dataset(item, cleaning=True)
            self.counts["cleaned"] += 1
        elif vr in TEXT_VRS and self.clean_text is not None:
            self._clean_text(elem, vr)
        else:
            # C we cannot perform (bytes, AE titles, no cleaner): the basic action instead.
            self._apply(ds, elem.tag, resolution.basic, resolution, cleaning)

    def _shift(self, elem: DataElement, vr: str, days: int) -> None:
        values = [str(v) for v in _as_list(elem.value)]
        if not values or all(not v for v in values):
            self.counts["kept"] += 1
            return
        shifted = [shift_value(vr, v, days) if v else "" for v in values]
        if any(s is None for s in shifted):
            elem.value = empty_value(vr)  # unparseable: we cannot shift it, so it must not stay
            self.counts["emptied"] += 1
            return
        elem.value = shifted if isinstance(elem.value, MultiValue | list) else shifted[0]
        self.counts["dates_shifted"] += 1

    def _keep(self, elem: DataElement, vr: str, *, cleaning: bool) -> None:
        if vr == "SQ":
            for item in elem.value:
                self.dataset(item, cleaning=cleaning)
        elif vr == "AS" and elem.value:
            capped = cap_age(str(elem.value))
            if capped != elem.value:
                elem.value = capped or ""
                self.counts["cleaned"] += 1
                return
        elif vr in TEXT_VRS and cleaning and self.clean_text is not None:
            self._clean_text(elem, vr)
            return
        if (vr in TEXT_VRS or vr == "UN") and self._guard(elem, vr):
            return
        self.counts["kept"] += 1

    def _clean_text(self, elem: DataElement, vr: str) -> None:
        """C for free text: every value through the cleaner, then the residual guard."""
        assert self.clean_text is not None
        values = _as_list(elem.value)
        if not any(str(v) for v in values):
            self.counts["kept"] += 1  # nothing to clean
            return
        cleaned = [fit_text(vr, self.clean_text(str(v))) if str(v) else "" for v in values]
        elem.value = cleaned if isinstance(elem.value, MultiValue | list) else cleaned[0]
        if not self._guard(elem, vr):
            self.counts["cleaned"] += 1

    def _guard(self, elem: DataElement, vr: str) -> bool:
        """Residual guard: empty a kept text value that still contains the patient's name or ID."""
        if self.matcher and self.matcher.found_in(elem.value):
            elem.value = empty_value(vr)
            self.counts["residual_blanked"] += 1
            return True
        return False


def _dictionary_vr(tag: int) -> str:
    try:
        return dictionary_VR(tag)
    except KeyError:
        return "UN"


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, MultiValue | list):
        return list(value)
    return [value]


def deidentify_dataset(
    ds: Dataset,
    *,
    ctx: PatientContext,
    options: DicomOptions,
    clean_text: Callable[[str], str] | None = None,
    pixels_cleaned: bool = False,
) -> DicomReport:
    """De-identify `ds` and its file meta IN PLACE (copy first to keep the original); pixels untouched.

    `pixels_cleaned` is the caller's statement that burned-in text was already removed from the pixel
    data: it only adds 113101 Clean Pixel Data to the method codes.
    """
    effective = effective_options(options, date_shift=ctx.date_shift, can_clean_text=clean_text is not None)
    profile = load_profile()
    walker = _Walker(
        rules=profile.rules(effective),
        options=effective,
        date_shift=ctx.date_shift,
        uids=UidMapper(ctx.uid_key),
        clean_text=clean_text,
        matcher=IdentifierMatcher(patient_identifiers(ds)),
        safe_private=load_safe_private(),
    )
    file_meta = getattr(ds, "file_meta", None)
    if file_meta is not None:
        walker.dataset(file_meta, cleaning=False)
    walker.dataset(ds, cleaning=False)
    if getattr(ds, "preamble", None):
        ds.preamble = b"\x00" * 128  # free-form bytes written before the dataset: nothing of the source kept

    ds.PatientID = ctx.patient_token
    ds.PatientName = ctx.patient_surrogate
    if file_meta is not None and "SOPInstanceUID" in ds and "MediaStorageSOPInstanceUID" in file_meta:
        file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID  # must name the same instance
    record_method(ds, effective, pixels_cleaned=pixels_cleaned, profile_version=profile.version)
    counts = walker.counts
    return DicomReport(
        removed=counts["removed"],
        emptied=counts["emptied"],
        dummied=counts["dummied"],
        uid_replaced=counts["uid_replaced"],
        dates_shifted=counts["dates_shifted"],
        cleaned=counts["cleaned"],
        kept=counts["kept"],
        private_removed=counts["private_removed"],
        residual_blanked=counts["residual_blanked"],
        options=effective,
        profile_version=profile.version,
        pixels_cleaned=pixels_cleaned,
    )
