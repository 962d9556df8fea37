"""A report as PDF bytes: a text-layer PDF in Courier, or an image-only scan at 300 dpi."""

from __future__ import annotations

from fpdf import FPDF

from factories.lab_reports.model import LabReport
from factories.pdfs import scanned_page, scanned_pdf

FONT_SIZE = 10  # pt; Courier is 0.6 em wide, so 88 characters take 528 pt of the 540 pt between margins
LINE_HEIGHT = 16  # pt; 40 lines from a one-inch top margin fit on a letter page, as on the scan
MARGIN = 36


def to_text_pdf(report: LabReport) -> bytes:
    """One PDF page per report page, every line in the text layer."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(MARGIN, 72, MARGIN)
    pdf.set_font("Courier", size=FONT_SIZE)
    pdf.set_creator("multimed tests")
    for lines in report.pages:
        pdf.add_page()
        for number, line in enumerate(lines):
            if line:
                pdf.text(MARGIN, 72 + number * LINE_HEIGHT, line)
    return bytes(pdf.output())


def to_scanned_pdf(report: LabReport, *, rotate: float = 0.0, noise: float = 0.0) -> bytes:
    """An image-only PDF (no text layer), one 300 dpi page per report page, optionally tilted and speckled."""
    return scanned_pdf([scanned_page(list(lines), rotate=rotate, noise=noise) for lines in report.pages])
