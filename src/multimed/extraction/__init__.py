"""Extraction: text with positions from PDFs (text layer or OCR); audio and DICOM come with their engines."""
