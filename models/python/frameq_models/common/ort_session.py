"""The one place that opens ONNX Runtime sessions, so every tool runs a graph the way the Java side does."""

from __future__ import annotations

import os

import onnxruntime as ort


def ort_session(path: str | os.PathLike, threads: int = 1) -> ort.InferenceSession:
    """A CPU session with the options of ``io.frameq.onnx.OrtRuntime``: all graph optimisations, sequential
    execution, ``threads`` intra-op threads and one inter-op thread.

    ``threads=0`` leaves the intra-op count to ONNX Runtime (one per core), for one-off checks where speed
    matters more than matching the Java configuration."""
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def ort_version() -> str:
    return ort.__version__
