"""Command line: ``python -m frameq_models {export,convert,golden,bench,bench-gpu,compare-runtimes,export-fp16,export-int8,train,eval-nr,eval-faults,eval-tamper,train-faulthead,calibrate-labels,package-data} ...``
(run ``-h`` on each). export, convert, golden and bench are handled here, the training commands in ``train/cli.py``,
the others by the ``add_parser`` of their modules (``bench/``, ``export/fp16.py``, ``export/int8.py``)."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def _command_line(argv) -> str:
    return "python -m frameq_models " + " ".join(shlex.quote(a) for a in argv)


def _export(args, argv) -> int:
    from .archs.registry import architecture, build_model, load_checkpoint
    from .export.repository import trained_training, untrained_training, write_repository_entry

    model = build_model(args.arch, args.config, seed=args.seed, scale=args.scale)
    if args.weights:
        load_checkpoint(model, args.arch, args.weights, allow_pickle=args.allow_pickle)
        training = trained_training(args.weights, args.training_data, args.data_licence, _command_line(argv))
    else:
        training = untrained_training(args.seed, _command_line(argv))
    name = args.name or f"{args.arch}-{args.config}"
    if architecture(args.arch).family == "codec":
        from .export.codec_graphs import write_codec_entry

        path = write_codec_entry(model, args.arch, args.config, args.out, name, args.version, training)
    else:
        path = write_repository_entry(model, args.arch, args.config, args.out, name, args.version, training)
    desc = json.loads(path.read_text())
    print(f"wrote {path} (sha256 {desc['sha256']}, {desc['parameters']} parameters, "
          f"{desc['gflops_per_unit']} GFLOP per {desc['work_unit']})")
    return 0


def _golden(args, argv) -> int:
    from .export.golden import write_golden

    folder = write_golden(args.model, args.repository, args.out, frame=args.frame, reference=args.reference)
    print(f"wrote {folder}")
    return 0


def _bench(args, argv) -> int:
    from .bench.onnx_cpu import benchmark
    from .common.jsonfmt import to_json

    model_json = Path(args.repository) / args.model / "model.json"
    result = benchmark(model_json, batch=args.batch, threads=args.threads, seconds=args.seconds, size=args.size)
    print(json.dumps(result, indent=2))
    if args.record:
        desc = json.loads(model_json.read_text())
        desc["metrics"] = {
            "ort_python_cpu_units_per_second": round(result["units_per_second"], 1),
            "ort_python_cpu_batch": args.batch,
            "ort_python_cpu_intra_op_threads": args.threads,
            **({"ort_python_cpu_frame_size": list(args.size)} if args.size else {}),
            "ort_python_cpu_seconds_per_unit": round(result["cpu_seconds_per_unit"], 3),
            "ort_python_cpu_units_per_second_if_threads_idle": round(result["units_per_second_if_threads_idle"], 2),
            "source": _command_line(argv) + f" (onnxruntime {result['onnxruntime']}, {args.machine})",
        }
        model_json.write_text(to_json(desc) + "\n")
        print(f"recorded in {model_json}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m frameq_models", description="FrameQ model zoo tools")
    sub = p.add_subparsers(dest="command", required=True)

    def model_args(sp, config_default):
        sp.add_argument("--arch", required=True, help="architecture, e.g. maniqa")
        sp.add_argument("--config", default=config_default, help="full | lite | tiny")
        sp.add_argument("--scale", type=float, default=None, help="MANIQA Swin residual scale (0.8 KonIQ/KADID, "
                                                                  "0.13 PIPAL22); default: the config's")
        sp.add_argument("--name", default=None, help="repository folder name (default <arch>-<config>)")
        sp.add_argument("--version", type=int, default=1)
        sp.add_argument("--seed", type=int, default=0, help="torch seed for the random initialisation")
        sp.add_argument("--training-data", default=None, help="model.json training.data for loaded weights")
        sp.add_argument("--data-licence", default=None, help="model.json training.data_licence for loaded weights")
        sp.add_argument("--allow-pickle", action="store_true",
                        help="allow checkpoints that hold pickled objects (runs code from the file: trusted only)")

    e = sub.add_parser("export", help="export a (random or given) model to <out>/<name>/<version>/model.onnx")
    model_args(e, "lite")
    e.add_argument("--out", required=True, help="model repository directory")
    e.add_argument("--weights", default=None, help="checkpoint to load (strict) instead of random weights")
    e.set_defaults(func=_export)

    c = sub.add_parser("convert", help="load an official checkpoint (strict) into the full config and export it")
    model_args(c, "full")
    c.add_argument("--checkpoint", required=True, dest="weights")
    c.add_argument("--out", default=str(REPO_ROOT / "out" / "repository"), help="model repository directory "
                   "(default: <repo>/out/repository, git-ignored; full models are hundreds of MB)")
    c.set_defaults(func=_export)

    g = sub.add_parser("golden", help="write golden inputs/outputs for the Java parity test")
    g.add_argument("--model", required=True)
    g.add_argument("--repository", required=True)
    g.add_argument("--out", required=True, help="golden directory (files go to <out>/<model>/)")
    g.add_argument("--frame", default=None, help="photo to copy in as frame.png, or as dist.png for fr-iqa "
                   "models (default: keep the existing one)")
    g.add_argument("--reference", default=None, help="fr-iqa: reference photo to copy in as ref.png")
    g.set_defaults(func=_golden)

    b = sub.add_parser("bench", help="work units per second in onnxruntime (Python, CPU)")
    b.add_argument("--model", required=True)
    b.add_argument("--repository", required=True)
    b.add_argument("--batch", type=int, default=8)
    b.add_argument("--threads", type=int, default=2)
    b.add_argument("--seconds", type=float, default=20.0)
    b.add_argument("--size", type=int, nargs=2, default=None, metavar=("H", "W"),
                   help="frame size for models with dynamic H, W (restore family)")
    b.add_argument("--record", action="store_true", help="write the result into model.json metrics")
    b.add_argument("--machine", default="unspecified machine", help="machine description stored with --record")
    b.set_defaults(func=_bench)

    from .bench.compare_runtimes import add_parser as add_compare_parser

    add_compare_parser(sub)

    from .bench.decode import add_parser as add_decode_parser

    add_decode_parser(sub)

    from .bench.gpu import add_parser as add_gpu_parser

    add_gpu_parser(sub)

    from .export.fp16 import add_parser as add_fp16_parser

    add_fp16_parser(sub)

    from .export.int8 import add_parser as add_int8_parser

    add_int8_parser(sub)

    from .eval.faults import add_parser as add_faults_parser

    add_faults_parser(sub)

    from .eval.tamper import add_parser as add_tamper_parser

    add_tamper_parser(sub)

    from .train.faulthead import add_parser as add_faulthead_parser

    add_faulthead_parser(sub)

    from .train.cli import add_parsers as add_training_parsers

    add_training_parsers(sub)
    return p


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(argv)
    return args.func(args, argv)


if __name__ == "__main__":
    sys.exit(main())
