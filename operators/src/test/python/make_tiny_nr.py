"""Build the tiny no-reference IQA stand-in used by the operators tests, plus its golden files.

The graph has the MANIQA-lite I/O contract (input ``image`` [-1,3,224,224]; outputs ``score`` [-1],
``score_map`` and ``weight_map`` [-1,14,14]) but only a few dozen weights, so the Java model layer
can be tested before, and independently of, the real model. Weights come from a fixed seed.

The golden cases run the model zoo's reference pre-processing (frameq_models.export.golden.preprocess:
Pillow bilinear upscale below the crop size, five-point crops, (x/scale - mean)/std in float32) and
store what the Java path must reproduce, in the layout of models/golden/: frame.png, input.npy (the
batch), one .npy per output, and expected.json.

Run from the repository root (re-running is deterministic; commit what it writes):

    /work/venv/bin/python operators/src/test/python/make_tiny_nr.py
"""

import hashlib
import sys
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent / "resources"
REPO = RESOURCES / "onnx"
BROKEN = RESOURCES / "onnx-broken"  # models that must fail at load
GOLDEN = RESOURCES / "golden"
NAME = "tiny-nr"
VERSION = 1
CROP = 224
MEAN = [0.5, 0.5, 0.5]
STD = [0.5, 0.5, 0.5]


class TinyNr(nn.Module):
    """Patch statistics -> 1x1 convs -> score map and weight map -> weighted mean score."""

    def __init__(self) -> None:
        super().__init__()
        self.pool = nn.AvgPool2d(16)  # 224 -> 14
        self.mix = nn.Conv2d(6, 4, 1)
        self.to_score = nn.Conv2d(4, 1, 1)
        self.to_weight = nn.Conv2d(4, 1, 1)

    def forward(self, image: torch.Tensor):
        mean = self.pool(image)
        var = self.pool(image * image) - mean * mean
        feat = torch.relu(self.mix(torch.cat([mean, var], dim=1)))
        score_map = torch.sigmoid(self.to_score(feat)).squeeze(1)
        weight_map = F.softplus(self.to_weight(feat)).squeeze(1) + 1e-3
        score = (score_map * weight_map).sum(dim=(1, 2)) / weight_map.sum(dim=(1, 2))
        return score, score_map, weight_map


class TinyNrFrozenBatch(TinyNr):
    """The trap from ARCHITECTURE.md: a reshape that froze the export batch (1) into the graph.

    The input keeps a dynamic batch but score_map comes out as [1, 14, 14] and any batch other than 1
    fails: OnnxModel must refuse it at load (the I/O check sees the frozen output shape; the warm-up
    at batch 5 would catch a graph that hid it)."""

    def forward(self, image: torch.Tensor):
        score, score_map, weight_map = super().forward(image)
        return score, score_map.view(1, 14, 14), weight_map  # traced at batch 1: the 1 is a graph constant


