"""PDFs made by the tests: text-layer, scanned (image-only), mixed, damaged, encrypted and scripted."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from factories.files import pdf_bytes

LAB_LINES = [
    "CITY HOSPITAL LABORATORY REPORT",
    "Patient: John Smith   MRN: 00123456",
    "Collected: 01/15/2023",
    "Sodium          139 mmol/L   (136-145)",
    "Potassium       6.8 mmol/L   (3.5-5.1)  HH",
    "Glucose         92 mg/dL     (70-99)",
    "Creatinine      1.1 mg/dL    (0.6-1.2)",
]


# Lab printers use monospaced type; DejaVu ships with the Debian base (fonts-dejavu-core).
FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


def report_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A 10-11 pt report typeface at the given pixel size (Pillow's own font where DejaVu is missing)."""
    if FONT_FILE.exists():
        return ImageFont.truetype(str(FONT_FILE), size)
    return ImageFont.load_default(size=size)


def scanned_page(lines: list[str], *, rotate: float = 0.0, noise: float = 0.0, dpi: int = 300) -> Image.Image:
    """A letter page rendered like a scan: black text on white, optionally tilted and speckled."""
    width, height = int(8.5 * dpi), int(11 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = report_font(int(dpi / 7))
    y = dpi
    for line in lines:
        draw.text((dpi, y), line, fill=0, font=font)
        y += int(dpi / 4.5)
    if rotate:
        page = page.rotate(rotate, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
    if noise:
        rng = random.Random(7)
        pixels = page.load()
        assert pixels is not None
        for _ in range(int(width * height * noise)):
            pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255))
        page = page.filter(ImageFilter.MedianFilter(1))
    return page


def text_pdf(lines: list[str]) -> bytes:
    """A letter page with a text layer: one 10 pt Courier line per item, as a lab printer lays them out."""
    pdf = FPDF(format="letter")
    pdf.add_page()
    pdf.set_font("Courier", size=10)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf(pages: list[Image.Image], dpi: int = 300) -> bytes:
    """An image-only PDF (no text layer), one page per image."""
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def mixed_pdf(text_line: str, scanned: Image.Image) -> bytes:
    """Page 1 with a text layer, page 2 a scan."""
    first = pdfium.PdfDocument(pdf_bytes(text_line))
    second = pdfium.PdfDocument(scanned_pdf([scanned]))
    first.import_pages(second)
    out = io.BytesIO()
    first.save(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF whose standard security handler does not open with an empty password."""
    body = pdf_bytes("secret").replace(
        b"trailer\n<< /Size 6 /Root 1 0 R >>",
        b"trailer\n<< /Size 6 /Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /P -4 "
        b"/O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> >> /ID [<"
        + b"33" * 16
        + b"> <"
        + b"33" * 16
        + b">] >>",
    )
    assert b"/Encrypt" in body
    return body


def javascript_pdf() -> bytes:
    """A PDF with a document-level JavaScript action."""
    return pdf_bytes("hello").replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript << /Names [(x) << /S /JavaScript "
        b"/JS (app.alert(1)) >>] >> >> >>",
    )
