"""Train, check and export the fault-head classifier (archs/faulthead.py) on CPU in a few minutes.

    python -m frameq_models train-faulthead --data /work/shared/data --run-dir /tmp/fh-run \
        [--out ../repository --version 1]

Training set (only files of the *fit* half of eval-faults' split, so its check half stays unseen):
- clean frames: the fit-half clean photos of eval-faults (photos/, the clean members of real-fault pairs, PolyU
  clean means), frames of the fit-half clean clips (one every 4 s), and the Debian opencv-doc example photos (not in
  the benchmark); each as it is and as ``clean_variant`` renders (exposure, noise, JPEG, shallow depth of field);
- synthetic faults: every fault class of ``data/fault_renders.py`` rendered on those clean frames;
- the fit-half real fault photos (49 in the benchmark, about 30 in the fit half), each as a few random crops.
Weights trained on the real fault photos inherit their terms (mostly research / non-commercial, see
shared/data/real-faults/README.md); ``--no-real`` trains on synthetic renders and clean photos only.

Features are computed once (``FixedFeatures`` has no learned weights) and cached in the run dir; the MLP then trains
in seconds. Each class's decision threshold is set so that at most ``--clean-fpr`` of the fit-half clean frames exceed
it, and then folded into the exported graph (``p' = sigmoid(logit - logit(t))``), so 0.5 is every class's threshold
in Java. Reports per-class recall on the check half (real faults) and false flags on check-half clean frames.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from ..archs.faulthead import CLASSES, CONFIGS, box_resize, build
from ..data.fault_renders import render
from ..eval.faults import IMAGE_EXT, VIDEO_EXT, fault_label, half, scene_id

# eval-faults labels -> fault-head classes (eval's "blur" is the head's "defocused").
LABEL_TO_CLASS = {"blur": "defocused", "raindrops": "raindrops", "soiled": "soiled",
                  "low_visibility": "low_visibility", "dark": "dark", "overexposed": "overexposed",
                  "glare": "glare", "covered": "covered"}
OPENCV_DOC = Path("/usr/share/doc/opencv-doc/examples")
# opencv-doc photos that are blurred on purpose (the benchmark uses them as real blur faults) or not photos.
OPENCV_SKIP = {"text_defocus", "text_motion", "licenseplate_motion", "ela_modified", "board", "ellipses",
               "starry_night", "pic1", "pic2", "pic3", "pic4", "pic5", "pic6", "notes", "imageTextN", "imageTextR"}
WORK_SIDE = 640
FOLDS = 4


def read_rgb(path: Path) -> np.ndarray | None:
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return None if img is None else img[..., ::-1].copy()


def shrink(img: np.ndarray, side: int = WORK_SIDE) -> np.ndarray:
    h, w = img.shape[:2]
    s = side / max(h, w)
    return img if s >= 1 else cv2.resize(img, (int(round(w * s)), int(round(h * s))), interpolation=cv2.INTER_AREA)


def clip_frames(clip: Path, every_s: float) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(clip))
    rate = cap.get(cv2.CAP_PROP_FPS) or 25.0
    step = max(1, int(round(rate * every_s)))
    out, i = [], 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if i % step == 0:
            out.append(frame[..., ::-1].copy())
        i += 1
    cap.release()
    return out


def collect(data: Path, every_s: float = 4.0) -> dict[str, list]:
    """{'fit': {'clean': [...], 'fault': [(img, label)]}, 'check': {...}} with images as RGB uint8 arrays.
    Same files and the same split as eval-faults (clean photos, clean members of pairs, PolyU clean means, clips)."""
    sets = {h: {"clean": [], "fault": [], "clean_names": [], "fault_names": []} for h in ("fit", "check")}
    rf = data / "real-faults"

    def add(kind, h, img, name, label=None):
        if img is None:
            return
        if kind == "clean":
            sets[h]["clean"].append(img)
            sets[h]["clean_names"].append(name)
        else:
            sets[h]["fault"].append((img, label))
            sets[h]["fault_names"].append(name)

    for p in sorted(rf.rglob("*")):
        if p.suffix.lower() not in IMAGE_EXT:
            continue
        label = fault_label(p)
        if label is not None:
            add("fault", half(scene_id(p)), read_rgb(p), str(p), label)
        elif "_clean" in p.stem:
            add("clean", half(scene_id(p)), read_rgb(p), str(p))
    for sub in ["CBSD68", "McMaster", "Sun80", "Urban100", "skimage", "debian-wallpapers"]:
        for p in sorted((data / "photos" / sub).rglob("*")):
            if p.suffix.lower() in IMAGE_EXT:
                add("clean", half(f"{sub}/{p.stem}"), read_rgb(p), str(p))
    for p in sorted((data / "real-noise" / "polyu-dev").glob("*")):
        if p.suffix.lower() in IMAGE_EXT and not p.stem.endswith("_real"):
            add("clean", half(scene_id(p)), read_rgb(p), str(p))
    clips = sorted(q for q in (rf / "clean-footage").rglob("*") if q.suffix.lower() in VIDEO_EXT)
    clips += sorted(q for q in (data / "video").rglob("*") if q.suffix.lower() in VIDEO_EXT)
    for clip in clips:
        h = half(f"clip/{clip.stem}")
        for k, f in enumerate(clip_frames(clip, every_s)):
            add("clean", h, f, f"{clip}#{k}")
    return sets


def collect_gathered(folder: Path) -> dict[str, list]:
    """A gathered folder (eval-faults --extra: MANIFEST.tsv with path and type) as one more half, ``extra``."""
    from ..eval.faults import collect_extra
    out = {"clean": [], "fault": [], "clean_names": [], "fault_names": []}
    for it in collect_extra(folder):
        img = read_rgb(Path(it["file"]))
        if img is None or min(img.shape[:2]) < 64:
            continue
        if it["label"] == "clean":
            out["clean"].append(img)
            out["clean_names"].append(it["file"])
        elif it["label"] in LABEL_TO_CLASS:
            out["fault"].append((img, it["label"]))
            out["fault_names"].append(it["file"])
    return out


def extra_clean() -> list[np.ndarray]:
    """Debian opencv-doc example photos: not part of the benchmark (the three blurred ones excepted and skipped)."""
    out = []
    if OPENCV_DOC.is_dir():
        for p in sorted(OPENCV_DOC.rglob("*.jpg")):
            if p.stem in OPENCV_SKIP or p.stat().st_size < 30_000:
                continue
            img = read_rgb(p)
            if img is not None and min(img.shape[:2]) >= 200:
                out.append(img)
    return out


def random_crop(img: np.ndarray, rng: np.random.Generator, lo: float = 0.6) -> np.ndarray:
    h, w = img.shape[:2]
    s = rng.uniform(lo, 1.0)
    ch, cw = max(32, int(h * s)), max(32, int(w * s * rng.uniform(0.85, 1.15)))
    ch, cw = min(ch, h), min(cw, w)
    y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    out = img[y:y + ch, x:x + cw]
    return out[:, ::-1] if rng.random() < 0.5 else out


class Featurizer:
    def __init__(self, config: str):
        self.model = build(config).eval()
        self.size = self.model.cfg.size

    def __call__(self, images: list[np.ndarray]) -> np.ndarray:
        out = []
        for k in range(0, len(images), 64):
            x = np.stack([box_resize(im, self.size) for im in images[k:k + 64]]) / 255.0
            with torch.no_grad():
                out.append(self.model.features(torch.from_numpy(x).permute(0, 3, 1, 2).float()).numpy())
        return np.concatenate(out) if out else np.zeros((0, self.model.features.num_features), np.float32)


def onehot(labels: list[str | None]) -> np.ndarray:
    y = np.zeros((len(labels), len(CLASSES)), np.float32)
    for i, lab in enumerate(labels):
        if lab is not None:
            y[i, CLASSES.index(lab)] = 1
    return y


def build_half(clean: list[np.ndarray], faults: list, feat: Featurizer, rng, renders_per_image: int, real_crops: int,
               use_real: bool, name: str):
    """Feature rows of one source of training frames: each clean frame as it is and as synthetic renders (one group
    per frame), and each real fault photo with random crops (one group per photo, flagged ``real``)."""
    xs, ys, groups, raw, real = [], [], [], [], []
    base = [shrink(im) for im in clean]
    t0 = time.time()
    batch, labels = [], []
    classes = list(CLASSES)
    for i, im in enumerate(base):
        batch.append(im)
        labels.append(None)
        groups.append(i)
        raw.append(True)
        for _ in range(renders_per_image):
            kind = classes[int(rng.integers(0, len(classes)))] if rng.random() < 0.8 else "clean"
            src = random_crop(im, rng, 0.5)
            batch.append(render(src, kind, rng))
            labels.append(None if kind == "clean" else kind)
            groups.append(i)
            raw.append(False)
        if len(batch) >= 256 or i == len(base) - 1:
            xs.append(feat(batch))
            ys.append(onehot(labels))
            batch, labels = [], []
            print(f"{name}: rendered {i + 1}/{len(base)} clean frames ({time.time() - t0:.0f} s)", file=sys.stderr)
    real += [False] * len(groups)
    if use_real and faults:
        imgs, labels = [], []
        for k, (im, lab) in enumerate(faults):
            im = shrink(im, 1600)
            imgs.append(im)
            labels.append(LABEL_TO_CLASS[lab])
            for _ in range(real_crops):
                imgs.append(random_crop(im, rng, 0.7))
                labels.append(LABEL_TO_CLASS[lab])
            groups += [len(base) + k] * (1 + real_crops)
            raw += [False] * (1 + real_crops)
            real += [True] * (1 + real_crops)
        xs.append(feat(imgs))
        ys.append(onehot(labels))
    nf = xs[0].shape[1] if xs else 1
    return {"x": np.concatenate(xs) if xs else np.zeros((0, nf), np.float32),
            "y": np.concatenate(ys) if ys else np.zeros((0, len(CLASSES)), np.float32),
            "g": np.array(groups, np.int64), "raw": np.array(raw, bool), "real": np.array(real, bool)}


def training_rows(sets, feat: Featurizer, args, run_dir: Path, halves: tuple[str, ...]):
    """The training rows of the chosen halves plus the opencv-doc photos, each source's rows computed once and cached
    in the run dir (renders are the slow part); group ids made unique across sources."""
    parts = []
    sources = [(h, sets[h]["clean"], sets[h]["fault"]) for h in halves] + [("opencv-doc", extra_clean(), [])]
    for k, (name, clean, faults) in enumerate(sources):
        cache = run_dir / (f"rows-{args.config}-r{args.renders}-c{args.real_crops}-s{args.seed}"
                           f"-real{int(not args.no_real)}-{name}.npz")
        if cache.exists():
            part = dict(np.load(cache))
        else:
            rng = np.random.default_rng([args.seed, k, len(clean), len(faults)])
            part = build_half(clean, faults, feat, rng, args.renders, args.real_crops, not args.no_real, name)
            np.savez(cache, **part)
        part["g"] = part["g"] + 1_000_000 * k
        parts.append(part)
    cat = {key: np.concatenate([p[key] for p in parts]) for key in ("x", "y", "g", "raw", "real")}
    w = np.where(cat["real"], args.real_weight, 1.0).astype(np.float32)
    return cat["x"], cat["y"], w, cat["g"], cat["raw"]


def train_mlp(model, x, y, w, epochs: int, lr: float, seed: int):
    torch.manual_seed(seed)
    xt, yt, wt = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(w)
    model.feat_mean.copy_(xt.mean(0))
    model.feat_std.copy_(xt.std(0).clamp_min(1e-4))
    opt = torch.optim.AdamW(model.mlp.parameters(), lr=lr, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    n = len(xt)
    model.train()
    for ep in range(epochs):
        perm = torch.randperm(n)
        tot = 0.0
        for k in range(0, n, 512):
            idx = perm[k:k + 512]
            logits = model.logits_from_features(xt[idx])
            loss = (F.binary_cross_entropy_with_logits(logits, yt[idx], reduction="none").mean(1) * wt[idx]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss.detach()) * len(idx)
        sched.step()
    print(f"trained {epochs} epochs, last loss {tot / n:.4f}", file=sys.stderr)
    model.eval()
    return model


def probs(model, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return torch.sigmoid(model.logits_from_features(torch.from_numpy(x))).numpy()


def thresholds_for(p_clean: np.ndarray, clean_fpr: float, floor: float) -> np.ndarray:
    """Per class: the smallest threshold (at least `floor`) exceeded by at most `clean_fpr` of the clean frames."""
    return np.array([max(floor, float(np.quantile(p_clean[:, c], 1 - clean_fpr)) + 1e-4) for c in range(len(CLASSES))])


def fold_thresholds(model, t: np.ndarray) -> None:
    """Shift each output logit so that the class's threshold maps to 0.5."""
    last = model.mlp[-1]
    with torch.no_grad():
        last.bias -= torch.from_numpy(np.log(t / (1 - t))).float()