def export(model: nn.Module, path: Path, batch: int = 2) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    dummy = torch.zeros(batch, 3, CROP, CROP)
    torch.onnx.export(
        model,
        (dummy,),
        str(path),
        input_names=["image"],
        output_names=["score", "score_map", "weight_map"],
        dynamic_axes={"image": {0: "batch"}, "score": {0: "batch"},
                      "score_map": {0: "batch"}, "weight_map": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    m = onnx.load(str(path))
    m.producer_name = "frameq make_tiny_nr.py"
    m.doc_string = "tiny stand-in with the maniqa-lite I/O contract, for tests only"
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, str(path))


def model_json(sha256: str, params: int) -> dict:
    return {
        "name": NAME,
        "version": VERSION,
        "family": "nr-iqa",
        "architecture": "tiny_nr",
        "config": "tiny",
        "file": "model.onnx",
        "sha256": sha256,
        "opset": 17,
        "inputs": [{"name": "image", "dtype": "float32", "shape": [-1, 3, CROP, CROP]}],
        "outputs": [
            {"name": "score", "dtype": "float32", "shape": [-1]},
            {"name": "score_map", "dtype": "float32", "shape": [-1, 14, 14]},
            {"name": "weight_map", "dtype": "float32", "shape": [-1, 14, 14]},
        ],
        "preprocess": {
            "color_order": "RGB",
            "layout": "NCHW",
            "scale": 255.0,
            "mean": MEAN,
            "std": STD,
            "crop": {"policy": "five-point", "size": [CROP, CROP], "upscale_below": "bilinear"},
            "aggregate": "mean",
        },
        "score": {
            "direction": "higher-is-better",
            "range": [0.0, 1.0],
            "quality": {"kind": "linear", "low": 0.2, "high": 0.8},
        },
        "work_unit": "224x224 crop",
        "parameters": params,
        "gflops_per_unit": 0.0001,
        "training": {
            "status": "untrained",
            "data": "none: random weights from torch.manual_seed(7)",
            "data_licence": "none",
            "recipe": "/work/venv/bin/python operators/src/test/python/make_tiny_nr.py",
        },
        "licence": "Apache-2.0",
        "metrics": {},
    }


# ---- reference pre-processing: the model zoo's own (models/MODEL-JSON.md "Pre-processing, exactly") ----
sys.path.insert(0, str(HERE.parents[3] / "models" / "python"))
from frameq_models.export.golden import aggregate, preprocess as zoo_preprocess  # noqa: E402


def preprocess(rgb: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    return zoo_preprocess(rgb, model_json("0" * 64, 0)["preprocess"])


def synthetic_frame(h: int, w: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 128 + 100 * np.sin(xx / 17.0) * np.cos(yy / 23.0)
    g = 255 * xx / max(w - 1, 1)
    b = 255 * ((xx // 32 + yy // 32) % 2)
    img = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, size=(h, w, 3))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def write_golden(case: str, rgb: np.ndarray, session: ort.InferenceSession, sha256: str) -> None:
    """Same folder layout and expected.json keys as frameq_models.export.golden.write_golden."""
    out = GOLDEN / case
    out.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb, "RGB").save(out / "frame.png")
    batch, boxes = preprocess(rgb)
    outputs = session.run(None, {"image": batch})
    np.save(out / "input.npy", batch)
    for name, value in zip(["score", "score_map", "weight_map"], outputs):
        np.save(out / f"{name}.npy", value)
    expected = {
        "model": NAME,
        "version": VERSION,
        "sha256": sha256,
        "frame_score": aggregate(outputs[0].astype(np.float32), "mean"),
        "crop_scores": [float(s) for s in outputs[0]],
        "crop_boxes": boxes,
        "tolerance": 1e-4,
    }
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


def main() -> None:
    torch.manual_seed(7)
    model = TinyNr().eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * 0.8)
    onnx_path = REPO / NAME / str(VERSION) / "model.onnx"
    export(model, onnx_path)
    sha = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    params = sum(p.numel() for p in model.parameters())
    (REPO / NAME / "model.json").write_text(json.dumps(model_json(sha, params), indent=2) + "\n")

    frozen = TinyNrFrozenBatch().eval()
    frozen.load_state_dict(model.state_dict())
    frozen_path = BROKEN / "tiny-frozen-batch" / str(VERSION) / "model.onnx"
    export(frozen, frozen_path, batch=1)
    frozen_json = model_json(hashlib.sha256(frozen_path.read_bytes()).hexdigest(), params)
    frozen_json["name"] = "tiny-frozen-batch"
    (BROKEN / "tiny-frozen-batch" / "model.json").write_text(json.dumps(frozen_json, indent=2) + "\n")

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    with torch.no_grad():
        check = torch.rand(3, 3, CROP, CROP) * 2 - 1
        ref = model(check)
    got = session.run(None, {"image": check.numpy()})
    for r, g in zip(ref, got):
        np.testing.assert_allclose(r.numpy(), g, atol=1e-5)

    write_golden("tiny-nr-320x256", synthetic_frame(256, 320, seed=1), session, sha)
    # Smaller than the crop: exercises the bilinear upscale (299x224 after it).
    write_golden("tiny-nr-small-200x150", synthetic_frame(150, 200, seed=2), session, sha)
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes, sha256 {sha}) and goldens under {GOLDEN}")


if __name__ == "__main__":
    main()
