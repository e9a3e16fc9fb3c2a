"""Checks shared by the restore-family tests (LPIENet, MIRNet-v2, MIRNet)."""

import json

import numpy as np
import torch

from conftest import official_shapes
from frameq_models.archs import registry
from frameq_models.common.files import sha256
from frameq_models.common.images import load_rgb
from frameq_models.common.ort_session import ort_session
from frameq_models.export import onnx_graph


def assert_official_layout(model: torch.nn.Module, fixture: str, check_order: bool = True) -> None:
    expected, _ = official_shapes(fixture)
    actual = {k: list(v.shape) for k, v in model.state_dict().items()}
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    assert not missing and not extra, f"missing {missing[:5]}, extra {extra[:5]}"
    wrong = {k: (actual[k], expected[k]) for k in expected if actual[k] != expected[k]}
    assert not wrong, f"shape mismatches (actual, official): {wrong}"
    if check_order:
        assert list(actual) == list(expected), "state_dict order differs from the official one"


def assert_export_parity(arch: str, config: str, tmp_path, batches=(1, 2)) -> dict:
    model = registry.build_model(arch, config, seed=3)
    path = tmp_path / f"{arch}-{config}.onnx"
    onnx_graph.export_onnx(model, arch, path)
    worst = onnx_graph.check_parity(model, arch, path, batches=batches, atol=1e-4)
    sizes = {k[1:] for k in worst}
    assert sizes == {(96, 160), (122, 202)} and max(worst.values()) <= 1e-4
    inputs, outputs = onnx_graph.graph_io(path)
    assert inputs == [{"name": "image", "dtype": "float32", "shape": [-1, 3, -1, -1]}]
    assert outputs == [{"name": "restored", "dtype": "float32", "shape": [-1, 3, -1, -1]}]
    return worst


def assert_shipped_restore_model(repository, golden_dir, name: str, arch: str) -> dict:
    folder = repository / name
    desc = json.loads((folder / "model.json").read_text())
    onnx_path = folder / str(desc["version"]) / desc["file"]
    assert (desc["name"], desc["family"], desc["architecture"], desc["config"]) == (name, "restore", arch, "lite")
    assert desc["sha256"] == sha256(onnx_path) and desc["opset"] == 17
    assert "score" not in desc
    inputs, outputs = onnx_graph.graph_io(onnx_path)
    assert desc["inputs"] == inputs == [{"name": "image", "dtype": "float32", "shape": [-1, 3, -1, -1]}]
    assert desc["outputs"] == outputs == [{"name": "restored", "dtype": "float32", "shape": [-1, 3, -1, -1]}]
    pre = desc["preprocess"]
    assert (pre["color_order"], pre["layout"], pre["scale"], pre["mean"], pre["std"], pre["crop"]) == (
        "RGB", "NCHW", 255.0, [0.0] * 3, [1.0] * 3, {"policy": "none"})
    assert desc["training"]["status"] == "trained"  # v2: trained weights (models/python/TRAINING.md)
    # golden: input is the normalised frame, output is what the shipped ONNX gives for it
    gold = golden_dir / name
    expected = json.loads((gold / "expected.json").read_text())
    assert expected["sha256"] == desc["sha256"], "goldens are stale: regenerate them after exporting"
    img = load_rgb(gold / "frame.png")
    units = np.load(gold / "input.npy")
    np.testing.assert_array_equal(units[0], (img.astype(np.float32) / np.float32(255)).transpose(2, 0, 1))
    restored = np.load(gold / "restored.npy")
    assert restored.shape == units.shape == tuple(expected["output_shape"])
    got = ort_session(onnx_path).run(["restored"], {"image": units})[0]
    np.testing.assert_allclose(got, restored, atol=1e-5)
    assert expected["tolerance"] == 1e-4 and "CC0" in (gold / "LICENSE.txt").read_text()
    return desc