def evaluate(model, feat: Featurizer, sets, h: str) -> dict:
    out = {}
    xc = feat(sets[h]["clean"])
    pc = probs(model, xc)
    out["clean_flagged"] = [int((pc > 0.5).any(1).sum()), len(pc)]
    names = sets[h]["clean_names"]
    out["clean_flagged_by"] = {CLASSES[c]: int((pc[:, c] > 0.5).sum()) for c in range(len(CLASSES))}
    clip = np.array(["#" in n for n in names])
    out["clean_clip_flagged"] = [int((pc[clip] > 0.5).any(1).sum()), int(clip.sum())]
    out["clean_photo_flagged"] = [int((pc[~clip] > 0.5).any(1).sum()), int((~clip).sum())]
    out["clean_flagged_files"] = [n for n, f in zip(names, (pc > 0.5).any(1)) if f][:40]
    if sets[h]["fault"]:
        xf = feat([im for im, _ in sets[h]["fault"]])
        pf = probs(model, xf)
        per = {}
        for (im, lab), p, name in zip(sets[h]["fault"], pf, sets[h]["fault_names"]):
            c = CLASSES.index(LABEL_TO_CLASS[lab])
            d = per.setdefault(lab, [0, 0, 0])
            d[0] += int((p > 0.5).any())
            d[1] += int(p[c] > 0.5)
            d[2] += 1
        out["faults_any_right_n"] = per
        out["faults_all"] = [sum(v[0] for v in per.values()), sum(v[1] for v in per.values()),
                             sum(v[2] for v in per.values())]
    return out


