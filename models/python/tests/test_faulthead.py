"""fault-head: the fixed features, the box shrink Java mirrors, the fault renders and the ONNX export."""
import numpy as np
import pytest
import torch

from frameq_models.archs.faulthead import CLASSES, box_resize, build
from frameq_models.data.fault_renders import RENDERERS, render


def test_box_resize_is_the_plain_box_mean():
    rng = np.random.default_rng(1)
    img = (rng.random((37, 53, 3)) * 255).astype(np.uint8)
    got = box_resize(img, 16)
    want = np.zeros((16, 16, 3))
    for y in range(16):
        for x in range(16):
            y0, x0 = 37 * y // 16, 53 * x // 16
            y1, x1 = max(37 * (y + 1) // 16, y0 + 1), max(53 * (x + 1) // 16, x0 + 1)
            want[y, x] = img[y0:y1, x0:x1].reshape(-1, 3).mean(0)
    assert np.abs(got - want).max() < 1e-4
    # smaller than the target: every output pixel is one input pixel
    small = box_resize(img[:5, :7], 16)
    assert set(np.unique(small[..., 0])) <= set(np.unique(img[:5, :7, 0]).astype(np.float32))


def test_tiny_variant_outputs_one_probability_per_class():
    m = build("tiny").eval()
    x = torch.rand(3, 3, 64, 64)
    x[1] = 0  # black frame: the features must stay finite
    with torch.no_grad():
        f = m.features(x)
        p = m(x)
    assert f.shape == (3, m.features.num_features)
    assert torch.isfinite(f).all()
    assert p.shape == (3, len(CLASSES))
    assert ((p >= 0) & (p <= 1)).all()


def test_features_see_blur_and_darkness():
    m = build("tiny").eval()
    x = torch.rand(1, 3, 64, 64)
    soft = torch.nn.functional.avg_pool2d(x, 5, 1, 2)
    with torch.no_grad():
        sharp_f, soft_f, dark_f = m.features(x), m.features(soft), m.features(x * 0.1)
    # the mean fine-scale edge energy (log) of the coarse grid: index of map 5, last summary column
    k = 5 * 6 + 5
    assert soft_f[0, k] < sharp_f[0, k] - 0.5
    assert dark_f[0, 5] < sharp_f[0, 5]  # the mean cell luma (map 0, mean)


@pytest.mark.parametrize("kind", sorted(RENDERERS) + ["clean"])
def test_every_render_keeps_the_frame_and_changes_it(kind):
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:96, 0:128]
    img = np.stack([(xx * 2) % 256, (yy * 3) % 256, ((xx + yy) * 5) % 256], -1).astype(np.uint8)
    out = render(img, kind, rng)
    assert out.shape == img.shape and out.dtype == np.uint8
    if kind != "clean":
        assert np.abs(out.astype(int) - img).mean() > 1.0


def test_export_matches_torch(tmp_path):
    pytest.importorskip("onnxruntime")
    from frameq_models.train.faulthead import export
    torch.manual_seed(0)
    m = build("tiny").eval()
    r = export(m, tmp_path / "model.onnx")
    assert r["max_abs_diff_vs_torch"] < 1e-5


def test_training_rows_of_one_source_group_each_frame_with_its_renders_and_mark_real_faults():
    from frameq_models.train.faulthead import Featurizer, build_half
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:96, 0:128]
    clean = [np.stack([(xx * k) % 256, (yy * 3) % 256, ((xx + yy) * 5) % 256], -1).astype(np.uint8) for k in (2, 3)]
    faults = [((clean[0] * 0.1).astype(np.uint8), "dark")]
    rows = build_half(clean, faults, Featurizer("tiny"), rng, renders_per_image=2, real_crops=3, use_real=True,
                      name="test")
    n_clean, n_real = 2 * (1 + 2), 1 + 3
    assert rows["x"].shape[0] == rows["y"].shape[0] == n_clean + n_real
    assert rows["raw"].sum() == 2 and rows["real"].sum() == n_real
    assert list(rows["g"][:n_clean]) == [0, 0, 0, 1, 1, 1]
    assert set(rows["g"][n_clean:]) == {2}
    dark = CLASSES.index("dark")
    assert (rows["y"][n_clean:, dark] == 1).all() and rows["y"][rows["raw"]].sum() == 0
