"""Side-by-side model runtime on this machine: PyTorch eager vs ONNX Runtime (Python) vs FrameQ Java (ONNX Runtime
Java through ``io.frameq.onnx.GraphBenchmark``), for every shipped model, on the SAME ONNX file, input shapes and
thread count.

For each case the three runtimes run one after the other (Java in a child JVM, so no two compete for the cores), and
the whole set of cases is repeated ``--rounds`` times so that a burst of load from other jobs on a shared machine
hits all three alike; the report keeps the best round of each runtime (least disturbed) and every round's numbers,
and the median of the per-round ORT Python / Java ratios (the two run back to back, so a slow minute slows both:
the reading this VM's drift moves least). ``--no-torch`` leaves PyTorch eager out of the rounds.

PyTorch eager runs the architecture's export wrapper (``ExportGraph``, the module the ONNX file was traced from)
with random weights of the same architecture and config: the timing depends on shapes, not on weight values.

Run from the repository root after ``mvn -o -B -q -pl operators test-compile`` (``GraphBenchmark`` is in the test
sources) and writing the classpath:

    mvn -o -B -q -pl operators dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=/tmp/frameq-cp.txt
    cd models/python && .venv/bin/python -m frameq_models compare-runtimes --java-classpath-file /tmp/frameq-cp.txt

Writes ``compare-runtimes.json`` and ``compare-runtimes.md`` into ``--out``.

Maven serves ONNX Runtime Java only up to 1.29.0 here while Python runs 1.30.0. To time the *same engine* from
both sides (the Java binding's own cost, nothing else), hand the Java side the 1.30.0 engine of the npm package:

    cd /tmp && npm pack onnxruntime-node@1.30.0 && tar xzf onnxruntime-node-1.30.0.tgz
    ... compare-runtimes --java-classpath-file /tmp/frameq-cp.txt \
        --ort-native /tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1

Same version is not same binary: the npm build runs MIRNet-v2-lite a few percent slower than the PyPI wheel in
Node.js too (BENCHMARKS.md), and the wheel exports no C API that Java could load.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[4]
PEAK_GFLOPS = 156.0  # this 2-core AVX-512 VM's fp32 FMA peak, as stated in issue 6


@dataclass(frozen=True)
class Case:
    """One comparison: a model graph, the input shapes fed to it, and the compute of one run."""

    model: str
    label: str
    shapes: Dict[str, Tuple[int, ...]]
    units: float  # work units per run, in model.json's unit
    graph: Optional[str] = None  # codec graph name (e.g. "g_a"), None for the model's main file
    variant: Optional[str] = None  # a sibling graph of model.json's variants (e.g. "int8"); torch eager stays fp32
    gflops: Optional[float] = None  # per run; None: gflops_per_unit x units from model.json
    notes: str = ""


def default_cases() -> List[Case]:
    px = lambda h, w: h * w / (256 * 256)  # noqa: E731 (restorers' model.json unit: 256x256 pixels)
    return [
        Case("maniqa-lite", "5 crops 224x224 (one frame)", {"image": (5, 3, 224, 224)}, 5),
        Case("vtamiq-lite", "1 pair, 256 patches 16x16", {"patches_ref": (1, 256, 3, 16, 16),
                                                            "patches_dist": (1, 256, 3, 16, 16),
                                                            "positions": (1, 256, 2), "scales": (1, 256, 2)}, 1),
        Case("lpienet-lite", "1 frame 1280x720", {"image": (1, 3, 720, 1280)}, px(720, 1280)),
        Case("lpienet-lite", "1 frame 640x360", {"image": (1, 3, 360, 640)}, px(360, 640)),
        Case("mirnet-v2-lite", "1 frame 1280x720", {"image": (1, 3, 720, 1280)}, px(720, 1280)),
        Case("mirnet-v2-lite", "1 frame 640x360", {"image": (1, 3, 360, 640)}, px(360, 640)),
        Case("maniqa-lite", "5 crops 224x224, int8 graph", {"image": (5, 3, 224, 224)}, 5, variant="int8",
             notes="int8 sibling (variants.int8, onnx.cpu.int8=true); torch eager and GFLOP are the fp32 model's"),
        Case("vtamiq-lite", "1 pair, 256 patches, int8 graph", {"patches_ref": (1, 256, 3, 16, 16),
                                                                 "patches_dist": (1, 256, 3, 16, 16),
                                                                 "positions": (1, 256, 2), "scales": (1, 256, 2)}, 1,
             variant="int8", notes="int8 sibling; torch eager and GFLOP are the fp32 model's"),
        Case("wacnn-lite", "analysis g_a, 1 frame 640x384", {"x": (1, 3, 384, 640)}, 1, graph="g_a",
             notes="GFLOP counted with torch.utils.flop_counter on g_a (model.json's figure is the whole codec)"),
    ]


def _descriptor(repo: Path, model: str) -> dict:
    return json.loads((repo / model / "model.json").read_text())


def _graph_info(repo: Path, case: Case) -> Tuple[Path, List[dict]]:
    desc = _descriptor(repo, case.model)
    if case.graph:
        g = desc["codec"]["graphs"][case.graph]
        return repo / case.model / str(desc["version"]) / g["file"], g["inputs"]
    if case.variant:
        return repo / case.model / str(desc["version"]) / desc["variants"][case.variant]["file"], desc["inputs"]
    return repo / case.model / str(desc["version"]) / desc["file"], desc["inputs"]


def _feeds(inputs: Sequence[dict], shapes: Dict[str, Tuple[int, ...]]) -> Dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    feeds = {}
    for spec in inputs:
        shape = shapes[spec["name"]]
        if spec["dtype"] == "int64":
            feeds[spec["name"]] = rng.integers(0, 3, size=shape).astype(np.int64)
        else:
            feeds[spec["name"]] = rng.uniform(0, 1, size=shape).astype(np.float32)
    return feeds


def _timed(run, seconds: float, warmup: int, min_runs: int) -> dict:
    for _ in range(warmup):
        run()
    runs, start, cpu0 = 0, time.perf_counter(), time.process_time()
    while True:
        run()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and runs >= min_runs:
            break
    return {"runs": runs, "seconds_per_run": elapsed / runs, "cpu_seconds_per_run": (time.process_time() - cpu0) / runs}


def run_ort_python(onnx_path: Path, feeds, threads: int, seconds: float, warmup: int, min_runs: int) -> dict:
    from ..common.ort_session import ort_session, ort_version

    session = ort_session(onnx_path, threads)  # the session options of io.frameq.onnx.OrtRuntime
    r = _timed(lambda: session.run(None, feeds), seconds, warmup, min_runs)
    del session
    return {"runtime": "ort-python", "onnxruntime": ort_version(), **r}


def _eager_module(repo: Path, case: Case):
    from ..archs.registry import arch_module, build_model

    desc = _descriptor(repo, case.model)
    model = build_model(desc["architecture"], desc.get("config", "lite"))
    if case.graph:
        return getattr(model, case.graph).eval()
    return arch_module(desc["architecture"]).ExportGraph(model).eval()


def run_torch_eager(repo: Path, case: Case, feeds, threads: int, seconds: float, warmup: int, min_runs: int) -> dict:
    import torch

    torch.set_num_threads(threads)
    module = _eager_module(repo, case)
    args = [torch.from_numpy(v) for v in feeds.values()]
    with torch.inference_mode():
        r = _timed(lambda: module(*args), seconds, warmup, min_runs)
    return {"runtime": "torch-eager", "torch": torch.__version__, **r}


def counted_gflops(repo: Path, case: Case, feeds) -> float:
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    module = _eager_module(repo, case)
    args = [torch.from_numpy(v) for v in feeds.values()]
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        module(*args)
    return counter.get_total_flops() / 1e9


def run_java(classpath: str, model_json: Path, case: Case, threads: int, seconds: float, warmup: int,
             min_runs: int, java: str = "java", jvm_options: Sequence[str] = ()) -> dict:
    cmd = [java, *jvm_options, "-cp", classpath, "io.frameq.onnx.GraphBenchmark", "--model-json", str(model_json),
           "--threads", str(threads), "--seconds", str(seconds), "--warmup", str(warmup), "--min-runs", str(min_runs)]
    if case.graph:
        cmd += ["--graph", case.graph]
    if case.variant:
        cmd += ["--variant", case.variant]
    for name, shape in case.shapes.items():
        cmd += ["--input", f"{name}={'x'.join(str(d) for d in shape)}"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    r = json.loads(line)
    engine = next((o.split("=", 1)[1] for o in jvm_options if o.startswith("-Donnxruntime.native.onnxruntime.path=")), None)
    version = r["onnxruntime"] if engine is None else f"binding {r['onnxruntime']}, engine {Path(engine).name} " \
        f"({Path(engine).parent})"
    return {"runtime": "frameq-java", "onnxruntime": version, "runs": r["runs"],
            "seconds_per_run": r["seconds_per_run"], "cpu_seconds_per_run": r["cpu_seconds_per_run"]}


def _elf_hash(name: bytes) -> int:
    h = 0
    for c in name:
        h = (h << 4) + c
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h


def relinked_jni(classpath: str, engine: Path, out_dir: Path) -> Path:
    """A copy of the classpath jar's ``libonnxruntime4j_jni.so`` that links against ``engine``.

    ONNX Runtime's Maven jar (1.29.0 here) binds to the symbol version ``VERS_<its version>`` of
    libonnxruntime; the C API itself is versioned and backward compatible, so a newer engine (1.30.0
    from the onnxruntime-node npm package, the version Python runs) serves the older binding once the
    version requirement names the engine's. The requirement is renamed in place (same length) and its
    ELF hash updated; nothing else changes. Used only to time the same engine from Java and Python."""
    import re
    import struct
    import zipfile

    want = max(set(re.findall(rb"VERS_(\d+\.\d+\.\d+)\x00", engine.read_bytes())),
               key=lambda v: tuple(int(x) for x in v.split(b".")))
    jar = next(p for p in classpath.split(os.pathsep) if re.search(r"onnxruntime(_gpu)?-[\d.]+\.jar$", p))
    with zipfile.ZipFile(jar) as z:
        b = bytearray(z.read("ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so"))
    shoff = struct.unpack_from("<Q", b, 0x28)[0]
    shentsize, shnum, _ = struct.unpack_from("<HHH", b, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize) for i in range(shnum)]
    verneed = [s for s in secs if s[1] == 0x6FFFFFFE]  # SHT_GNU_verneed
    if not verneed:
        raise ValueError(f"{jar}: JNI library has no version requirements")
    _, _, _, _, off, _, link, count, _, _ = verneed[0]
    strtab = secs[link][4]
    for _ in range(count):
        _, cnt, _, aux, nxt = struct.unpack_from("<HHIII", b, off)
        a = off + aux
        for _ in range(cnt):
            _, _, _, name, anext = struct.unpack_from("<IHHII", b, a)
            start = strtab + name
            old = bytes(b[start:b.index(0, start)])
            if old.startswith(b"VERS_") and len(old) == len(b"VERS_" + want):
                b[start:start + len(old)] = b"VERS_" + want
                struct.pack_into("<I", b, a, _elf_hash(b"VERS_" + want))
            a += anext
            if not anext:
                break
        if not nxt:
            break
        off += nxt
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"libonnxruntime4j_jni-for-{want.decode()}.so"
    path.write_bytes(bytes(b))
    return path


def _machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()}


def compare(repo: Path, classpath: str, cases: Sequence[Case], threads: int = 2, seconds: float = 8.0,
            warmup: int = 2, min_runs: int = 3, rounds: int = 2, peak_gflops: float = PEAK_GFLOPS,
            progress=print, jvm_options: Sequence[str] = (), torch: bool = True) -> dict:
    """Runs every case in every runtime ``rounds`` times; returns the report (best round per runtime + all rounds).

    ``torch=False`` leaves PyTorch eager out (its columns read "-"), for rounds spent on the Java/Python ratio only.
    """
    report = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": _machine(),
              "load_average_at_start": list(os.getloadavg()), "threads": threads, "seconds_per_measurement": seconds,
              "rounds": rounds, "peak_gflops": peak_gflops, "jvm_options": list(jvm_options), "cases": []}
    prepared = []
    for case in cases:
        onnx_path, inputs = _graph_info(repo, case)
        feeds = _feeds(inputs, case.shapes)
        desc = _descriptor(repo, case.model)
        gflops = case.gflops if case.gflops is not None else (
            counted_gflops(repo, case, feeds) if case.graph else desc["gflops_per_unit"] * case.units)
        runtimes = ["ort-python", "frameq-java"] + (["torch-eager"] if torch else [])
        prepared.append((case, onnx_path, feeds, gflops, {name: [] for name in runtimes}))
    for rnd in range(rounds):
        for case, onnx_path, feeds, gflops, results in prepared:
            model_json = repo / case.model / "model.json"
            ort_sides = [
                ("ort-python", lambda: run_ort_python(onnx_path, feeds, threads, seconds, warmup, min_runs)),
                ("frameq-java", lambda: run_java(classpath, model_json, case, threads, seconds, warmup, min_runs,
                                                 jvm_options=jvm_options))]
            # The two ONNX Runtime sides swap places every round, so neither always runs straight after torch
            # eager (or first) on a VM whose speed follows what ran before.
            for name, run in ort_sides if rnd % 2 == 0 else ort_sides[::-1]:
                results[name].append(run())
            if torch:
                results["torch-eager"].append(run_torch_eager(repo, case, feeds, threads, seconds, warmup, min_runs))
            progress(f"round {rnd + 1}/{rounds} {case.model} {case.label}: " + ", ".join(
                f"{k} {v[-1]['seconds_per_run'] * 1000:.1f} ms" for k, v in results.items()))
    for case, onnx_path, feeds, gflops, results in prepared:
        best = {k: min(v, key=lambda r: r["seconds_per_run"]) for k, v in results.items()}
        entry = {"model": case.model, "work": case.label, "onnx": str(onnx_path.relative_to(repo)),
                 "inputs": {k: list(v) for k, v in case.shapes.items()}, "units_per_run": case.units,
                 "gflops_per_run": gflops, "notes": case.notes, "best": {}, "all_rounds": results}
        for k, r in best.items():
            entry["best"][k] = {"ms_per_run": r["seconds_per_run"] * 1000, "runs": r["runs"],
                                "cpu_ms_per_run": r["cpu_seconds_per_run"] * 1000,
                                "gflops_per_second": gflops / r["seconds_per_run"],
                                "fraction_of_peak": gflops / r["seconds_per_run"] / peak_gflops}
        b = entry["best"]
        # On a VM whose speed drifts by +-20 % within a minute, the best round favours whichever runtime met a
        # fast window; the median over interleaved rounds is the steadier ratio (both are reported).
        med = {k: float(np.median([r["seconds_per_run"] for r in v])) for k, v in results.items()}
        entry["median_ms_per_run"] = {k: v * 1000 for k, v in med.items()}
        entry["java_vs_ort_python_median"] = med["ort-python"] / med["frameq-java"]
        entry["java_vs_ort_python_paired"] = paired_ratio(results["ort-python"], results["frameq-java"])
        entry["java_vs_ort_python"] = b["ort-python"]["ms_per_run"] / b["frameq-java"]["ms_per_run"]
        if "torch-eager" in b:
            entry["java_vs_torch_eager"] = b["torch-eager"]["ms_per_run"] / b["frameq-java"]["ms_per_run"]
        report["cases"].append(entry)
    report["load_average_at_end"] = list(os.getloadavg())
    return report


def paired_ratio(python_rounds: Sequence[dict], java_rounds: Sequence[dict]) -> float:
    """Median over rounds of (ORT Python time / Java time) within the same round.

    The two sides of a round run back to back, so a slow minute of the VM slows both; the median of these
    per-round ratios is the reading least moved by the VM's drift (medians of each side's times can pair a fast
    minute of one with a slow minute of the other).
    """
    ratios = [p["seconds_per_run"] / j["seconds_per_run"] for p, j in zip(python_rounds, java_rounds)]
    return float(np.median(ratios))


def _ratio_cell(c: dict, key: str) -> str:
    return f"{c[key]:.2f}x" if key in c else "-"


def _versions(report: dict, runtime: str) -> str:
    found = {r.get("onnxruntime") for c in report["cases"] for r in c["all_rounds"].get(runtime, [])}
    return "/".join(sorted(v for v in found if v)) or "?"


def markdown(report: dict) -> str:
    la = report["load_average_at_start"]
    lines = [
        f"Date {report['date']}, {report['machine']['cpu']}, {report['machine']['cores']} cores, "
        f"{report['threads']} intra-op threads everywhere, best (and median) of {report['rounds']} interleaved rounds of "
        f"{report['seconds_per_measurement']:.0f} s each (at least 3 runs); load average {la[0]:.2f} at start, "
        f"{report['load_average_at_end'][0]:.2f} at end. Wall ms per run; CPU ms = process CPU time per run (all "
        f"threads), which other jobs on a shared machine disturb far less than wall time. Ratios: the other "
        f"runtime's time / FrameQ Java's (>1 = Java faster). GFLOP/s from wall time, and from CPU time as "
        f"GFLOP / (CPU s / threads): the rate with the threads' cores to itself (spin-waiting counts as CPU, so this "
        f"is a lower bound); % of the stated {report['peak_gflops']:.0f} GFLOP/s peak. ONNX Runtime: Python "
        f"{_versions(report, 'ort-python')}, FrameQ Java {_versions(report, 'frameq-java')}"
        + (f" (JVM options: {' '.join(report['jvm_options'])})" if report.get("jvm_options") else "") + ".",
        "",
        "| model | work per run | GFLOP | torch eager ms | ORT Python ms | FrameQ Java ms | Java vs ORT Py (wall) | "
        "Java vs ORT Py (median of rounds) | Java vs ORT Py (median of per-round ratios) | "
        "ORT Py CPU ms | Java CPU ms | Java vs ORT Py (CPU) | Java vs torch (wall) | Java GFLOP/s wall (% peak) | "
        "Java GFLOP/s CPU-time (% peak) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in report["cases"]:
        b = c["best"]
        cpu_py = min(r["cpu_seconds_per_run"] for r in c["all_rounds"]["ort-python"]) * 1000
        cpu_java = min(r["cpu_seconds_per_run"] for r in c["all_rounds"]["frameq-java"]) * 1000
        torch_ms = f"{b['torch-eager']['ms_per_run']:.1f}" if "torch-eager" in b else "-"
        lines.append(
            f"| {c['model']} | {c['work']} | {c['gflops_per_run']:.2f} | {torch_ms} | "
            f"{b['ort-python']['ms_per_run']:.1f} | {b['frameq-java']['ms_per_run']:.1f} | "
            f"{c['java_vs_ort_python']:.2f}x | {_ratio_cell(c, 'java_vs_ort_python_median')} | "
            f"{_ratio_cell(c, 'java_vs_ort_python_paired')} | {cpu_py:.0f} | {cpu_java:.0f} | {cpu_py / cpu_java:.2f}x | "
            f"{_ratio_cell(c, 'java_vs_torch_eager')} | "
            f"{b['frameq-java']['gflops_per_second']:.2f} ({100 * b['frameq-java']['fraction_of_peak']:.1f} %) | "
            f"{c['gflops_per_run'] / (cpu_java / 1000 / report['threads']):.1f} "
            f"({100 * c['gflops_per_run'] / (cpu_java / 1000 / report['threads']) / report['peak_gflops']:.0f} %) |")
    notes = [c for c in report["cases"] if c["notes"]]
    if notes:
        lines.append("")
        lines += [f"- {c['model']} ({c['work']}): {c['notes']}" for c in notes]
    return "\n".join(lines) + "\n"


def add_parser(sub) -> None:
    p = sub.add_parser("compare-runtimes", help="PyTorch eager vs ONNX Runtime Python vs FrameQ Java, same graph")
    p.add_argument("--repository", default=str(REPO_ROOT / "models" / "repository"))
    p.add_argument("--java-classpath-file", default=None,
                   help="file with the operators runtime classpath (mvn dependency:build-classpath -DincludeScope=runtime; "
                        "with the test scope on it ONNX Runtime Java crashed at environment creation here); "
                        "operators/target/classes and test-classes (GraphBenchmark) are prepended")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--ort-native", default=None,
                   help="libonnxruntime.so.1 for the Java side instead of the jar's, e.g. the same ONNX Runtime version as "
                        "Python's from the onnxruntime-node npm package (npm pack onnxruntime-node@1.30.0): separates the "
                        "Java binding's cost from the engine version (see relinked_jni). That npm build itself runs "
                        "MIRNet-v2-lite ~5 %% slower than the PyPI wheel, in Node.js as in Java (BENCHMARKS.md), so it "
                        "is not the wheel's engine either")
    p.add_argument("--no-torch", action="store_true",
                   help="leave PyTorch eager out: every round goes to ORT Python vs FrameQ Java")
    p.add_argument("--seconds", type=float, default=8.0, help="per runtime, case and round (at least --min-runs)")
    p.add_argument("--min-runs", type=int, default=3)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--peak-gflops", type=float, default=PEAK_GFLOPS, help="the CPU's fp32 peak for the %% column")
    p.add_argument("--only", nargs="*", default=None, help="model names to keep")
    p.add_argument("--out", default=str(REPO_ROOT / "models" / "python" / "reports" / "compare-runtimes"))
    p.add_argument("--markdown-from", default=None, help="only rewrite the markdown table from this compare-runtimes.json")
    p.set_defaults(func=_main)


def _native_options(engine: str, classpath: str) -> list:
    import tempfile

    engine_path = Path(engine).resolve()
    jni = relinked_jni(classpath, engine_path, Path(tempfile.mkdtemp(prefix="frameq-ort-jni-")))
    return [f"-Donnxruntime.native.onnxruntime.path={engine_path}", f"-Donnxruntime.native.onnxruntime4j_jni.path={jni}"]


def _main(args, argv) -> int:
    if args.markdown_from:
        md = markdown(json.loads(Path(args.markdown_from).read_text()))
        Path(args.markdown_from).with_suffix(".md").write_text(md)
        print(md)
        return 0
    if not args.java_classpath_file:
        raise SystemExit("compare-runtimes: --java-classpath-file is required (see the module docstring)")
    target = REPO_ROOT / "operators" / "target"
    cp = os.pathsep.join([str(target / "classes"), str(target / "test-classes"),
                          Path(args.java_classpath_file).read_text().strip()])
    cases = [c for c in default_cases() if not args.only or c.model in args.only]
    report = compare(Path(args.repository), cp, cases, threads=args.threads, seconds=args.seconds,
                     min_runs=args.min_runs, rounds=args.rounds, peak_gflops=args.peak_gflops,
                     progress=lambda s: print(s, file=sys.stderr, flush=True),
                     jvm_options=_native_options(args.ort_native, cp) if args.ort_native else [], torch=not args.no_torch)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "compare-runtimes.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "compare-runtimes.md").write_text(markdown(report))
    print(markdown(report))
    return 0
