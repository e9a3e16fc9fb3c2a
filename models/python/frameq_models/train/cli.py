"""Training-side commands of ``python -m frameq_models`` (registered by ``__main__``).

  train ARCH --config CFG [--device cuda] [--minutes N] [--resume]   train an NR model
  eval-nr --weights FILE | --onnx FILE [--out DIR]                    evaluate an NR model
  eval [--photos N] [--parts iqa,restore,codec]                       all shipped models -> models/EVAL.md
  calibrate-labels [--data DIR]                                       rebuild label_calibration.json
  package-data --dst DIR                                              compact data copy for a GPU host
"""

from __future__ import annotations

import json
from pathlib import Path


def add_parsers(sub) -> None:
    """Add the training commands to an argparse sub-parser set (``func(args, argv)``)."""
    p = sub.add_parser("train", help="train a model (NR/FR IQA, restorer, codec) on the photos")
    p.add_argument("arch", choices=["maniqa", "vtamiq", "lpienet", "mirnet_v2", "wacnn"])
    p.add_argument("--config", default="lite")
    p.add_argument("--device", default="cpu")
    p.add_argument("--minutes", type=float, default=5.0, help="wall-clock training budget")
    p.add_argument("--resume", action="store_true", help="continue from <run-dir>/last.pt")
    p.add_argument("--data", default="", help="data root (photos/, real-noise/); "
                   "default $FRAMEQ_DATA or ../shared/data")
    p.add_argument("--run-dir", default=None, help="default models/python/runs/<arch>-<config>")
    p.add_argument("--batch-groups", type=int, default=None,
                   help="groups of 4 crops per batch (maniqa 64, vtamiq 6)")
    p.add_argument("--batch", type=int, default=16, help="crops per batch (restorers, codec)")
    p.add_argument("--crop", type=int, default=128, help="training crop side (restorers, codec)")
    p.add_argument("--lmbda", type=float, default=0.01,
                   help="codec rate-distortion trade-off: loss = bpp + lmbda * 255^2 * MSE")
    p.add_argument("--threads", type=int, default=1, help="torch intra-op threads (not maniqa)")
    p.add_argument("--workers", type=int, default=None, help="data loader processes (maniqa 2, others 1)")
    p.add_argument("--echo", type=int, default=None, help="optimizer steps per loaded batch")
    p.add_argument("--lr", type=float, default=None, help="peak learning rate (maniqa 4e-4)")
    p.add_argument("--warmup", type=float, default=0.06, help="warm-up fraction of the budget")
    p.add_argument("--amp", choices=["bf16", "none"], default="bf16")
    p.add_argument("--act-penalty", type=float, default=1e-3,
                   help="weight of the stage-activation mean-square penalty")
    p.add_argument("--weight-decay", type=float, default=None)
    p.add_argument("--init", default="", help="state_dict to start from (fresh optimiser/schedule), "
                   "e.g. to continue training the shipped weights")
    p.add_argument("--rank-weight", type=float, default=2.0)
    p.add_argument("--real", type=float, default=0.0,
                   help="maniqa: share of real-noise groups from the PolyU restorer-train scenes (PolyU val "
                        "logging then uses the restorer-val scenes; the test scenes stay held out)")
    p.add_argument("--type-weight", action="append", default=[], metavar="TYPE=W",
                   help="maniqa: sampling weight of a distortion type in the groups (repeatable; default "
                        "data.groups.TYPE_WEIGHTS, 1.0 for the rest)")
    p.add_argument("--ladder", type=float, default=0.0,
                   help="vtamiq: share of CDN bitrate-ladder groups (rescale + JPEG rungs, GroupSampler.ladder_p)")
    p.add_argument("--mix", choices=["all", "noise"], default="all",
                   help="restorers: degradation mix (train.restore.MIXES); noise = real and synthetic noise, light blur")
    p.add_argument("--ckpt-minutes", type=float, default=2.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-steps", type=int, default=0)
    p.set_defaults(func=run)

    e = sub.add_parser("eval-nr", help="evaluate an NR model on held-out photos and PolyU pairs")
    src = e.add_mutually_exclusive_group(required=True)
    src.add_argument("--weights", help="state_dict (.pt) of the model")
    src.add_argument("--onnx", help="exported model.onnx")
    e.add_argument("--arch", default="maniqa")
    e.add_argument("--config", default="lite")
    e.add_argument("--device", default="cpu")
    e.add_argument("--data", default="")
    e.add_argument("--out", default="models/python/runs/eval-nr")
    e.add_argument("--max-photos", type=int, default=0, help="limit held-out photos (smoke runs)")
    e.add_argument("--split", choices=["test", "train"], default="test",
                   help="photos to distort: the held-out ones, or training ones (a fit diagnostic, e.g. to "
                        "choose --type-weight without looking at held-out data)")
    e.add_argument("--workers", type=int, default=2)
    e.add_argument("--seed", type=int, default=2024)
    e.set_defaults(func=run)

    k = sub.add_parser("package-data", help="compact JPEG copy of the training/eval data")
    k.add_argument("--data", default="")
    k.add_argument("--dst", required=True)
    k.add_argument("--quality", type=int, default=95)
    k.add_argument("--max-side", type=int, default=1600)
    k.add_argument("--keep-jpeg-up-to", type=int, default=0,
                   help="copy JPEG originals up to this long side unchanged (no re-encoding)")
    k.set_defaults(func=run)

    m = sub.add_parser("card", help="write a training run's command, wall time and final losses into model.json "
                                    "metrics (the model card; training.* keys are fixed by the schema)")
    m.add_argument("--model", required=True)
    m.add_argument("--repository", default="../repository")
    m.add_argument("--run-dir", action="append", required=True, help="run folder(s) with train.log, in order")
    m.add_argument("--train-command", action="append", required=True, help="training command(s), same order")
    m.add_argument("--machine", default="shared 2-core dev VM, CPU only, 1 torch thread")
    m.add_argument("--append", action="store_true",
                   help="keep the card's earlier training stages (a fine-tune of the shipped weights) and add these")
    m.set_defaults(func=run)

    q = sub.add_parser("settle-quantiles", help="finish a codec's entropy-bottleneck quantile fit (no data needed)")
    q.add_argument("--arch", default="wacnn")
    q.add_argument("--config", default="lite")
    q.add_argument("--weights", required=True)
    q.add_argument("--out", required=True)
    q.set_defaults(func=run)

    from ..eval.all_models import add_parser as add_eval_parser

    add_eval_parser(sub)

    c = sub.add_parser("calibrate-labels", help="per-type label calibration from training crops")
    c.add_argument("--data", default="")
    c.add_argument("--crops", type=int, default=16)
    c.add_argument("--seed", type=int, default=7)
    c.add_argument("--out", default="")
    c.add_argument("--types", nargs="*", default=None,
                   help="calibrate only these types and keep the others' medians from the existing file")
    c.set_defaults(func=run)


def run(args, argv=None) -> int:
    if args.command == "train":
        if args.run_dir is None:
            args.run_dir = f"models/python/runs/{args.arch}-{args.config}"
        from .dispatch import train

        train(args)
        return 0
    if args.command == "card":
        from ..common.jsonfmt import to_json
        from .loop import training_card

        path = Path(args.repository) / args.model / "model.json"
        desc = json.loads(path.read_text())
        card = training_card(args.run_dir, args.train_command, args.machine)
        metrics = desc.setdefault("metrics", {})
        if args.append:
            card["training_stages"] = metrics.get("training_stages", []) + card["training_stages"]
            card["training_wall_minutes_total"] = round(sum(s["wall_minutes"] for s in card["training_stages"]), 1)
            if metrics.get("training_machine") not in (None, args.machine):
                card["training_machine"] = f"{metrics['training_machine']}; then {args.machine}"
        metrics.update(card)
        path.write_text(to_json(desc) + "\n")
        print(json.dumps(desc["metrics"], indent=1))
        return 0
    if args.command == "eval-nr":
        from ..eval.nr import main as eval_main

        return eval_main(args)
    if args.command == "settle-quantiles":
        from .codec import settle_file

        print(json.dumps(settle_file(args.arch, args.config, args.weights, args.out)))
        return 0
    if args.command == "package-data":
        from ..data.photos import default_data_root, package_data

        root = Path(args.data) if args.data else default_data_root()
        print(json.dumps(package_data(root, args.dst, args.quality, args.max_side,
                                         args.keep_jpeg_up_to)))
        return 0
    if args.command == "calibrate-labels":
        from ..data.groups import calibration_crops
        from ..data.labels import ANCHORS, CALIBRATION_FILE, SEVERITY, calibrate
        from ..data.photos import default_data_root

        root = Path(args.data) if args.data else default_data_root()
        crops = calibration_crops(root, args.crops, args.seed)
        out = Path(args.out) if args.out else CALIBRATION_FILE
        medians = calibrate(crops, args.types)
        if args.types:
            kept = json.loads(CALIBRATION_FILE.read_text())["medians"]
            medians = {**kept, **medians}
        doc = {"description": "median ensemble distance D per distortion type at levels 1..5 "
                              "(see frameq_models/data/labels.py)",
               "command": f"python -m frameq_models calibrate-labels --crops {args.crops} "
                          f"--seed {args.seed}" + (f" --types {' '.join(args.types)}" if args.types else ""),
               "crops": len(crops), "anchors": list(ANCHORS), "severity": SEVERITY,
               "medians": medians}
        lines = [f'  "{k}": {json.dumps(v)}' for k, v in medians.items()]
        head = json.dumps({k: v for k, v in doc.items() if k != "medians"}, indent=1)[:-2]
        out.write_text(head + ',\n "medians": {\n' + ",\n".join(lines) + "\n }\n}\n")
        print(f"wrote {out}")
        return 0
    raise AssertionError(args.command)
