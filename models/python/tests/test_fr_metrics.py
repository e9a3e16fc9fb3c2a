"""FR metrics against published MATLAB outputs (fixtures in tests/fixtures/oracles, see LICENCE.md)."""
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from frameq_models.data import fr_metrics as F

ORACLES = Path(__file__).parent / "fixtures" / "oracles"


def _load(name, mode):
    return np.asarray(Image.open(ORACLES / name).convert(mode))


@pytest.fixture(scope="module")
def goldhill():
    return _load("goldhill_jpeg.gif", "L"), _load("goldhill.gif", "L")


@pytest.fixture(scope="module")
def tid():
    return _load("i01_01_5.bmp", "RGB"), _load("I01.BMP", "RGB")


def test_ssim_goldhill_matches_matlab(goldhill):
    assert F.ssim(*goldhill) == pytest.approx(0.8202, abs=1e-4)


def test_ssim_needs_automatic_downsampling_to_match(goldhill):
    # without ssim.m's automatic downsampling (f = 2 for 512 px) the value is clearly different
    assert abs(F.ssim(*goldhill, downsample=False) - 0.8202) > 5e-3


def test_ssim_tid_rgb_matches_published_value(tid):
    assert F.ssim(*tid, color="channels") == pytest.approx(0.7842, abs=1e-2)


def test_gmsd_goldhill_matches_matlab(goldhill):
    assert F.gmsd(*goldhill) == pytest.approx(0.138012587141798, abs=1e-9)


def test_gmsd_tid_rgb_matches_matlab(tid):
    assert F.gmsd(*tid) == pytest.approx(0.094124655829098, abs=1e-9)


def test_identity_and_order(goldhill):
    dist, ref = goldhill
    assert F.ssim(ref, ref) == pytest.approx(1.0, abs=1e-12)
    assert F.ms_ssim(ref, ref) == pytest.approx(1.0, abs=1e-12)
    assert F.gmsd(ref, ref) == pytest.approx(0.0, abs=1e-12)
    assert F.ms_ssim(dist, ref) < 0.99


def test_ms_ssim_monotone_in_blur(goldhill):
    import cv2
    ref = goldhill[1].astype(np.float64)
    vals = [F.ms_ssim(cv2.GaussianBlur(ref, (0, 0), s), ref) for s in (0.6, 1.2, 2.4, 4.8)]
    assert all(a > b for a, b in zip(vals, vals[1:])), vals
    g = [F.gmsd(cv2.GaussianBlur(ref, (0, 0), s), ref) for s in (0.6, 1.2, 2.4, 4.8)]
    assert all(a < b for a, b in zip(g, g[1:])), g


def test_ms_ssim_rejects_small_images():
    with pytest.raises(ValueError):
        F.ms_ssim(np.zeros((100, 100)), np.zeros((100, 100)))


def test_box_decimate_matches_matlab_symmetric_padding():
    x = np.arange(15, dtype=np.float64).reshape(3, 5)
    out = F._box_symmetric_decimate(x, 2)
    # rows (0,1) and (2,2 mirrored); columns (0,1), (2,3), (4,4 mirrored)
    expected = np.array([[3.0, 5.0, 6.5], [10.5, 12.5, 14.0]])
    np.testing.assert_allclose(out, expected)
