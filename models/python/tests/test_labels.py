"""Weak labels (fixture: scikit-image's astronaut sample, public domain, from PyPI scikit-image)."""

import numpy as np
import pytest

from skimage import data

from frameq_models.data import distortions as D
from frameq_models.data import labels as L



@pytest.fixture(scope="module")
def big():
    img = data.astronaut()
    return img[40:40 + 256, 100:100 + 256].copy()


def test_calibration_covers_every_type_and_is_increasing():
    cal = L.load_calibration()
    assert set(cal.medians) == set(D.NAMES)
    for name, m in cal.medians.items():
        assert len(m) == 5 and all(a < b for a, b in zip(m, m[1:])), name


def test_mapping_hits_the_anchors():
    cal = L.Calibration({"jpeg": (0.1, 0.2, 0.3, 0.4, 0.5)})
    assert cal.to_label("jpeg", 0.0) == 1.0
    assert cal.to_label("jpeg", 0.1) == pytest.approx(L.ANCHORS[0])
    assert cal.to_label("jpeg", 0.5) == pytest.approx(L.ANCHORS[4])
    assert cal.to_label("jpeg", 0.05) == pytest.approx((1 + L.ANCHORS[0]) / 2)
    assert cal.to_label("jpeg", 10.0) == L.FLOOR  # extrapolated, clipped
    with pytest.raises(KeyError):
        cal.to_label("nope", 0.1)


def test_identical_images_get_full_quality(big):
    ref = L.centre(big)
    assert L.label(ref, ref, "gaussian_blur") == pytest.approx(1.0)


def test_labels_fall_with_level_for_every_type(big):
    for name in D.NAMES:
        q = [L.label_distorted(big, name, lv, seed=3)[1] for lv in (1, 3, 5)]
        assert q[0] > q[1] > q[2], (name, q)
        assert 0.0 < q[2] < 0.9 and q[0] <= 1.0


def test_jpeg_is_not_under_penalised(big):
    # the failure mode of MS-SSIM labels: JPEG q10 scored >= 0.87. Here q=12 (level 4) must be low.
    ref = L.centre(big)
    out = L.distort_pair(big, "jpeg", 4, 0)
    from frameq_models.data import fr_metrics as F

    assert F.ms_ssim(out, ref) > 0.85  # the raw metric barely moves ...
    assert L.label(ref, out, "jpeg") < 0.55  # ... the calibrated label does


def test_mild_camera_noise_is_labelled_below_soft_clean(big):
    _, soft = L.label_distorted(big, "gaussian_blur", 0.6, seed=1)  # sigma ~0.5 px
    _, noisy = L.label_distorted(big, "camera_noise", 2.0, seed=1)
    assert soft > 0.93
    assert noisy < soft - 0.05


def test_camera_noise_is_measured_against_the_noise_free_pipeline(big):
    out0, q0 = L.label_distorted(big, "camera_noise", 0.0, seed=5)
    assert q0 == pytest.approx(L.RELATIVE["camera_noise"])
    assert not np.array_equal(out0, L.centre(big))  # the pipeline itself changes the image


def test_chain_is_a_product(big):
    ref = L.centre(big)
    a = L.distort_pair(big, "gaussian_blur", 2, 0)
    b = L.distort_pair(big, "white_noise", 2, 0)
    q = L.label_chain([(ref, a, "gaussian_blur"), (ref, b, "white_noise")])
    assert q == pytest.approx(L.label(ref, a, "gaussian_blur") * L.label(ref, b, "white_noise"))
