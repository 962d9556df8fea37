"""Page cleanup before OCR: specks and dot leaders go, decimal points, ellipses and glyphs stay."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from factories.pdfs import scanned_page
from multimed.ml.ocr.base import PSM_SINGLE_BLOCK, OcrEngine
from multimed.ml.ocr.page_cleanup import clean_page, despeckle, erase_enclosed_dots, erase_leaders

Gray8 = npt.NDArray[np.uint8]


def page(lines: list[str], *, rotate: float = 0.0, noise: float = 0.0) -> Gray8:
    return np.asarray(scanned_page(lines, rotate=rotate, noise=noise), dtype=np.uint8)


def ink_columns(image: Gray8, line: int) -> npt.NDArray[np.bool_]:
    """Columns with ink in the band of the `line`-th text line of a scanned_page (300 dpi, 66 px apart)."""
    top = 300 + 66 * line
    return np.asarray((image[top : top + 60] < 128).any(axis=0))


def test_leader_dots_are_erased_and_the_value_kept() -> None:
    image = page(["Sodium ..................      139.5 mmol/L    (136-145)"])

    cleaned, erased = erase_leaders(image)

    assert erased == 18
    # Between the name and the value the band is blank now; the value's decimal point is still there.
    name_end, value_start = 300 + 25 * 7, 300 + 25 * 31
    assert not ink_columns(cleaned, 0)[name_end + 5 : value_start - 5].any()
    assert ink_columns(cleaned, 0)[300 + 25 * 34 : 300 + 25 * 35].any()  # the "." of 139.5
    assert (cleaned[:, value_start:] == image[:, value_start:]).all()


def test_a_tilted_leader_is_still_a_leader() -> None:
    _, erased = erase_leaders(page(["Potassium ..........................  6.8 mmol/L"], rotate=1.5))

    assert erased >= 20


def test_decimal_points_ellipses_and_colons_stay() -> None:
    image = page(["pH 7.35 ... 7.45", "Time 10:15  INR 1.2  Ca 2.12"])

    cleaned, erased = erase_leaders(image)

    assert erased == 0
    assert (cleaned == image).all()


def test_despeckle_removes_isolated_dots_and_keeps_strokes() -> None:
    clean = page(["Potassium 6.8 mmol/L"])
    speckled = page(["Potassium 6.8 mmol/L"], noise=0.0005)

    restored = despeckle(speckled)

    assert int((speckled != clean).sum()) > 1000
    # Away from the text every speck is gone; on it only corner pixels of strokes change (2.5% measured).
    assert int((restored[600:] < 128).sum()) == 0
    assert int((np.abs(restored.astype(int) - clean.astype(int)) > 128).sum()) < 0.05 * int(
        (clean < 128).sum()
    )


def test_tesseract_reads_a_cleaned_leader_line_exactly(engine: OcrEngine) -> None:
    image = page(["Magnesium ................      1.6 mg/dL     (1.7-2.2)"], noise=0.0005, rotate=-0.8)

    cleaned, _ = clean_page(image)

    text = engine.recognize(cleaned, psm=PSM_SINGLE_BLOCK).text
    assert text == "Magnesium 1.6 mg/dL (1.7-2.2)"


def test_the_dot_of_a_dotted_zero_is_erased(engine: OcrEngine) -> None:
    """DejaVu Sans Mono, like many printer fonts, dots its zero; Tesseract read "1.10" as "1.106"."""
    image = page(["Creatinine 1.10 mg/dL (0.60-1.20)", "Troponin I: 0.02 ng/mL"])

    cleaned, erased = erase_enclosed_dots(image)

    assert erased == 6  # the zeros of 1.10, 0.60, 1.20 and 0.02
    assert engine.recognize(cleaned, psm=PSM_SINGLE_BLOCK).text.splitlines() == [
        "Creatinine 1.10 mg/dL (0.60-1.20)",
        "Troponin I: 0.02 ng/mL",
    ]


def test_dots_no_glyph_surrounds_stay() -> None:
    image = page(["Ratio: 5.5% i j ; ! ?"])

    cleaned, erased = erase_enclosed_dots(image)

    assert erased == 0
    assert (cleaned == image).all()
