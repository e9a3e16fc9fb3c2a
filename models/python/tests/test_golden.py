"""Pre-processing rules and the committed golden files for the Java parity test."""

import json

import numpy as np
import pytest

from frameq_models.export import golden


def test_five_point_boxes_follow_the_documented_order():
    boxes = golden.crop_boxes("five-point", 300, 451, (224, 224))
    assert boxes == [[0, 0, 224, 224], [0, 227, 224, 224], [76, 0, 224, 224], [76, 227, 224, 224],
                     [38, 113, 224, 224]]
    assert golden.crop_boxes("centre", 225, 225, (224, 224)) == [[0, 0, 224, 224]]
    with pytest.raises(ValueError, match="smaller"):
        golden.crop_boxes("five-point", 200, 300, (224, 224))


def test_small_frames_are_upscaled_to_cover_one_unit():
    img = np.zeros((100, 300, 3), dtype=np.uint8)
    assert golden.upscale_short_side(img, (224, 224)).shape == (224, 672, 3)
    big = np.zeros((300, 400, 3), dtype=np.uint8)
    assert golden.upscale_short_side(big, (224, 224)) is big


def test_preprocess_normalises_to_minus_one_plus_one():
    img = np.array([[[0, 255, 51]]], dtype=np.uint8).repeat(2, 0).repeat(2, 1)
    spec = {"color_order": "RGB", "layout": "NCHW", "scale": 255.0, "mean": [0.5] * 3, "std": [0.5] * 3,
            "crop": {"policy": "centre", "size": [2, 2], "upscale_below": "bilinear"}}
    units, boxes = golden.preprocess(img, spec)
    assert boxes == [[0, 0, 2, 2]] and units.dtype == np.float32 and units.shape == (1, 3, 2, 2)
    np.testing.assert_allclose(units[0, :, 0, 0], [-1.0, 1.0, -0.6], atol=1e-7)


def test_golden_files_regenerate_identically(repository, golden_dir, tmp_path):
    committed = golden_dir / "maniqa-lite"
    fresh = golden.write_golden("maniqa-lite", repository, tmp_path, frame=committed / "frame.png")
    assert (fresh / "input.npy").read_bytes() == (committed / "input.npy").read_bytes()
    for name in ("score", "score_map", "weight_map"):
        # same machine and threads give the same bytes; other CPUs may differ in the last bits
        np.testing.assert_allclose(np.load(fresh / f"{name}.npy"), np.load(committed / f"{name}.npy"), atol=1e-6)
    want = json.loads((committed / "expected.json").read_text())
    got = json.loads((fresh / "expected.json").read_text())
    assert got["crop_boxes"] == want["crop_boxes"] and got["sha256"] == want["sha256"]
    np.testing.assert_allclose(got["crop_scores"], want["crop_scores"], atol=1e-6)


def test_committed_golden_is_consistent(repository, golden_dir):
    folder = golden_dir / "maniqa-lite"
    expected = json.loads((folder / "expected.json").read_text())
    desc = json.loads((repository / "maniqa-lite" / "model.json").read_text())
    assert expected["sha256"] == desc["sha256"], "goldens are stale: regenerate them after exporting"
    units = np.load(folder / "input.npy")
    img = golden.load_rgb(folder / "frame.png")
    assert img.shape[0] >= 300 and img.shape[1] >= 300
    assert units.shape == (5, 3, 224, 224) and units.dtype == np.float32
    y, x, h, w = expected["crop_boxes"][4]
    assert (y, x) == ((img.shape[0] - 224) // 2, (img.shape[1] - 224) // 2)
    centre = (img[y:y + h, x:x + w].astype(np.float32) / np.float32(255) - np.float32(0.5)) / np.float32(0.5)
    np.testing.assert_array_equal(units[4], centre.transpose(2, 0, 1))
    scores = np.load(folder / "score.npy")
    np.testing.assert_allclose(expected["crop_scores"], scores, rtol=0, atol=1e-7)
    assert expected["frame_score"] == pytest.approx(float(np.mean(scores, dtype=np.float64)), abs=1e-7)
    smap, wmap = np.load(folder / "score_map.npy"), np.load(folder / "weight_map.npy")
    np.testing.assert_allclose((smap * wmap).sum((1, 2)) / wmap.sum((1, 2)), scores, atol=1e-5)
    assert expected["tolerance"] == 1e-4
    assert "CC0" in (folder / "LICENSE.txt").read_text()


@pytest.mark.parametrize("name", ["lpienet-lite", "mirnet-v2-lite"])
def test_restore_goldens_regenerate_identically(repository, golden_dir, tmp_path, name):
    committed = golden_dir / name
    fresh = golden.write_golden(name, repository, tmp_path, frame=committed / "frame.png")
    assert (fresh / "input.npy").read_bytes() == (committed / "input.npy").read_bytes()
    np.testing.assert_allclose(np.load(fresh / "restored.npy"), np.load(committed / "restored.npy"), atol=1e-6)
    want = json.loads((committed / "expected.json").read_text())
    got = json.loads((fresh / "expected.json").read_text())
    assert got["sha256"] == want["sha256"] and got["output_shape"] == want["output_shape"] == [1, 3, 120, 160]
    assert got["output_mean"] == pytest.approx(want["output_mean"], abs=1e-6)


def test_whole_frame_preprocess_is_pixel_over_255():
    img = np.array([[[0, 255, 51]]], dtype=np.uint8).repeat(3, 0).repeat(5, 1)
    spec = {"color_order": "RGB", "layout": "NCHW", "scale": 255.0, "mean": [0.0] * 3, "std": [1.0] * 3,
            "crop": {"policy": "none"}}
    units = golden.preprocess_whole_frame(img, spec)
    assert units.shape == (1, 3, 3, 5) and units.dtype == np.float32
    np.testing.assert_allclose(units[0, :, 2, 4], [0.0, 1.0, 0.2], atol=1e-7)
