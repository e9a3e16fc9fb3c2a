"""ONNX export (tiny variant), the convert command, and the shipped maniqa-lite contract."""

import json
import re

import numpy as np
import onnx
import pytest
import torch

from conftest import MODELS_DIR
from frameq_models.__main__ import main
from frameq_models.archs import maniqa as m
from frameq_models.archs import registry
from frameq_models.common.files import sha256
from frameq_models.common.ort_session import ort_session
from frameq_models.export import onnx_graph


def _contract_keys() -> list:
    """Top-level keys of the model.json example in models/MODEL-JSON.md (the Java parser refuses others)."""
    text = (MODELS_DIR / "MODEL-JSON.md").read_text()
    block = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    block = re.sub(r"//[^\n]*", "", block)
    return list(json.loads(block))


def _required_keys() -> list:
    """The contract keys an export writes: all but ``variants`` (optional; added later by ``export-fp16``)."""
    return [k for k in _contract_keys() if k != "variants"]


def test_tiny_export_matches_torch_at_batch_1_and_3(tmp_path):
    model = registry.build_model("maniqa", "tiny", seed=3)
    path = tmp_path / "tiny.onnx"
    onnx_graph.export_onnx(model, "maniqa", path)
    worst = onnx_graph.check_parity(model, "maniqa", path, batches=(1, 3), atol=1e-4)
    assert set(worst) == {1, 3} and max(worst.values()) <= 1e-4
    graph = onnx.load(str(path))
    assert [o.version for o in graph.opset_import if o.domain in ("", "ai.onnx")] == [17]
    inputs, outputs = onnx_graph.graph_io(path)
    assert inputs == [{"name": "image", "dtype": "float32", "shape": [-1, 3, 32, 32]}]
    assert outputs == [
        {"name": "score", "dtype": "float32", "shape": [-1]},
        {"name": "score_map", "dtype": "float32", "shape": [-1, 4, 4]},
        {"name": "weight_map", "dtype": "float32", "shape": [-1, 4, 4]},
    ]


def test_export_command_writes_repository_entry(tmp_path):
    assert main(["export", "--arch", "maniqa", "--config", "tiny", "--out", str(tmp_path), "--version", "2"]) == 0
    desc = json.loads((tmp_path / "maniqa-tiny" / "model.json").read_text())
    onnx_path = tmp_path / "maniqa-tiny" / "2" / "model.onnx"
    assert list(desc) == _required_keys()
    assert desc["version"] == 2 and desc["sha256"] == sha256(onnx_path)
    assert desc["training"]["status"] == "untrained" and "manual_seed(0)" in desc["training"]["data"]
    assert desc["preprocess"]["crop"] == {"policy": "five-point", "size": [32, 32], "upscale_below": "bilinear"}


def test_convert_command_loads_a_checkpoint_strictly_and_exports_it(tmp_path):
    torch.manual_seed(7)
    source = m.build("tiny", scale=0.13).eval()
    torch.save({"model_state_dict": source.state_dict(), "epoch": 1}, tmp_path / "ckpt.pt")
    argv = ["convert", "--arch", "maniqa", "--config", "tiny", "--checkpoint", str(tmp_path / "ckpt.pt"),
            "--scale", "0.13", "--out", str(tmp_path / "repo"), "--name", "maniqa-test"]
    assert main(argv) == 0
    desc = json.loads((tmp_path / "repo" / "maniqa-test" / "model.json").read_text())
    assert desc["training"]["status"] == "trained" and "ckpt.pt" in desc["training"]["data"]
    session = ort_session(tmp_path / "repo" / "maniqa-test" / "1" / "model.onnx")
    x = m.example_inputs(source.cfg, batch=2, seed=5)[0]
    with torch.no_grad():
        want = source(x).numpy()
    np.testing.assert_allclose(session.run(["score"], {"image": x.numpy()})[0], want, atol=1e-5)


# --- the shipped model -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(repository):
    folder = repository / "maniqa-lite"
    desc = json.loads((folder / "model.json").read_text())
    return desc, folder / str(desc["version"]) / desc["file"]


def test_shipped_model_json_follows_the_contract(shipped):
    desc, onnx_path = shipped
    assert list(desc) == _contract_keys()  # the shipped maniqa-lite has its fp16 sibling
    assert (desc["name"], desc["family"], desc["architecture"], desc["config"]) == (
        "maniqa-lite", "nr-iqa", "maniqa", "lite")
    assert desc["sha256"] == sha256(onnx_path)
    assert desc["opset"] == 17
    inputs, outputs = onnx_graph.graph_io(onnx_path)
    assert desc["inputs"] == inputs == [{"name": "image", "dtype": "float32", "shape": [-1, 3, 224, 224]}]
    assert desc["outputs"] == outputs
    assert [o["shape"] for o in outputs] == [[-1], [-1, 14, 14], [-1, 14, 14]]
    pre = desc["preprocess"]
    assert (pre["color_order"], pre["layout"], pre["scale"], pre["mean"], pre["std"], pre["aggregate"]) == (
        "RGB", "NCHW", 255.0, [0.5] * 3, [0.5] * 3, "mean")
    assert pre["crop"]["policy"] == "five-point" and pre["crop"]["size"] == [224, 224]
    assert desc["score"]["direction"] == "higher-is-better"
    assert desc["training"]["status"] == "trained"
    assert "research use" in desc["training"]["data_licence"].lower()
    assert desc["licence"] == "Apache-2.0"
    assert onnx_path.stat().st_size < 16_000_000


def test_shipped_model_is_lite(shipped):
    # The shipped weights are trained (frameq_models.train.nr); torch-vs-ONNX parity was checked by
    # the exporter when they were exported, and the Java goldens pin the ONNX outputs.
    desc, onnx_path = shipped
    model = registry.build_model("maniqa", "lite", seed=0)
    assert desc["parameters"] == m.parameter_count(model)
    assert desc["gflops_per_unit"] == pytest.approx(m.gflops(model), abs=1e-4)
    assert desc["gflops_per_unit"] <= 2.0
    seeded = registry.build_model("maniqa", "lite", seed=0)
    with pytest.raises(AssertionError):  # not the random seed-0 initialisation any more
        onnx_graph.check_parity(seeded, "maniqa", onnx_path, batches=(1,), atol=1e-4)


def test_export_command_writes_a_restore_entry_with_dynamic_size(tmp_path):
    assert main(["export", "--arch", "lpienet", "--config", "tiny", "--out", str(tmp_path)]) == 0
    desc = json.loads((tmp_path / "lpienet-tiny" / "model.json").read_text())
    assert list(desc) == [k for k in _required_keys() if k != "score"]
    assert desc["family"] == "restore" and desc["preprocess"]["crop"] == {"policy": "none"}
    assert desc["inputs"][0]["shape"] == desc["outputs"][0]["shape"] == [-1, 3, -1, -1]
    assert "multiple of 4" in desc["work_unit"]
    session = ort_session(tmp_path / "lpienet-tiny" / "1" / "model.onnx")
    x = np.random.default_rng(0).random((1, 3, 37, 51), dtype=np.float32)  # not a multiple of 4
    out = session.run(["restored"], {"image": x})[0]
    assert out.shape == x.shape and 0.0 <= out.min() and out.max() <= 1.0
