"""Imaging studies as findings, from the de-identified DICOM metadata summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from multimed.findings.draft import FindingDraft, FindingKind, Severity

# DICOM Modality (0008,0060) defined terms, PS3.3 C.7.3.1.1.1, for readable statement text.
_MODALITIES = {
    "CT": "CT",
    "MR": "MRI",
    "CR": "radiograph",
    "DX": "radiograph",
    "US": "ultrasound",
    "NM": "nuclear medicine",
    "PT": "PET",
    "MG": "mammogram",
    "XA": "angiography",
    "RF": "fluoroscopy",
    "OT": "imaging",
    "SC": "secondary capture",
}


def imaging_quote(meta: Mapping[str, Any]) -> str:
    """The metadata a DICOM finding cites, as one line (the de-identified values only)."""
    parts = [
        f"Modality: {meta['Modality']}" if meta.get("Modality") else None,
        f"Body part: {meta['BodyPartExamined']}" if meta.get("BodyPartExamined") else None,
        f"Study: {meta['StudyDescription']}" if meta.get("StudyDescription") else None,
        f"Series: {meta['SeriesDescription']}" if meta.get("SeriesDescription") else None,
        f"{meta['rows']}x{meta['columns']}" if meta.get("rows") and meta.get("columns") else None,
        f"{meta['frames']} frames" if (meta.get("frames") or 1) > 1 else None,
    ]
    return "; ".join(p for p in parts if p)


def imaging_finding(meta: Mapping[str, Any]) -> FindingDraft:
    """One IMAGING finding naming the study: modality, body part and description where present.

    Metadata does not interpret the image, so the severity is NORMAL; a report's text carries any finding.
    """
    modality = str(meta.get("Modality") or "OT")
    words = [_MODALITIES.get(modality, modality)]
    if meta.get("BodyPartExamined"):
        words.append(str(meta["BodyPartExamined"]).lower())
    name = " ".join(words)
    description = meta.get("StudyDescription") or meta.get("SeriesDescription")
    quote = imaging_quote(meta)
    return FindingDraft(
        kind=FindingKind.IMAGING,
        name=name,
        severity=Severity.NORMAL,
        start=0,
        end=len(quote),
        code=modality,
        value_text=str(description) if description else None,
        details={"modality": modality, "frames": meta.get("frames")},
    )
