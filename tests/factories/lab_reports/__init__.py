"""Generated lab reports with known ground truth, printed as text-layer and scanned PDFs."""

from factories.lab_reports.generate import generate_reports
from factories.lab_reports.model import Header, LabReport, PrintedResult
from factories.lab_reports.render import to_scanned_pdf, to_text_pdf

__all__ = ["Header", "LabReport", "PrintedResult", "generate_reports", "to_scanned_pdf", "to_text_pdf"]
