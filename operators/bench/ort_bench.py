"""onnxruntime (Python) counterpart of io.frameq.quality.ScorerBenchmark's bare phase.

Same graph, batch, threads and session options as the Java OnnxModel (CPU provider, all graph
optimizations, sequential execution, intra-op threads N, inter-op 1), input uniform in [-1, 1], all
outputs fetched. Prints crops/s from wall time and the process CPU time per batch, which other jobs
on a shared machine disturb far less. Run from the repository root:

    /work/venv/bin/python operators/bench/ort_bench.py --model models/repository/maniqa-lite/1/model.onnx \
        --batch 5 --threads 2 --seconds 20
"""

import argparse
import json
import time

import numpy as np
import onnxruntime as ort


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--batch", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = a.threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(a.model, sess_options=opts, providers=["CPUExecutionProvider"])
    feeds = {}
    for i in session.get_inputs():
        shape = [a.batch if not isinstance(d, int) or d < 0 else d for d in i.shape]
        feeds[i.name] = np.random.default_rng(0).uniform(-1, 1, size=shape).astype(np.float32)
    for _ in range(a.warmup):
        session.run(None, feeds)
    runs, cpu0, start = 0, time.process_time(), time.perf_counter()
    while time.perf_counter() - start < a.seconds:
        session.run(None, feeds)
        runs += 1
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu0
    print(json.dumps({
        "onnxruntime": ort.__version__, "batch": a.batch, "intra_op_threads": a.threads, "runs": runs,
        "units_per_second": round(runs * a.batch / elapsed, 1), "ms_per_batch": round(1000 * elapsed / runs, 2),
        "cpu_ms_per_batch": round(1000 * cpu / runs, 2),
    }))


if __name__ == "__main__":
    main()