def export(model, onnx_path: Path) -> dict:
    """ONNX export (input ``image`` [N, 3, S, S] RGB in [0, 1]; output ``probabilities`` [N, classes]) and parity
    against torch on real-looking inputs."""
    import onnxruntime as ort
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    s = model.cfg.size
    dummy = torch.rand(2, 3, s, s)
    torch.onnx.export(model, (dummy,), str(onnx_path), input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}}, opset_version=17,
                      dynamo=False)
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    g = torch.Generator().manual_seed(0)
    x = torch.rand(3, 3, s, s, generator=g)
    x[1] = x[1] * 0.1  # dark
    x[2] = torch.nn.functional.avg_pool2d(x[2:3], 9, 1, 4)[0]  # soft
    with torch.no_grad():
        ref = model(x).numpy()
    got = sess.run(None, {"image": x.numpy()})[0]
    return {"max_abs_diff_vs_torch": float(np.abs(ref - got).max())}


def write_golden(model, onnx_path: Path, folder: Path, frame_png: Path, version: int) -> None:
    """Golden files for the Java parity test (GoldenParityTest): frame.png, input.npy (the box-averaged
    [1, 3, S, S] input), probabilities.npy (onnxruntime's output) and expected.json."""
    import shutil
    import onnxruntime as ort
    folder.mkdir(parents=True, exist_ok=True)
    if frame_png.resolve() != (folder / "frame.png").resolve():
        shutil.copyfile(frame_png, folder / "frame.png")
    rgb = read_rgb(folder / "frame.png")
    x = (box_resize(rgb, model.cfg.size) / 255.0).astype(np.float32).transpose(2, 0, 1)[None]
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    p = sess.run(None, {"image": x})[0]
    np.save(folder / "input.npy", x)
    np.save(folder / "probabilities.npy", p.astype(np.float32))
    (folder / "expected.json").write_text(json.dumps({
        "model": "fault-head", "version": version,
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "classes": list(CLASSES), "probabilities": [float(v) for v in p[0]], "tolerance": 1e-4}, indent=2) + "\n")


