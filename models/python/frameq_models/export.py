"""PyTorch -> ONNX export into the Triton-style model repository, checked against torch.

Layout written: ``<out>/<name>/<version>/model.onnx`` and ``<out>/<name>/model.json`` (see models/MODEL-JSON.md).
The exporter is the TorchScript one (``dynamo=False``), opset 17. Only the batch axis is dynamic (plus the patch-count
axis of patch-set models, ``DYNAMIC_AXES`` in the arch file): FrameQ networks work on fixed-size work units, and
fixed spatial sizes keep Swin window masks correct. Restoration graphs (family ``restore``) are fully convolutional and
also have dynamic H and W; their arch files name ``PARITY_SIZES`` and parity is checked at each of them."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import platform
from pathlib import Path
from types import ModuleType
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
import onnx
import onnxruntime as ort
import torch

OPSET = 17
ARCHITECTURES = {
    "maniqa": "frameq_models.maniqa_arch",
    "vtamiq": "frameq_models.vtamiq_arch",
    "lpienet": "frameq_models.lpienet_arch",
    "mirnet_v2": "frameq_models.mirnet_v2_arch",
    "mirnet": "frameq_models.mirnet_arch",
    "wacnn": "frameq_models.wacnn_arch",
    "stf": "frameq_models.stf_arch",
}


def arch_module(arch: str) -> ModuleType:
    """The ``<arch>_arch`` module, or a KeyError that lists the known architectures."""
    if arch not in ARCHITECTURES:
        raise KeyError(f"unknown architecture {arch!r}; expected one of {sorted(ARCHITECTURES)}")
    return importlib.import_module(ARCHITECTURES[arch])


def build_model(arch: str, config: str, seed: int = 0, **overrides) -> torch.nn.Module:
    """A freshly initialised model in eval mode; ``torch.manual_seed(seed)`` makes the random weights repeatable."""
    torch.manual_seed(seed)
    return arch_module(arch).build(config, **overrides).eval()


def load_checkpoint(model: torch.nn.Module, arch: str, path: str | os.PathLike, allow_pickle: bool = False) -> None:
    """Load a checkpoint file into ``model`` with ``strict=True``.

    Accepts a plain state_dict or a dict wrapping one (``state_dict``, ``model_state_dict``, ``params``...), with or
    without a ``module.`` prefix. Files holding pickled modules need ``allow_pickle=True`` (runs code: trusted files
    only) and the defining modules on ``sys.path``.
    """
    obj = torch.load(path, map_location="cpu", weights_only=not allow_pickle)
    state = arch_module(arch).checkpoint_to_state_dict(obj)
    model.load_state_dict(state, strict=True)


def sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export_onnx(model: torch.nn.Module, arch: str, path: str | os.PathLike, opset: int = OPSET) -> None:
    """Export ``model`` (eval mode) to ``path`` with a dynamic batch axis and run ``onnx.checker`` on the result."""
    mod = arch_module(arch)
    graph = mod.ExportGraph(model).eval()
    inputs = mod.example_inputs(model.cfg, batch=2)
    dynamic = getattr(mod, "DYNAMIC_AXES", None) or {n: {0: "batch"} for n in (*mod.INPUT_NAMES, *mod.OUTPUT_NAMES)}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        graph(*inputs)  # one eager pass before tracing (catches shape errors with a readable trace)
        torch.onnx.export(
            graph,
            inputs,
            str(path),
            input_names=list(mod.INPUT_NAMES),
            output_names=list(mod.OUTPUT_NAMES),
            dynamic_axes=dynamic,
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False,
        )
        outputs = graph(*inputs)
    outputs = (outputs,) if isinstance(outputs, torch.Tensor) else outputs
    proto = onnx.load(str(path))
    changed = False
    for spec, value in zip(proto.graph.output, outputs):  # static axes the tracer lost (e.g. channels after a Slice)
        axes = dynamic.get(spec.name, {})
        for i, dim in enumerate(spec.type.tensor_type.shape.dim):
            if i not in axes and not dim.HasField("dim_value"):
                dim.dim_value = int(value.shape[i])
                changed = True
    if changed:
        onnx.save(proto, str(path))
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)


def _tensor_spec(value: onnx.ValueInfoProto) -> dict:
    ttype = value.type.tensor_type
    dims = [d.dim_value if d.HasField("dim_value") else -1 for d in ttype.shape.dim]
    dtype = onnx.helper.tensor_dtype_to_np_dtype(ttype.elem_type).name
    return {"name": value.name, "dtype": dtype, "shape": dims}


def graph_io(path: str | os.PathLike) -> tuple[List[dict], List[dict]]:
    """Input and output specs as stored in the ONNX graph (symbolic dims -> -1)."""
    model = onnx.load(str(path), load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    inputs = [_tensor_spec(v) for v in model.graph.input if v.name not in initializers]
    return inputs, [_tensor_spec(v) for v in model.graph.output]


def ort_session(path: str | os.PathLike, threads: int = 1) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def check_parity(
    model: torch.nn.Module, arch: str, path: str | os.PathLike, batches: Iterable[int] = (1, 3), atol: float = 1e-4,
    sizes: Optional[Sequence[Sequence[int]]] = None,
) -> Dict:
    """Run torch and onnxruntime on the same random inputs per batch size; raise if any output differs by > atol.

    Models with dynamic spatial axes (``PARITY_SIZES`` in the arch file, or ``sizes``) are checked at every
    (H, W) too. Returns the max abs difference per batch size, or per ``(batch, H, W)`` for those models."""
    mod = arch_module(arch)
    session = ort_session(path)
    sizes = sizes if sizes is not None else getattr(mod, "PARITY_SIZES", None)
    cases = [(b, None) for b in batches] if sizes is None else [(b, tuple(s)) for b in batches for s in sizes]
    worst: Dict = {}
    for batch, size in cases:
        extra = {} if size is None else {"size": size}
        inputs = mod.example_inputs(model.cfg, batch=batch, seed=batch, **extra)
        with torch.no_grad():
            expected = mod.ExportGraph(model).eval()(*inputs)
        if isinstance(expected, torch.Tensor):
            expected = (expected,)
        feeds = {name: t.numpy() for name, t in zip(mod.INPUT_NAMES, inputs)}
        got = session.run(list(mod.OUTPUT_NAMES), feeds)
        diffs = []
        for name, want, have in zip(mod.OUTPUT_NAMES, expected, got):
            if tuple(want.shape) != have.shape:
                raise AssertionError(f"{path}: output {name} has shape {have.shape}, torch gives {tuple(want.shape)}")
            diffs.append(float(np.abs(want.numpy() - have).max()))
        key = batch if size is None else (batch, *size)
        worst[key] = max(diffs)
        if worst[key] > atol:
            raise AssertionError(f"{path}: onnxruntime differs from torch by {worst[key]:.3g} > {atol} at {key}")
    return worst


def to_json(obj, indent: int = 0) -> str:
    """Pretty JSON with 2-space indentation that keeps lists of scalars (shapes, mean/std) on one line."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in obj):
            return "[" + ", ".join(json.dumps(v) for v in obj) + "]"
        return "[\n" + ",\n".join(inner + to_json(v, indent + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj)


def untrained_training(seed: int, command: str) -> dict:
    return {
        "status": "untrained",
        "data": f"none: random initialisation with torch.manual_seed({seed})",
        "data_licence": "none (no training data)",
        "recipe": command,
    }


def trained_training(weights: str, data: Optional[str], data_licence: Optional[str], command: str) -> dict:
    return {
        "status": "trained",
        "data": data or f"unknown: weights loaded from {Path(weights).name} (sha256 {sha256(weights)})",
        "data_licence": data_licence or "unknown: the weights inherit the terms of their training data",
        "recipe": command,
    }


def write_repository_entry(
    model: torch.nn.Module,
    arch: str,
    config: str,
    out: str | os.PathLike,
    name: str,
    version: int,
    training: dict,
    metrics: Optional[dict] = None,
    parity_batches: Sequence[int] = (1, 3),
) -> Path:
    """Export ``model`` to ``<out>/<name>/<version>/model.onnx``, check it, write ``<out>/<name>/model.json``."""
    mod = arch_module(arch)
    folder = Path(out) / name
    onnx_path = folder / str(version) / "model.onnx"
    export_onnx(model, arch, onnx_path)
    check_parity(model, arch, onnx_path, parity_batches)
    inputs, outputs = graph_io(onnx_path)
    served = mod.serving(model.cfg)
    descriptor = {
        "name": name,
        "version": version,
        "family": served["family"],
        "architecture": arch,
        "config": config,
        "file": onnx_path.name,
        "sha256": sha256(onnx_path),
        "opset": OPSET,
        "inputs": inputs,
        "outputs": outputs,
        "preprocess": served["preprocess"],
        "score": served["score"],  # None (restore family: no score) is dropped below
        "work_unit": served["work_unit"],
        "parameters": mod.parameter_count(model),
        "gflops_per_unit": round(mod.gflops(model), 4),
        "training": training,
        "licence": served["licence"],
        "metrics": metrics or {},
    }
    descriptor = {k: v for k, v in descriptor.items() if not (k == "score" and v is None)}
    json_path = folder / "model.json"
    json_path.write_text(to_json(descriptor) + "\n")
    return json_path


def benchmark(
    model_json: str | os.PathLike, batch: int = 8, threads: int = 2, seconds: float = 10.0, warmup: int = 3,
    size: Optional[Sequence[int]] = None,
) -> dict:
    """Work units per second of the ONNX model in onnxruntime (Python, CPU) at a fixed batch and thread count.

    ``size`` (H, W) fills dynamic spatial axes (restore family: one unit = one frame of that size)."""
    import time

    desc = json.loads(Path(model_json).read_text())
    onnx_path = Path(model_json).parent / str(desc["version"]) / desc["file"]
    session = ort_session(onnx_path, threads=threads)
    rng = np.random.default_rng(0)
    feeds = {}
    per_unit = desc["preprocess"]["crop"].get("count", 1)  # dynamic axis 1 = patches per unit (fr-iqa)
    for spec in desc["inputs"]:
        shape = [batch if i == 0 else d if d != -1 else size[i - 2] if size and len(spec["shape"]) == 4 and i >= 2
                 else per_unit for i, d in enumerate(spec["shape"])]
        if np.dtype(spec["dtype"]).kind == "i":
            feeds[spec["name"]] = rng.integers(0, 3, size=shape).astype(spec["dtype"])
        else:
            low = 0 if spec["name"] in ("positions", "image") and desc["family"] != "nr-iqa" else -1
            feeds[spec["name"]] = rng.uniform(low, 1, size=shape).astype(
                spec["dtype"])
    for _ in range(warmup):
        session.run(None, feeds)
    runs, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        session.run(None, feeds)
        runs += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start  # CPU seconds of all threads: shows what a busy shared machine hides
    return {
        "units_per_second": runs * batch / elapsed,
        "ms_per_batch": 1000 * elapsed / runs,
        "cpu_seconds_per_unit": cpu / (runs * batch),
        "units_per_second_if_threads_idle": threads * runs * batch / cpu,
        "batch": batch,
        "size": list(size) if size else None,
        "threads": threads,
        "runs": runs,
        "cpu": platform.processor() or platform.machine(),
        "onnxruntime": ort.__version__,
    }
