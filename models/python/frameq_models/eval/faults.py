#!/usr/bin/env python3
"""Fault benchmark on real footage: how well `frameq score` diagnoses camera faults.

Collects the labelled real fault photos (real-faults/), clean photos (photos/, the clean references of the
real-fault pairs, PolyU clean means), frames sampled from clean clips (real-faults/clean-footage, video/) and
runs `frameq score` on them. Reports, per fault type, recall (any fault flagged) and right-type recall; the
false-flag rate on clean photos and on clean clip frames; and how often the calibrated quality ranks the clean
member of a real pair above the faulty one (PolyU noise, low-light / exposure brackets, haze, blur triplets).
Every number is given for the fit half, the check half and both: files are split by a stable hash of their
scene id (clips by clip, pairs by pair), and the fault rules were tuned on the fit half only.

    python -m frameq_models eval-faults --data /work/shared/data \
        --jar stream-app/target/frameq.jar --out /tmp/fault-bench [--fault-head fault-head]

Writes DIR/results.md (Markdown tables), DIR/results.png (plot), DIR/scores.jsonl (one `frameq score` line
per file, with its label and half) and DIR/frames/ (the sampled clip frames, PNG). Needs numpy, OpenCV
(cv2) and matplotlib. The data stays outside the project: nothing here is written into the repository.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

# Label of a real fault file -> the fault types that count as the right diagnosis. Names follow
# real-faults/README.md: "<id>_<kind>_fault.<ext>"; folders name the kind where the file does not.
RIGHT_TYPES = {
    "low_visibility": {"low_visibility"},
    "raindrops": {"raindrops"},
    "soiled": {"soiled", "low_visibility", "glare"},  # a smear on the lens veils and scatters light
    "blur": {"defocused", "blur"},
    "dark": {"dark", "black"},
    "overexposed": {"overexposed", "glare"},
    "glare": {"glare", "overexposed"},
    "covered": {"covered", "black"},
}
KIND_TO_LABEL = {
    "defocus": "blur", "motion": "blur",
    "under": "dark", "verydark": "dark",
    "over": "overexposed",
    "water": "raindrops",
    "fingerprint": "soiled", "dust": "soiled", "scratch": "soiled",
}
# Conditions that are reported but are not faults (never count as a flag).
NOT_FAULTS = {"ir_mode"}
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}
# Formats `frameq score` does not decode (it reads JPEG and PNG, as cameras send): converted losslessly to PNG.
CONVERT_EXT = {".webp", ".bmp", ".tif", ".tiff"}
VIDEO_EXT = {".mp4", ".avi", ".mpg", ".mov", ".mkv"}
BATCH = 150


def half(key: str) -> str:
    """Stable fit/check split by scene id."""
    return "fit" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "check"


def fault_label(path: Path) -> str | None:
    name = path.stem.lower()
    if "_fault" not in name:
        return None
    m = re.search(r"_([a-z]+)_fault$", name)
    if m and m.group(1) in KIND_TO_LABEL:
        return KIND_TO_LABEL[m.group(1)]
    parts = {p.lower() for p in path.parts}
    if "haze" in parts:
        return "low_visibility"
    if "raindrop" in parts:
        return "raindrops"
    if "blur" in parts:
        return "blur"
    return None


def scene_id(path: Path) -> str:
    """The id pairs share: the file name up to its first '_clean' / '_<kind>_fault' / '_mean' / '_real'."""
    stem = path.stem
    stem = re.sub(r"(_[a-z]+)?_(fault|clean)$", "", stem)
    stem = re.sub(r"_(mean|real)$", "", stem)
    stem = re.sub(r"_night_(thermal|visible)$", "", stem)
    return f"{path.parent.name}/{stem}"


def collect(data: Path, frames_dir: Path, fps: float) -> list[dict]:
    items = []
    rf = data / "real-faults"
    for p in sorted(rf.rglob("*")):
        if p.suffix.lower() not in IMAGE_EXT:
            continue
        label = fault_label(p)
        if label is not None:
            items.append({"file": str(p), "label": label, "set": "fault", "scene": scene_id(p)})
        elif "_clean" in p.stem:
            items.append({"file": str(p), "label": "clean", "set": "clean_photo", "scene": scene_id(p),
                          "ir": "_thermal_" in p.stem})
    for sub in ["CBSD68", "McMaster", "Sun80", "Urban100", "skimage", "debian-wallpapers"]:
        for p in sorted((data / "photos" / sub).rglob("*")):
            if p.suffix.lower() in IMAGE_EXT:
                items.append({"file": str(p), "label": "clean", "set": "clean_photo", "scene": f"{sub}/{p.stem}"})
    for p in sorted((data / "real-noise" / "polyu-dev").glob("*")):
        if p.suffix.lower() not in IMAGE_EXT:
            continue
        noisy = p.stem.endswith("_real")
        items.append({"file": str(p), "label": "noise" if noisy else "clean",
                      "set": "noise_photo" if noisy else "clean_photo", "scene": scene_id(p)})
    for p in sorted((data / "low-light" / "LIME").glob("*")):
        if p.suffix.lower() in IMAGE_EXT:
            items.append({"file": str(p), "label": "lowlight", "set": "lowlight_photo", "scene": f"LIME/{p.stem}"})
    clips = sorted(q for q in (rf / "clean-footage").rglob("*") if q.suffix.lower() in VIDEO_EXT)
    clips += sorted(q for q in (data / "video").rglob("*") if q.suffix.lower() in VIDEO_EXT)
    for clip in clips:
        for f in sample_frames(clip, frames_dir, fps):
            items.append({"file": str(f), "label": "clean", "set": "clean_clip", "scene": f"clip/{clip.stem}",
                          "clip": clip.stem, "ir": "_ir_" in clip.stem})
    for it in items:
        it["half"] = half(it["scene"])
        it["scored_file"] = scorable(Path(it["file"]), frames_dir.parent / "converted")
    return items


def collect_extra(extra: Path) -> list[dict]:
    """Files of a gathered set (``MANIFEST.tsv``: path, type, source repo, path in repo, licence, pair_id, note),
    all in the half ``extra``: a source the fault rules and the fault-head were not tuned on, reported apart."""
    items = []
    lines = (extra / "MANIFEST.tsv").read_text().splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t")))
        p = extra / row["path"]
        kind = row["type"].strip()
        if p.suffix.lower() not in IMAGE_EXT or not p.exists():
            continue
        label = {"defocused": "blur", "raindrop": "raindrops", "soiling": "soiled", "haze": "low_visibility",
                 "fog": "low_visibility", "smoke": "low_visibility", "flare": "glare"}.get(kind, kind)
        scene = f"extra/{row.get('pair_id') or p.stem}"
        if label == "clean":
            items.append({"file": str(p), "label": "clean", "set": "clean_photo", "scene": scene})
        elif label in RIGHT_TYPES:
            items.append({"file": str(p), "label": label, "set": "fault", "scene": scene})
    for it in items:
        it["half"] = "extra"
    return items


def scorable(path: Path, converted: Path) -> str:
    if path.suffix.lower() not in CONVERT_EXT:
        return str(path)
    import cv2
    out = converted / path.parent.name / (path.stem + ".png")
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(out), cv2.imread(str(path), cv2.IMREAD_COLOR))
    return str(out)


def sample_frames(clip: Path, frames_dir: Path, fps: float) -> list[Path]:
    import cv2
    out = frames_dir / clip.stem
    done = sorted(out.glob("*.png")) if out.exists() else []
    if done:
        return done
    out.mkdir(parents=True, exist_ok=True)
    cap = cv2.VideoCapture(str(clip))
    rate = cap.get(cv2.CAP_PROP_FPS) or 25.0
    step = max(1, int(round(rate / fps)))
    i = 0
    files = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        if i % step == 0:
            f = out / f"{clip.stem}_{i:05d}.png"
            cv2.imwrite(str(f), frame)
            files.append(f)
        i += 1
    cap.release()
    return files


def score(jar: Path, files: list[str], extra: list[str]) -> dict[str, dict]:
    results = {}
    for k in range(0, len(files), BATCH):
        batch = files[k:k + BATCH]
        proc = subprocess.run(["java", "-jar", str(jar), "score", *extra, *batch], capture_output=True, text=True)
        for line in proc.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                results[r["file"]] = r
        print(f"scored {min(k + BATCH, len(files))}/{len(files)}", file=sys.stderr)
    return results


def fault_types(r: dict) -> set[str]:
    return {f["type"] for f in r.get("faults", []) if f["type"] not in NOT_FAULTS}


def flagged(r: dict) -> bool:
    """A file counts as flagged when its verdict names any degradation other than a condition."""
    return r.get("verdict") == "degraded"


def rate(hits: int, n: int) -> str:
    return f"{hits}/{n} ({100.0 * hits / n:.0f}%)" if n else "-"


def ranking_pairs(rows: list[dict]) -> dict[str, list[tuple[dict, dict]]]:
    by_scene = defaultdict(list)
    for r in rows:
        by_scene[r["scene"]].append(r)
    pairs = defaultdict(list)
    for scene, members in by_scene.items():
        clean = [m for m in members if m["label"] == "clean" and "_thermal_" not in m["file"]]
        bad = [m for m in members if m["label"] not in ("clean", "lowlight")]
        for c in clean:
            for b in bad:
                kind = {"noise": "noise", "dark": "low light", "overexposed": "exposure",
                        "low_visibility": "haze", "blur": "blur"}.get(b["label"])
                if kind:
                    pairs[kind].append((c, b))
    return pairs


def report(rows: list[dict], out: Path) -> str:
    halves = ["fit", "check", "all"] + (["extra"] if any(r["half"] == "extra" for r in rows) else [])
    pick = {h: [r for r in rows if r["half"] == h or (h == "all" and r["half"] != "extra")] for h in halves}
    lines = ["| fault type (real photos) | " + " | ".join(f"{h}: any fault / right type" for h in halves) + " |",
             "|---|" + "---|" * len(halves)]
    summary = {}
    for label in sorted(RIGHT_TYPES):
        cells = []
        for h in halves:
            rs = [r for r in pick[h] if r["set"] == "fault" and r["label"] == label]
            anyf = sum(1 for r in rs if flagged(r))
            right = sum(1 for r in rs if (fault_types(r) | set(r.get("degradations", []))) & RIGHT_TYPES[label])
            cells.append(f"{rate(anyf, len(rs))} / {rate(right, len(rs))}")
            summary[(label, h)] = (anyf, right, len(rs))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for h_label, sel in [("all fault photos", lambda r: r["set"] == "fault")]:
        cells = []
        for h in halves:
            rs = [r for r in pick[h] if sel(r)]
            anyf = sum(1 for r in rs if flagged(r))
            right = sum(1 for r in rs if (fault_types(r) | set(r.get("degradations", []))) & RIGHT_TYPES[r["label"]])
            cells.append(f"{rate(anyf, len(rs))} / {rate(right, len(rs))}")
            summary[("all", h)] = (anyf, right, len(rs))
        lines.append(f"| **{h_label}** | " + " | ".join(cells) + " |")
    lines += ["", "| clean set (false flags) | " + " | ".join(halves) + " |", "|---|" + "---|" * len(halves)]
    for name, sel in [("clean photos", lambda r: r["set"] == "clean_photo"),
                      ("clean clip frames (1/s)", lambda r: r["set"] == "clean_clip")]:
        cells = []
        for h in halves:
            rs = [r for r in pick[h] if sel(r)]
            cells.append(rate(sum(1 for r in rs if flagged(r)), len(rs)))
            summary[(name, h)] = (sum(1 for r in rs if flagged(r)), len(rs))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| NR ranking, clean above faulty (calibrated quality) | " + " | ".join(halves) + " |",
              "|---|" + "---|" * len(halves)]
    rank = {}
    for h in halves:
        for kind, ps in ranking_pairs(pick[h]).items():
            ok = sum(1 for c, b in ps if c["quality"] is not None and b["quality"] is not None
                     and c["quality"] > b["quality"])
            rank[(kind, h)] = (ok, len(ps))
    kinds = sorted({k for k, _ in rank})
    for kind in kinds + ["all pairs"]:
        cells = []
        for h in halves:
            if kind == "all pairs":
                ok = sum(v[0] for (k, hh), v in rank.items() if hh == h)
                n = sum(v[1] for (k, hh), v in rank.items() if hh == h)
            else:
                ok, n = rank.get((kind, h), (0, 0))
            cells.append(rate(ok, n))
            summary[("rank " + kind, h)] = (ok, n)
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    # Which clean files were flagged, and with what: the list to read before changing a rule.
    lines += ["", "False flags on clean files (all halves): "]
    why = defaultdict(int)
    for r in rows:
        if r["set"] in ("clean_photo", "clean_clip") and flagged(r):
            for d in r.get("degradations", []):
                why[d] += 1
    lines.append(", ".join(f"{k} {v}" for k, v in sorted(why.items(), key=lambda kv: -kv[1])) or "none")
    text = "\n".join(lines) + "\n"
    (out / "results.md").write_text(text)
    plot(rows, summary, out / "results.png")
    return text


def plot(rows: list[dict], summary: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5))
    labels = sorted(RIGHT_TYPES)
    x = range(len(labels))
    for k, h in enumerate(["fit", "check"]):
        anyf = [100 * summary[(lab, h)][0] / max(1, summary[(lab, h)][2]) for lab in labels]
        right = [100 * summary[(lab, h)][1] / max(1, summary[(lab, h)][2]) for lab in labels]
        a.bar([i + k * 0.4 - 0.2 for i in x], anyf, 0.38, alpha=0.35, label=f"{h}: any fault")
        a.bar([i + k * 0.4 - 0.2 for i in x], right, 0.2, label=f"{h}: right type")
    a.set_xticks(list(x), labels, rotation=30)
    a.set_ylabel("% of real fault photos")
    a.axhline(90, ls="--", c="grey")
    a.axhline(75, ls=":", c="grey")
    a.legend(fontsize=7)
    a.set_title("Recall on real faults")
    sets = {"clean photo": "clean_photo", "clean clip": "clean_clip", "fault": "fault", "noisy (PolyU)": "noise_photo"}
    for name, s in sets.items():
        q = [r["quality"] for r in rows if r["set"] == s and r.get("quality") is not None]
        if q:
            b.hist(q, bins=25, range=(0, 1), alpha=0.45, label=f"{name} ({len(q)})", density=True)
    b.set_xlabel("calibrated quality")
    b.legend(fontsize=8)
    b.set_title("Quality by set")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def calibration_features(r: dict) -> list[float]:
    """The inputs of io.frameq.verdict.QualityCalibration, from one `frameq score` line."""
    import math
    q = r.get("model_quality", r.get("quality"))
    q = min(max(q, 1e-4), 1 - 1e-4)
    faults = [f["confidence"] for f in r.get("faults", []) if f["type"] not in NOT_FAULTS]
    d = r["detectors"]
    return [math.log(q / (1 - q)), max(faults, default=0.0), max(0.0, 40 - d["mean_luma"]) / 40]


def fit_calibration(rows: list[dict], threshold: float, max_clean_below: float) -> dict:
    """Fits QualityCalibration on the fit half: clean photos and clip frames (1) against real fault, noisy and
    low-light photos (0); each clip weighs as much as five photos; classes balanced. Then lowers the bias until at
    most `max_clean_below` of the clean fit-half files fall below the verdict threshold."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    fit = [r for r in rows if r["half"] == "fit" and r.get("model_quality", r.get("quality")) is not None]
    per_clip = defaultdict(int)
    for r in fit:
        if r["set"] == "clean_clip":
            per_clip[r["clip"]] += 1
    x, y, w = [], [], []
    for r in fit:
        clean = r["set"] in ("clean_photo", "clean_clip")
        if not clean and r["set"] not in ("fault", "noise_photo", "lowlight_photo"):
            continue
        x.append(calibration_features(r))
        y.append(1 if clean else 0)
        w.append(5.0 / per_clip[r["clip"]] if r["set"] == "clean_clip" else 1.0)
    x, y, w = np.array(x), np.array(y), np.array(w)
    for label in (0, 1):
        w[y == label] *= len(y) / (2 * w[y == label].sum())
    m = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=w)
    coef = m.coef_[0]
    bias = float(m.intercept_[0])
    logit_t = np.log(threshold / (1 - threshold))
    # The smallest bias that leaves at most max_clean_below of the clean photos, and of the clean clip frames
    # (each set on its own: the clips outnumber the photos), below the threshold.
    sets = np.array([r["set"] for r in fit if r["set"] in ("clean_photo", "clean_clip", "fault", "noise_photo",
                                                              "lowlight_photo")])
    for clean_set in ("clean_photo", "clean_clip"):
        z = x[sets == clean_set] @ coef
        bias = max(bias, logit_t - float(np.quantile(z, max_clean_below)) + 1e-3)
    return {"bias": bias, "w_model": float(coef[0]), "w_fault": float(coef[1]), "w_dark": float(coef[2])}


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--data", type=Path, required=True, help="the shared data folder (holds real-faults/)")
    ap.add_argument("--jar", type=Path, required=True, help="stream-app/target/frameq.jar")
    ap.add_argument("--out", type=Path, required=True, help="output folder (results.md, results.png, scores.jsonl)")
    ap.add_argument("--fps", type=float, default=1.0, help="frames sampled per second of clean clip (default 1)")
    ap.add_argument("--extra", type=Path, default=None,
                    help="a gathered folder with MANIFEST.tsv (path, type, ...): scored too and reported as its own "
                         "column 'extra' (not part of 'all')")
    ap.add_argument("--cells", action="store_true", help="also record the spatial grid readings (for tuning)")
    ap.add_argument("--reuse", action="store_true", help="report from DIR/scores.jsonl without scoring again")
    ap.add_argument("--fault-head", default="none",
                    help="frameq score --fault-head: the learned fault classifier fused into the rules, or none "
                         "(default: none, the rules alone)")
    ap.add_argument("--fit-calibration", action="store_true",
                    help="fit io.frameq.verdict.QualityCalibration on the fit half and print its weights")