def run(args) -> int:
    run_dir = Path(args.run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    feat = Featurizer(args.config)
    t0 = time.time()
    if args.from_checkpoint:
        ck = torch.load(args.from_checkpoint, map_location="cpu")
        model = build(ck["config"])
        model.load_state_dict(ck["state_dict"])
        model.eval()
        export_entry(model, args, ck["report"])
        return 0
    cached = run_dir / f"collect-every{args.every_s:g}.pkl"
    if cached.exists():
        import pickle
        sets = pickle.loads(cached.read_bytes())
    else:
        import pickle
        sets = collect(Path(args.data), args.every_s)
        for h in sets.values():  # large photos shrunk once (the features see 256 px): keeps the cache small
            h["clean"] = [shrink(im, 1024) for im in h["clean"]]
            h["fault"] = [(shrink(im, 1024), lab) for im, lab in h["fault"]]
        cached.write_bytes(pickle.dumps(sets))
    if args.extra:
        sets["extra"] = collect_gathered(Path(args.extra))
        sets["extra"]["clean"] = [shrink(im, 1024) for im in sets["extra"]["clean"]]
        sets["extra"]["fault"] = [(shrink(im, 1024), lab) for im, lab in sets["extra"]["fault"]]
        print(f"extra: {len(sets['extra']['clean'])} clean, {len(sets['extra']['fault'])} fault", file=sys.stderr)
    halves = tuple(args.train_halves.split(","))
    for h in halves:
        if h not in sets:
            raise SystemExit(f"--train-halves names {h!r}, which is not loaded (fit, check, extra with --extra)")
    print(f"fit: {len(sets['fit']['clean'])} clean, {len(sets['fit']['fault'])} fault; check: "
          f"{len(sets['check']['clean'])} clean, {len(sets['check']['fault'])} fault ({time.time() - t0:.0f} s)",
          file=sys.stderr)
    x, y, w, g, raw = training_rows(sets, feat, args, run_dir, halves)
    print(f"training set {x.shape} ({time.time() - t0:.0f} s)", file=sys.stderr)
    # Thresholds from out-of-fold probabilities of the unrendered clean frames: a model scores the frames it was
    # trained on too well, and thresholds set on them let through many more false flags on unseen frames.
    folds = g % FOLDS
    p_clean = np.zeros((int(raw.sum()), len(CLASSES)), np.float32)
    at = np.where(raw)[0]
    for f in range(FOLDS):
        part = build(args.config)
        train_mlp(part, x[folds != f], y[folds != f], w[folds != f], args.epochs, args.lr, args.seed)
        sel = at[folds[at] == f]
        p_clean[np.searchsorted(at, sel)] = probs(part, x[sel])
    t = thresholds_for(p_clean, args.clean_fpr, args.floor)
    model = build(args.config)
    train_mlp(model, x, y, w, args.epochs, args.lr, args.seed)
    fold_thresholds(model, t)
    report = {"thresholds": dict(zip(CLASSES, [round(float(v), 4) for v in t])),
              "trained_on": list(halves),
              **{h: evaluate(model, feat, sets, h) for h in sets},
              "train_rows": int(len(x)), "seconds": round(time.time() - t0, 1),
              "command": "python -m frameq_models " + " ".join(sys.argv[1:])}
    torch.save({"config": args.config, "state_dict": model.state_dict(), "report": report}, run_dir / "faulthead.pt")
    if args.out:
        export_entry(model, args, report)
    (run_dir / "report.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    return 0


def export_entry(model, args, report: dict) -> None:
    onnx_path = Path(args.out) / "fault-head" / str(args.version) / "model.onnx"
    report["parity"] = export(model, onnx_path)
    write_model_json(onnx_path, model, args, report)
    if args.golden:
        write_golden(model, onnx_path, Path(args.golden) / "fault-head", Path(args.golden_frame), args.version)
    print(f"exported {onnx_path}: {report['parity']}", file=sys.stderr)


def write_model_json(onnx_path: Path, model, args, report: dict) -> None:
    s = model.cfg.size
    sha = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    data = ("Synthetic camera faults (frameq_models/data/fault_renders.py: raindrops, soiling, fog/smoke, glare, "
            "defocus/motion blur, under/over-exposure, covered lens) rendered on the fit half of the eval-faults clean "
            "frames (photos/, clean pair members, PolyU clean means, clean clips at one frame per "
            f"{args.every_s:g} s) and Debian opencv-doc example photos; {args.renders} renders per frame")
    if not args.no_real:
        data += (f"; plus the fit-half real fault photos of shared/data/real-faults ({args.real_crops} random crops "
                 "each). The check half of eval-faults was never trained on")
    descriptor = {
        "name": "fault-head",
        "version": args.version,
        "family": "fault-head",
        "architecture": "faulthead",
        "config": args.config,
        "file": "model.onnx",
        "sha256": sha,
        "opset": 17,
        "inputs": [{"name": "image", "dtype": "float32", "shape": [-1, 3, s, s]}],
        "outputs": [{"name": "probabilities", "dtype": "float32", "shape": [-1, len(CLASSES)]}],
        "preprocess": {"color_order": "RGB", "layout": "NCHW", "scale": 255.0, "mean": [0.0, 0.0, 0.0],
                       "std": [1.0, 1.0, 1.0], "crop": {"policy": "none", "size": [s, s]}},
        "work_unit": f"one frame, box-averaged to {s}x{s}",
        "parameters": int(sum(p.numel() for p in model.mlp.parameters())),
        "training": {
            "status": "trained",
            "data": data,
            "data_licence": ("Research / non-commercial use only: the weights inherit the terms of the real fault "
                             "photos (SIDL: no licence, cite; windshield photos: origin unknown; O-HAZE, SSARCandy, "
                             "kwentar: research use) and of the training photos (CBSD68/BSDS, McMaster, Sun80, "
                             "Urban100: research use; PolyU: non-commercial; debian-wallpapers and opencv-doc: free "
                             "licences)") if not args.no_real else
                            ("Research use only: the weights inherit the terms of the training photos (CBSD68/BSDS, "
                             "McMaster, Sun80, Urban100: research use; PolyU: non-commercial; debian-wallpapers and "
                             "opencv-doc: free licences)"),
            "recipe": report.get("command", "") + (("; exported by python -m frameq_models " + " ".join(sys.argv[1:]))
                                                   if args.from_checkpoint else ""),
        },
        "licence": "Apache-2.0",
        "metrics": {
            "classes": list(CLASSES),
            "decision": "each output is a probability whose class threshold was folded in: > 0.5 means the fault",
            "thresholds_before_folding": report["thresholds"],
            "max_abs_diff_vs_torch": report["parity"]["max_abs_diff_vs_torch"],
            "fit_half": report["fit"].get("faults_all"),
            "check_half": report["check"].get("faults_all"),
            "check_half_clean_flagged": report["check"]["clean_flagged"],
        },
    }
    (onnx_path.parent.parent / "model.json").write_text(json.dumps(descriptor, indent=2) + "\n")


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--data", required=True, help="the shared data folder (photos/, real-faults/, ...)")
    ap.add_argument("--run-dir", required=True, help="feature cache, checkpoint and report")
    ap.add_argument("--config", default="small", choices=sorted(CONFIGS))
    ap.add_argument("--renders", type=int, default=6, help="synthetic renders per clean frame")
    ap.add_argument("--real-crops", type=int, default=12, help="random crops per fit-half real fault photo")
    ap.add_argument("--no-real", action="store_true", help="train on synthetic renders and clean frames only")
    ap.add_argument("--extra", default="", help="a gathered folder with MANIFEST.tsv (eval-faults --extra): loaded "
                                                 "as the half 'extra'")
    ap.add_argument("--train-halves", default="fit",
                    help="comma-separated halves to train on: fit (default), check, extra; the others are measured")
    ap.add_argument("--every-s", type=float, default=4.0, help="one clean clip frame every this many seconds")
    ap.add_argument("--real-weight", type=float, default=1.0, help="sample weight of the real fault photos' rows")
    ap.add_argument("--epochs", type=int, default=80)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--clean-fpr", type=float, default=0.005,
                    help="share of the fit-half clean frames (out-of-fold) allowed above each class's threshold")
    ap.add_argument("--floor", type=float, default=0.5, help="lowest class threshold")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="", help="repository folder to export to (fault-head/<version>/model.onnx)")
    ap.add_argument("--version", type=int, default=1)
    ap.add_argument("--golden", default="", help="golden folder root to write fault-head/ into (with --out)")
    ap.add_argument("--golden-frame", default="../golden/maniqa-lite/frame.png", help="the golden frame (CC0)")
    ap.add_argument("--from-checkpoint", default="", help="export a trained faulthead.pt (thresholds folded) "
                                                          "without training")


def add_parser(sub) -> None:
    ap = sub.add_parser("train-faulthead", help="train the fault-head classifier (CPU, minutes) and export it")
    add_arguments(ap)
    ap.set_defaults(func=lambda args, argv: run(args))
