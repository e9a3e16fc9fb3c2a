"""FR metrics against scikit-image, a published IPOL value and an in-test transcription of GMSD.m.

Images come from scikit-image (PyPI scikit-image 0.26.0, in requirements.txt; CC0 sample data): the
cameraman and Chelsea, each with scikit-image's own SSIM-test noise (seed 5, sigma 20). No image is committed.
"""
import math

import numpy as np
import pytest
from scipy.signal import convolve2d
from skimage import data
from skimage.metrics import structural_similarity

from frameq_models.data import fr_metrics as F

# scikit-image's tests (metrics/tests/test_structural_similarity.py) quote this output of IPOL's imdiff
# (https://www.ipol.im/pub/art/2011/g_lmii/) for the camera pair below: Gaussian SSIM, no downsampling.
IPOL_MSSIM = 0.357959091663361


def _noisy(img):
    """np.random.seed(5); clip(img + 20 * randn, 0, 255).astype(uint8), without touching the global state."""
    return np.clip(img + 20.0 * np.random.RandomState(5).randn(*img.shape), 0, 255).astype(np.uint8)


def _sk_ssim(dist, ref, **kw):
    """scikit-image's settings for matching Wang et al.'s ssim.m."""
    return structural_similarity(dist.astype(np.float64), ref.astype(np.float64), gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False, data_range=255, **kw)


def _block2(x):
    return x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).mean(axis=(1, 3))


@pytest.fixture(scope="module")
def camera():
    cam = data.camera()
    assert cam.shape == (512, 512)
    return _noisy(cam), cam


@pytest.fixture(scope="module")
def chelsea():
    cat = data.chelsea()
    assert cat.shape == (300, 451, 3)
    return _noisy(cat), cat


def test_ssim_without_downsampling_matches_published_ipol(camera):
    assert F.ssim(*camera, downsample=False) == pytest.approx(IPOL_MSSIM, abs=1e-3)


def test_ssim_matches_scikit_image(camera):
    dist, ref = camera
    assert F.ssim(dist, ref, downsample=False) == pytest.approx(_sk_ssim(dist, ref), abs=1e-9)
    # ssim.m's automatic downsampling for 512 px: f = 2, i.e. 2x2 block means for an even size
    assert F.ssim(dist, ref) == pytest.approx(_sk_ssim(_block2(dist.astype(np.float64)),
                                                       _block2(ref.astype(np.float64))), abs=1e-9)


def test_ssim_automatic_downsampling_matters(camera):
    assert abs(F.ssim(*camera) - F.ssim(*camera, downsample=False)) > 5e-3


def test_ssim_rgb_channel_mean_matches_scikit_image(chelsea):
    dist, ref = chelsea  # 300 px: f = round(300 / 256) = 1, no downsampling
    assert F.ssim(dist, ref, color="channels") == pytest.approx(_sk_ssim(dist, ref, channel_axis=-1), abs=1e-9)


def _gmsd_m(dist, ref, t=170.0):
    """Line-by-line transcription of Xue et al.'s GMSD.m with scipy (independent of fr_metrics' OpenCV code):
    conv2(.., 'same') is the centre of the full convolution, starting at ceil((k - 1) / 2)."""
    def conv2_same(x, k):
        full = convolve2d(x, k, mode="full")
        r, c = math.ceil((k.shape[0] - 1) / 2), math.ceil((k.shape[1] - 1) / 2)
        return full[r:r + x.shape[0], c:c + x.shape[1]]

    def y(img):
        img = np.asarray(img, dtype=np.float64)
        return img if img.ndim == 2 else 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]

    dx = np.array([[1, 0, -1]] * 3, dtype=np.float64) / 3
    ave = np.full((2, 2), 0.25)
    y1, y2 = (conv2_same(y(a), ave)[::2, ::2] for a in (ref, dist))
    g1, g2 = (np.sqrt(conv2_same(a, dx) ** 2 + conv2_same(a, dx.T) ** 2) for a in (y1, y2))
    q = (2 * g1 * g2 + t) / (g1 ** 2 + g2 ** 2 + t)
    return float(np.std(q, ddof=1))


def test_gmsd_matches_the_transcription_of_gmsd_m(camera, chelsea):
    assert F.gmsd(*camera) == pytest.approx(_gmsd_m(*camera), abs=1e-9)
    assert F.gmsd(*chelsea) == pytest.approx(_gmsd_m(*chelsea), abs=1e-9)


def test_identity_and_order(camera):
    dist, ref = camera
    assert F.ssim(ref, ref) == pytest.approx(1.0, abs=1e-12)
    assert F.ms_ssim(ref, ref) == pytest.approx(1.0, abs=1e-12)
    assert F.gmsd(ref, ref) == pytest.approx(0.0, abs=1e-12)
    assert F.ms_ssim(dist, ref) < 0.99


def test_ms_ssim_monotone_in_blur(camera):
    import cv2
    ref = camera[1].astype(np.float64)
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
