"""Work units per second of a repository model in ONNX Runtime (Python, CPU): ``python -m frameq_models bench``."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..common.ort_session import ort_session, ort_version


def benchmark(
    model_json: str | os.PathLike, batch: int = 8, threads: int = 2, seconds: float = 10.0, warmup: int = 3,
    size: Optional[Sequence[int]] = None,
) -> dict:
    """Work units per second of the ONNX model in onnxruntime (Python, CPU) at a fixed batch and thread count.

    ``size`` (H, W) fills dynamic spatial axes (restore family: one unit = one frame of that size)."""
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
        "onnxruntime": ort_version(),
    }
