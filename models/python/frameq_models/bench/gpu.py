"""GPU throughput of the full-size (published-configuration) models in PyTorch eager, fp32 and fp16.

Issue 6 asks for this beside the CPU comparison: FrameQ's Java GPU path cannot run on the device machine
(ONNX Runtime's Java GPU build needs CUDA 12, the device has CUDA 13), so these numbers say what the
architectures cost on an H100-class GPU, for sizing a GPU deployment, not what FrameQ's Java code does there.

Random weights (the timing depends on shapes, not values); each case is timed with CUDA events over
``--seconds`` after warm-up, in ``torch.inference_mode``. ``fp32`` allows TF32 matmuls and convolutions
(PyTorch's default for cuDNN convolutions; matmuls opted in), ``fp16`` is the model and inputs in half
precision (``model.half()``), the form the fp16 ONNX variants have.

    python -m frameq_models bench-gpu --out runs/bench-gpu      # on a CUDA machine; ~2 min on an H100
"""

from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import torch

from ..archs.registry import arch_module, build_model


@dataclass(frozen=True)
class GpuCase:
    arch: str
    config: str
    label: str
    unit: str
    units_per_run: float
    make_inputs: Callable[[object, int], Tuple[torch.Tensor, ...]]  # (cfg, batch) -> inputs
    batches: Tuple[int, ...]
    codec: bool = False  # forward of the whole codec (analysis, hyper, synthesis, likelihoods)


def _image(h: int, w: int):
    return lambda cfg, b: (torch.rand(b, 3, h, w),)


def default_cases() -> List[GpuCase]:
    return [
        GpuCase("maniqa", "full", "crop 224x224", "crop", 1, lambda cfg, b: arch_module("maniqa").example_inputs(cfg, b),
                (1, 8, 32)),
        GpuCase("vtamiq", "full", "pair, 1024 patches 16x16", "pair", 1,
                lambda cfg, b: arch_module("vtamiq").example_inputs(cfg, b, num_patches=1024), (1, 8, 32)),
        GpuCase("mirnet_v2", "full", "frame 640x360", "frame", 1, _image(360, 640), (1, 4)),
        GpuCase("mirnet_v2", "full", "frame 1920x1080", "frame", 1, _image(1080, 1920), (1,)),
        GpuCase("lpienet", "full", "frame 1920x1080", "frame", 1, _image(1080, 1920), (1, 4)),
        GpuCase("wacnn", "full", "image 768x512 (Kodak size), forward pass", "image", 1, _image(512, 768), (1, 4),
                codec=True),
        GpuCase("stf", "full", "image 768x512 (Kodak size), forward pass", "image", 1, _image(512, 768), (1, 4),
                codec=True),
    ]


def _module(case: GpuCase) -> torch.nn.Module:
    model = build_model(case.arch, case.config)
    if case.codec:
        return model
    return arch_module(case.arch).ExportGraph(model).eval()


def _time(fn, seconds: float, cuda: bool, warmup: int = 3) -> Dict[str, float]:
    """Median / min milliseconds per call: CUDA events on a GPU, the wall clock on the CPU (tests)."""
    for _ in range(warmup):
        fn()
    if cuda:
        torch.cuda.synchronize()
    times: List[float] = []
    t_end = time.time() + seconds
    while time.time() < t_end or len(times) < 5:
        if cuda:
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
            fn()
            b.record()
            b.synchronize()
            times.append(a.elapsed_time(b))
        else:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    return {"runs": len(times), "ms_median": times[len(times) // 2], "ms_min": times[0]}


def run(cases: List[GpuCase], seconds: float = 2.0, device: str = "cuda") -> dict:
    dev = torch.device(device)
    cuda = dev.type == "cuda"
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    rows = []
    for case in cases:
        model = _module(case)
        params = sum(p.numel() for p in model.parameters())
        for dtype_name, dtype in (("fp32", torch.float32), ("fp16", torch.float16)) if cuda else (("fp32", torch.float32),):
            m = model.to(dev, dtype)
            for b in case.batches:
                row = {"arch": case.arch, "config": case.config, "case": case.label, "dtype": dtype_name, "batch": b,
                       "parameters": params}
                try:
                    inputs = tuple(t.to(dev, dtype) if t.is_floating_point() else t.to(dev)
                                   for t in case.make_inputs(m.cfg if hasattr(m, "cfg") else getattr(m, "model").cfg, b))
                    if cuda:
                        torch.cuda.reset_peak_memory_stats(dev)
                    with torch.inference_mode():
                        r = _time(lambda: m(*inputs), seconds, cuda)
                    units = b * case.units_per_run
                    row.update(r, units_per_s=round(units * 1000.0 / r["ms_median"], 2),
                               ms_per_unit=round(r["ms_median"] / units, 3),
                               peak_mib=round(torch.cuda.max_memory_allocated(dev) / 2 ** 20, 1) if cuda else None,
                               unit=case.unit)
                except Exception as e:  # an fp16 overflow or an op without a half kernel is a result, not a crash
                    row["error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:160]}"
                rows.append(row)
                print(json.dumps(row), flush=True)
        del model, m
        if cuda:
            torch.cuda.empty_cache()
    return {"machine": {"gpu": torch.cuda.get_device_name(dev) if cuda else "cpu", "torch": torch.__version__,
                        "cuda": torch.version.cuda, "python": platform.python_version(),
                        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())},
            "seconds_per_case": seconds, "rows": rows}


def markdown(report: dict) -> str:
    m = report["machine"]
    out = [f"GPU: {m['gpu']}, PyTorch {m['torch']} (CUDA {m['cuda']}), eager, random weights, {m['date']}.", "",
           "| model (full config) | work unit | dtype | batch | ms / batch (median) | units / s | peak GPU MiB |",
           "|---|---|---|---|---|---|---|"]
    for r in report["rows"]:
        if "error" in r:
            out.append(f"| {r['arch']} | {r['case']} | {r['dtype']} | {r['batch']} | {r['error']} | | |")
        else:
            out.append(f"| {r['arch']} ({r['parameters'] / 1e6:.1f} M) | {r['case']} | {r['dtype']} | {r['batch']} | "
                       f"{r['ms_median']:.2f} | {r['units_per_s']:.1f} | {r['peak_mib'] or 'n/a'} |")
    return "\n".join(out) + "\n"


def add_parser(sub) -> None:
    p = sub.add_parser("bench-gpu", help="GPU throughput of the full-size models (PyTorch eager, fp32/fp16)")
    p.add_argument("--out", default="runs/bench-gpu")
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--device", default="cuda")
    p.add_argument("--only", nargs="*", default=None, help="architectures to run (default: all)")
    p.set_defaults(func=lambda args, argv: main(args))


def main(args) -> int:
    if not torch.cuda.is_available():
        raise SystemExit("bench-gpu: no CUDA device visible to PyTorch (torch.cuda.is_available() is False)")
    cases = [c for c in default_cases() if not args.only or c.arch in args.only]
    report = run(cases, args.seconds, args.device)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench-gpu.json").write_text(json.dumps(report, indent=1))
    (out / "bench-gpu.md").write_text(markdown(report))
    print(markdown(report))
    return 0