def add_parser(sub) -> None:
    """``python -m frameq_models eval-faults``."""
    ap = sub.add_parser("eval-faults", help="real-fault benchmark of frameq score (per-type recall, clean false flags, "
                                            "NR ranking on real pairs); data stays outside the repository")
    add_arguments(ap)
    ap.set_defaults(func=lambda args, argv: run(args))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_arguments(ap)
    return run(ap.parse_args())


def run(args) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    jsonl = args.out / "scores.jsonl"
    if args.reuse and jsonl.exists():
        rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    else:
        items = collect(args.data, args.out / "frames", args.fps)
        if args.extra:
            items += collect_extra(args.extra)
            for it in items:
                if it["half"] == "extra":
                    it["scored_file"] = scorable(Path(it["file"]), args.out / "converted")
        print(f"{len(items)} files", file=sys.stderr)
        extra = (["--cells"] if args.cells else []) + ["--fault-head", args.fault_head]
        results = score(args.jar, [it["scored_file"] for it in items], extra)
        rows = []
        for it in items:
            r = results.get(it["scored_file"])
            if r is None or "error" in r:
                print(f"not scored: {it['file']}: {r and r.get('error')}", file=sys.stderr)
                continue
            rows.append({**r, **it})
        with jsonl.open("w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    if args.fit_calibration:
        weights = fit_calibration(rows, threshold=0.45, max_clean_below=0.02)
        print(json.dumps(weights))
        return 0
    print(report(rows, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
