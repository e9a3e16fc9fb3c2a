"""ONNX export of the learned codecs (family ``codec``): one graph per neural transform + integer CDF tables.

Written into ``<out>/<name>/<version>/``:

- ``g_a.onnx`` (x -> y), ``h_a.onnx`` (y -> z), ``h_s.onnx`` (z_hat -> means, scales),
  ``cc_<i>.onnx`` (means, scales[, support] -> mu, sigma) and ``lrp_<i>.onnx`` (means[, support], y_hat -> lrp) per
  slice i, ``g_s.onnx`` (y_hat -> x_hat clamped to [0, 1]). Opset 17, TorchScript exporter, batch/H/W dynamic where
  the architecture allows (``DYNAMIC_HW`` in the arch module; otherwise one set of graphs per padded size).
- ``tables/*.bin`` little-endian int32 (float32 for medians and scales) + ``tables.json`` (index: file, dtype,
  shape, sha256), built by ``model.update()``.

Every graph is checked with ``onnx.checker`` (full) and onnxruntime vs torch (max abs difference <= 1e-4) at two
image sizes (multiples of 64) and two batch sizes. See models/MODEL-JSON.md, "Family codec".
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import onnx
import torch
from torch import nn

from ..archs.registry import arch_module
from ..codec.tables import write_tables
from ..common.files import sha256
from ..common.jsonfmt import to_json
from ..common.ort_session import ort_session
from .onnx_graph import OPSET, graph_io

PARITY_SIZES: Tuple[Tuple[int, int], ...] = ((64, 64), (128, 192))


class _Graph(nn.Module):
    """Wraps a graph function; the model is a submodule so that tracing sees its weights as parameters."""

    def __init__(self, fn: Callable, model: nn.Module):
        super().__init__()
        self.fn = fn
        self.model = model

    def forward(self, *args):
        return self.fn(*args)


class GraphSpec:
    """One exported graph: a callable, its I/O names and a maker of example inputs for an image size."""

    def __init__(self, name: str, module: nn.Module, fn: Callable, inputs: Sequence[str], outputs: Sequence[str],
                 shapes: Callable[[int, int, int], List[Tuple[int, ...]]]):
        self.name, self.fn, self.inputs, self.outputs, self.shapes = name, fn, list(inputs), list(outputs), shapes
        self.module = module

    def example(self, batch: int, height: int, width: int, seed: int) -> Tuple[torch.Tensor, ...]:
        gen = torch.Generator().manual_seed(seed)
        out = []
        for name, shape in zip(self.inputs, self.shapes(batch, height, width)):
            if name == "x":
                out.append(torch.rand(shape, generator=gen))
            else:
                out.append(torch.randn(shape, generator=gen) * 2)
        return tuple(out)


def codec_graphs(model) -> List[GraphSpec]:
    """The graphs of a WACNN/STF-style model (attributes g_a, h_a, h_mean_s, h_scale_s, slice_params, slice_lrp)."""
    cfg = model.cfg
    m, n, d = cfg.M, cfg.N, cfg.slice_depth
    y = lambda b, h, w: (b, m, h // 16, w // 16)
    specs = [
        GraphSpec("g_a", model, lambda x: model.g_a(x), ["x"], ["y"], lambda b, h, w: [(b, 3, h, w)]),
        GraphSpec("h_a", model, lambda t: model.h_a(t), ["y"], ["z"], lambda b, h, w: [y(b, h, w)]),
        GraphSpec("h_s", model, lambda z: (model.h_mean_s(z), model.h_scale_s(z)), ["z_hat"], ["means", "scales"],
                  lambda b, h, w: [(b, n, h // 64, w // 64)]),
    ]
    for i in range(cfg.num_slices):
        k = model.support_count(i)
        sup = lambda b, h, w, k=k: [(b, d * k, h // 16, w // 16)] if k else []
        if k:
            cc = lambda mu, sc, s, i=i: model.slice_params(i, mu, sc, list(s.split(d, dim=1)))
            lrp = lambda mu, s, yh, i=i: model.slice_lrp(i, mu, list(s.split(d, dim=1)), yh)
        else:
            cc = lambda mu, sc, i=i: model.slice_params(i, mu, sc, [])
            lrp = lambda mu, yh, i=i: model.slice_lrp(i, mu, [], yh)
        support_name = ["support"] if k else []
        specs.append(GraphSpec(f"cc_{i}", model, cc, ["means", "scales", *support_name], ["mu", "sigma"],
                               lambda b, h, w, sup=sup: [y(b, h, w), y(b, h, w), *sup(b, h, w)]))
        specs.append(GraphSpec(f"lrp_{i}", model, lrp, ["means", *support_name, "y_hat"], ["lrp"],
                               lambda b, h, w, sup=sup: [y(b, h, w), *sup(b, h, w), (b, d, h // 16, w // 16)]))
    specs.append(GraphSpec("g_s", model, lambda t: model.g_s(t).clamp(0.0, 1.0), ["y_hat"], ["x_hat"],
                           lambda b, h, w: [y(b, h, w)]))
    return specs


def export_graph(spec: GraphSpec, path: Path, size: Tuple[int, int], dynamic_hw: bool = True) -> None:
    graph = _Graph(spec.fn, spec.module).eval()
    inputs = spec.example(2, *size, seed=0)
    axes = {0: "batch", 2: "height", 3: "width"} if dynamic_hw else {0: "batch"}
    dynamic = {name: dict(axes) for name in (*spec.inputs, *spec.outputs)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        graph(*inputs)
        torch.onnx.export(graph, inputs, str(path), input_names=spec.inputs, output_names=spec.outputs,
                          dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True, dynamo=False)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)


def check_graph(spec: GraphSpec, path: Path, cases: Sequence[Tuple[int, int, int]], atol: float = 1e-4) -> float:
    """Max abs difference ORT vs torch over ``cases`` = (batch, height, width); raises above ``atol``."""
    session = ort_session(path)
    worst = 0.0
    for j, (b, h, w) in enumerate(cases):
        inputs = spec.example(b, h, w, seed=j + 1)
        with torch.no_grad():
            want = spec.fn(*inputs)
        want = (want,) if isinstance(want, torch.Tensor) else tuple(want)
        got = session.run(spec.outputs, {n: t.numpy() for n, t in zip(spec.inputs, inputs)})
        for name, a, g in zip(spec.outputs, want, got):
            if tuple(a.shape) != g.shape:
                raise AssertionError(f"{path.name}: {name} shape {g.shape}, torch {tuple(a.shape)} at {(b, h, w)}")
            diff = float(np.abs(a.numpy() - g).max())
            worst = max(worst, diff)
            if diff > atol:
                raise AssertionError(f"{path.name}: {name} differs by {diff:.3g} > {atol} at {(b, h, w)}")
    return worst


def export_codec(model, folder: Path, sizes: Sequence[Tuple[int, int]] = PARITY_SIZES,
                 dynamic_hw: bool = True, atol: float = 1e-4) -> Dict[str, dict]:
    """Export every graph of ``model`` into ``folder`` and check it; returns name -> {file, sha256, inputs, outputs,
    max_abs_diff}."""
    model.eval()
    cases = [(1, *sizes[0]), (3, *sizes[-1])] if dynamic_hw else [(1, *sizes[0]), (3, *sizes[0])]
    result = {}
    for spec in codec_graphs(model):
        path = folder / f"{spec.name}.onnx"
        export_graph(spec, path, sizes[0], dynamic_hw)
        worst = check_graph(spec, path, cases, atol)
        inputs, outputs = graph_io(path)
        result[spec.name] = {"file": path.name, "sha256": sha256(path), "inputs": inputs, "outputs": outputs,
                             "max_abs_diff": worst}
    return result


def write_codec_entry(model, arch: str, config: str, out, name: str, version: int, training: dict,
                      metrics: Optional[dict] = None, sizes: Sequence[Tuple[int, int]] = PARITY_SIZES) -> Path:
    """Export graphs + tables to ``<out>/<name>/<version>/`` and write ``<out>/<name>/model.json``."""
    mod = arch_module(arch)
    folder = Path(out) / name
    vdir = folder / str(version)
    dynamic_hw = getattr(mod, "DYNAMIC_HW", True)
    graphs = export_codec(model, vdir, sizes, dynamic_hw)
    write_tables(model, vdir)  # hashed into the descriptor below
    cfg = model.cfg
    entry = graphs["g_a"]
    descriptor = {
        "name": name,
        "version": version,
        "family": "codec",
        "architecture": arch,
        "config": config,
        "file": entry["file"],
        "sha256": entry["sha256"],
        "opset": OPSET,
        "inputs": entry["inputs"],
        "outputs": entry["outputs"],
        "preprocess": {"color_order": "RGB", "layout": "NCHW", "scale": 255.0, "mean": [0.0, 0.0, 0.0],
                       "std": [1.0, 1.0, 1.0], "crop": {"policy": "none", "pad": "centre-zero", "multiple": 64},
                       "aggregate": "mean"},
        "score": {"direction": "higher-is-better", "range": [0.0, 100.0],
                  "quality": {"kind": "linear", "low": 20.0, "high": 45.0}},
        "work_unit": "frame padded to a multiple of 64 (score: PSNR in dB of the decoded frame)",
        "parameters": mod.parameter_count(model),
        "gflops_per_unit": round(mod.gflops(model, 256), 4),
        "training": training,
        "licence": mod.LICENCE,
        "metrics": metrics or {},
        "codec": {
            "graphs": {k: {kk: vv for kk, vv in v.items() if kk != "max_abs_diff"} for k, v in graphs.items()},
            "dynamic_hw": dynamic_hw,
            "y_channels": cfg.M,
            "z_channels": cfg.N,
            "num_slices": cfg.num_slices,
            "slice_depth": cfg.slice_depth,
            "max_support_slices": cfg.max_support_slices,
            "y_stride": 16,
            "z_stride": 64,
            "tables": "tables.json",
            "tables_sha256": sha256(vdir / "tables.json"),
            "entropy_coder": {"kind": "rans64", "precision": 16, "bypass_bits": 4, "scale_bound": 0.11},
            "gflops_at": [256, 256],
        },
    }
    json_path = folder / "model.json"
    json_path.write_text(to_json(descriptor) + "\n")
    return json_path
