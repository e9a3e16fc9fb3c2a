"""PyTorch -> ONNX export of one architecture's graph, checked against torch.

The exporter is the TorchScript one (``dynamo=False``), opset 17. Only the batch axis is dynamic (plus the patch-count
axis of patch-set models, ``DYNAMIC_AXES`` in the arch module): FrameQ networks work on fixed-size work units, and
fixed spatial sizes keep Swin window masks correct. Restoration graphs (family ``restore``) are fully convolutional and
also have dynamic H and W; their arch modules name ``PARITY_SIZES`` and parity is checked at each of them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
import onnx
import torch

from ..archs.registry import arch_module
from ..common.ort_session import ort_session

OPSET = 17


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
