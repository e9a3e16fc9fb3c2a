"""Distortion registry and generators (fixture: scikit-image's astronaut sample, public domain, from PyPI scikit-image)."""
import io

import numpy as np
import pytest
from PIL import Image

from skimage import data

from frameq_models.data import distortions as D



@pytest.fixture(scope="module")
def img():
    return data.astronaut()[64:320, 128:384].copy()


def test_registry_covers_kadid_and_camera_faults():
    kadid = [t for t in D.REGISTRY if t.source == "kadid"]
    assert sorted(t.kadid_id for t in kadid) == list(range(1, 26))
    assert set(D.CAMERA_NAMES) >= {"defocus", "camera_shake", "low_light", "over_exposure", "haze",
                                   "lens_dirt", "rain_drops", "occlusion", "camera_noise"}
    assert len(set(D.NAMES)) == len(D.NAMES)
    for t in D.REGISTRY:
        assert len(t.levels) == 5


def test_param_interpolation():
    assert D.param_at("jpeg", 1) == 50
    assert D.param_at("gaussian_blur", 1.5) == pytest.approx(0.5 * (0.8 + 1.3))
    assert D.param_at("jpeg", 0) == 98
    with pytest.raises(ValueError):
        D.param_at("jpeg", 5.5)
    with pytest.raises(KeyError):
        D.get("nope")


@pytest.mark.parametrize("name", D.NAMES)
def test_deterministic_shape_and_monotone(img, name):
    out = D.apply(img, name, 3, seed=11)
    assert out.shape == img.shape and out.dtype == np.uint8
    assert np.array_equal(out, D.apply(img, name, 3, seed=11))
    mse = [np.mean((D.apply(img, name, lv, seed=11).astype(float) - img) ** 2) for lv in range(1, 6)]
    assert all(a < b for a, b in zip(mse, mse[1:])), mse
    if name != "camera_noise":
        assert np.array_equal(D.apply(img, name, 0, seed=11), img)


def test_random_types_depend_on_seed(img):
    for name in ("white_noise", "motion_blur", "rain_drops", "camera_noise", "impulse_noise"):
        assert not np.array_equal(D.apply(img, name, 3, seed=1), D.apply(img, name, 3, seed=2))


def test_jpeg_uses_a_real_encoder(img):
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=22)
    buf.seek(0)
    ref = np.asarray(Image.open(buf).convert("RGB"))
    np.testing.assert_array_equal(D.apply(img, "jpeg", 3), ref)


def test_jpeg2000_is_lossy_and_blocky_free(img):
    out = D.apply(img, "jpeg2000", 5).astype(float)
    assert np.mean((out - img) ** 2) > 20


def _flat_noise(x):
    # robust noise level: median absolute Laplacian-like residual
    g = x.astype(float).mean(axis=2)
    r = g[1:-1, 1:-1] * 4 - g[:-2, 1:-1] - g[2:, 1:-1] - g[1:-1, :-2] - g[1:-1, 2:]
    return float(np.std(r))


def test_low_light_is_darker_and_noisier():
    flat = np.full((128, 128, 3), 150, np.uint8)
    l1, l5 = D.apply(flat, "low_light", 1, 3), D.apply(flat, "low_light", 5, 3)
    assert l5.mean() < l1.mean() < flat.mean()
    assert _flat_noise(l5) > _flat_noise(l1) > 0


def test_camera_noise_grows_with_gain_and_stays_mild():
    flat = np.full((128, 128, 3), 120, np.uint8)
    n = [_flat_noise(D.apply(flat, "camera_noise", lv, 3)) for lv in (0, 2, 5)]
    assert n[0] < n[1] < n[2]
    wn = _flat_noise(D.apply(flat, "white_noise", 3, 3))
    assert n[2] < wn  # realistic camera noise is milder than KADID white noise level 3


def test_mean_shift_changes_mean_not_structure(img):
    out = D.apply(img, "mean_shift", 2, seed=4).astype(float)
    assert abs(out.mean() - img.mean()) > 15
