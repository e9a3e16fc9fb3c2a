"""One model repository entry: ``<out>/<name>/<version>/model.onnx`` and ``<out>/<name>/model.json``.

See models/MODEL-JSON.md for the descriptor; the graph itself comes from :mod:`frameq_models.export.onnx_graph`
(codecs, several graphs and tables per entry, from :mod:`frameq_models.export.codec_graphs`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

import torch

from ..archs.registry import arch_module
from ..common.files import sha256
from ..common.jsonfmt import to_json
from .onnx_graph import OPSET, check_parity, export_onnx, graph_io


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
