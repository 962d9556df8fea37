"""Image preparation for OCR: any dtype to 8-bit gray, windowing, enlarging, inversion, Otsu."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from multimed.ml.ocr import preprocess
from multimed.ml.ocr.base import Box, scale_box


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (np.array([[0, 1000], [2000, 4095]], dtype=np.uint16), [[0, 62], [125, 255]]),
        (np.array([[-1024, 0], [1024, 3071]], dtype=np.int16), [[0, 64], [128, 255]]),
        (np.array([[0.0, 0.25], [0.5, 1.0]], dtype=np.float32), [[0, 64], [128, 255]]),
        (np.array([[3, 200], [17, 255]], dtype=np.uint8), [[3, 200], [17, 255]]),
    ],
    ids=["uint16", "signed", "float", "uint8-kept"],
)
def test_any_dtype_becomes_8_bit_gray(image: npt.NDArray[np.generic], expected: list[list[int]]) -> None:
    gray = preprocess.to_uint8(image, percentiles=None)

    assert gray.dtype == np.uint8
    assert gray.tolist() == expected


def test_colour_becomes_luminance() -> None:
    rgb = np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]], dtype=np.uint8)
    rgba = np.concatenate([rgb, np.full((2, 2, 1), 7, np.uint8)], axis=2)

    assert preprocess.to_uint8(rgb).tolist() == [[76, 150], [29, 255]]
    assert preprocess.to_uint8(rgba).tolist() == [[76, 150], [29, 255]]


def test_percentile_stretch_ignores_a_few_extreme_pixels() -> None:
    values = np.tile(np.arange(100, dtype=np.float64), (10, 1))
    values[0, 0] = -50_000  # one dead pixel
    values[0, 1] = 50_000  # and one hot pixel

    gray = preprocess.normalize(values, percentiles=(1.0, 99.0))
    full = preprocess.normalize(values, percentiles=None)

    assert gray[5, 50] in range(120, 136)  # the middle of the real range stays mid-gray
    assert full[5, 50] == 128  # min-max: everything real is squeezed into one gray level
    assert (gray[0, 0], gray[0, 1]) == (0, 255)


def test_flat_images_do_not_divide_by_zero() -> None:
    assert preprocess.normalize(np.full((4, 4), 7.0)).tolist() == [[0] * 4] * 4
    assert preprocess.to_uint8(np.zeros((0, 3), dtype=np.uint16)).shape == (0, 3)


@pytest.mark.parametrize(
    ("center", "width", "expected"),
    [(40.0, 400.0, [0, 0, 128, 255, 255]), (0.0, 1.0, [0, 0, 255, 255, 255])],
    ids=["soft-tissue", "width-1"],
)
def test_dicom_linear_window(center: float, width: float, expected: list[int]) -> None:
    values = np.array([[-1000.0, -160.0, 40.0, 240.0, 3000.0]])

    assert preprocess.window(values, center=center, width=width).tolist() == [expected]


def test_window_takes_precedence_in_to_uint8() -> None:
    values = np.array([[-1000, 40, 3000]], dtype=np.int16)

    assert preprocess.to_uint8(values, window_cw=(40.0, 400.0)).tolist() == [[0, 128, 255]]


def test_inversion_and_light_background() -> None:
    dark = np.full((10, 10), 20, dtype=np.uint8)
    light = np.full((10, 10), 230, dtype=np.uint8)

    assert preprocess.invert(dark)[0, 0] == 235
    assert preprocess.light_background(dark)[0, 0] == 235
    assert preprocess.light_background(light)[0, 0] == 230


@pytest.mark.parametrize(
    ("shape", "factor"),
    [((128, 128), 3), ((256, 512), 3), ((300, 400), 2), ((512, 512), 2), ((600, 800), 1), ((2000, 90), 3)],
)
def test_small_images_are_enlarged_by_a_whole_factor(shape: tuple[int, int], factor: int) -> None:
    image = np.zeros(shape, dtype=np.uint8)

    big, scale = preprocess.upscale(image)

    assert scale == factor
    assert big.shape == (shape[0] * factor, shape[1] * factor)
    assert big.dtype == np.uint8


@pytest.mark.parametrize(
    ("box", "factor", "expected"),
    [((30, 60, 90, 33), 1 / 3, (10, 20, 30, 11)), ((31, 61, 89, 31), 1 / 3, (10, 20, 30, 11))],
)
def test_boxes_scale_outwards_to_whole_pixels(box: Box, factor: float, expected: Box) -> None:
    assert scale_box(box, factor) == expected


def test_otsu_separates_two_populations() -> None:
    rng = np.random.default_rng(7)
    dark, light = rng.normal(60, 10, 500).astype(np.uint8), rng.normal(190, 10, 500).astype(np.uint8)
    image = np.concatenate([dark, light]).reshape(20, 50)

    threshold = preprocess.otsu_threshold(image)
    binary = preprocess.binarize(image)

    assert dark.max() <= threshold < light.min()
    assert set(np.unique(binary).tolist()) == {0, 255}
    assert int((binary == 255).sum()) == 500


def test_prepare_chains_the_steps() -> None:
    image = np.zeros((200, 300), dtype=np.uint16)
    image[50:60, 50:150] = 4095  # a bright bar on black

    prepared = preprocess.prepare(image)

    assert prepared.scale == 3
    assert prepared.image.shape == (600, 900)
    assert prepared.image[0, 0] == 255  # inverted: dark text on light
    assert prepared.image[165, 300] == 0
