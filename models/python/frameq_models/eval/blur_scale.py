#!/usr/bin/env python3
"""Scale-aware blur cues on the real fault set (issue 21): blur that the 640 px working plane cannot see.

Real blurred photos of several megapixels, shrunk to the detectors' 640 px working plane
(``io.frameq.detect.DetectorSuite.WORKING_WIDTH``), keep crisp edges there, so the ``defocused`` rule (90th percentile
crispness of the textured cells < 0.6) misses them. This script measures candidate cues computed on the luma at native
resolution (capped at ``--cap`` px wide to bound the cost) on the same file lists as ``eval-faults`` (its ``collect``
and ``collect_extra``: labels, fit/check halves by scene hash, the gathered ``--extra`` set), chooses each cue's
threshold on the FIT half only (see ``choose``: midway between the clean limit, past which at most ``--max-clean`` of
the fit-half clean photos and clip frames fall, and the nearest fit-half blur photo beyond it), and reports it on the
check half and the extra set, alone and fused with the shipped rules' own verdicts (``--baseline``: an
``eval-faults`` ``scores.jsonl`` of the same jar).

    PYTHONPATH=models/python python -m frameq_models.eval.blur_scale --data ../shared/data --extra /work/data-extra \
        --baseline /tmp/fb-final/scores.jsonl --out /tmp/blur-scale

Cues (luma BT.601 as the Java detectors compute it; pictures the working plane shrinks by less than ``--min-shrink``
get none: the working plane already sees all there is):
- ``crete``: the Crete et al. 2007 re-blur measure, ``skimage.measure.blur_effect`` (0 sharp .. 1 blurred);
- ``lapratio``: variance of the 4-neighbour Laplacian at native scale over that at half scale (2x2 box shrink);
- ``crispN90``: the Java grid's crispness (steepest |dx|+|dy| central step over the 2nd-98th percentile range of the
  cell) on an 8x6 grid at native scale, 90th percentile over the textured cells (range >= 24);
- ``stepratio90`` / ``steprobust90``: per textured cell, steepest (99.5th percentile) step at native scale over that
  at half scale, 90th percentile over the cells;
- ``edgeQ`` (capped at 2048 px), ``edgeNQ`` (native): at edges strong at a coarse scale, the steepest fine step
  nearby over the coarse step (``edge_ratios``), Q-th percentile;
- ``bB_Q``: the same as ``io.frameq.detect.FineEdges`` reads it (``band_profiles``: B bands per direction, read at
  about 2048 px; ``all`` = every band); ``b48_90`` is what the Java rule uses (threshold 0.45).
Writes DIR/cues.jsonl (one line per file) and DIR/results.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from frameq_models.eval import faults

CUES = ["crete", "lapratio", "crispN90", "stepratio90", "steprobust90", "edge80", "edge90", "edge95", "edge99",
        "edgeN90", "edgeN95"] + [f"b{b}_{q}" for b in ("all", "48", "32") for q in (80, 90, 95)]
# Which way a cue points to blur: True when a low value means blurred.
LOW_IS_BLUR = {c: c != "crete" for c in CUES}
EDGE_NEAR = 1   # fine contrast: over 2 pixels, I(x+1) - I(x-1)
EDGE_FAR = 8    # coarse contrast: over 16 pixels, I(x+8) - I(x-8)
EDGE_MIN = 48   # luma: only strong edges at the coarse scale are judged (noise stays far below)
TEXTURED_RANGE = 24


def luma_of(path: str, cap: int) -> np.ndarray:
    import cv2
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"cannot decode {path}")
    b, g, r = (bgr[..., k].astype(np.int32) for k in range(3))
    y = ((77 * r + 150 * g + 29 * b + 128) >> 8).astype(np.float32)
    h, w = y.shape
    if w > cap:
        y = cv2.resize(y, (cap, round(h * cap / w)), interpolation=cv2.INTER_AREA)
    return y


def box2(y: np.ndarray) -> np.ndarray:
    h, w = (y.shape[0] // 2) * 2, (y.shape[1] // 2) * 2
    y = y[:h, :w]
    return (y[0::2, 0::2] + y[1::2, 0::2] + y[0::2, 1::2] + y[1::2, 1::2]) / 4


def lap_var(y: np.ndarray) -> float:
    lap = y[:-2, 1:-1] + y[2:, 1:-1] + y[1:-1, :-2] + y[1:-1, 2:] - 4 * y[1:-1, 1:-1]
    return float(lap.var())


def steps(y: np.ndarray) -> np.ndarray:
    """|dx| + |dy| central differences (as SpatialGrid's edge), on the interior, half-step units: luma per pixel."""
    s = np.zeros_like(y)
    s[1:-1, 1:-1] = (np.abs(y[1:-1, 2:] - y[1:-1, :-2]) + np.abs(y[2:, 1:-1] - y[:-2, 1:-1])) / 2
    return s


def cells(y: np.ndarray):
    h, w = y.shape
    cols, rows = (8, 6) if w >= h else (6, 8)
    for r in range(rows):
        for c in range(cols):
            yield (slice(r * h // rows, (r + 1) * h // rows), slice(c * w // cols, (c + 1) * w // cols))


def edge_ratios(y: np.ndarray, step: int = 1) -> np.ndarray:
    """At edges strong at the coarse scale (|I(x+8) - I(x-8)| >= 48 and a local maximum of it along the line), the
    steepest fine step nearby over the coarse step: about 1 when the edge's whole contrast is crossed within two
    pixels, 2/w when it is spread over w >= 2 pixels. Lines are averaged in threes across the direction (along the
    edge) so sensor noise barely moves the fine step. Both directions: rows (vertical edges) and columns."""
    from scipy.ndimage import maximum_filter1d
    out = []
    k = EDGE_FAR
    for img in (y, y.T):
        m = (img.shape[0] // 3) * 3
        avg = (img[0:m:3] + img[1:m:3] + img[2:m:3]) / 3
        w = avg.shape[1]
        if w < 2 * k + 4:
            continue
        near = np.zeros_like(avg)
        near[:, 1:-1] = np.abs(avg[:, 2:] - avg[:, :-2])
        steep = maximum_filter1d(near, 2 * k + 1, axis=1, mode="constant")  # steepest fine step within +-k
        far = np.zeros_like(avg)
        far[:, k:w - k] = np.abs(avg[:, 2 * k:] - avg[:, :w - 2 * k])
        c = far[:, k + 1:w - k - 1]
        peak = (c >= EDGE_MIN) & (c >= far[:, k:w - k - 2]) & (c > far[:, k + 2:w - k])
        out.append(steep[:, k + 1:w - k - 1][peak] / c[peak])
    return np.concatenate(out) if out else np.zeros(0)


def shrink_factor(w: int, h: int) -> float:
    """By how much DetectorSuite.workingPlane shrinks a w x h picture (640 wide, height capped at 1280)."""
    return 1 / min(1.0, 640 / w, 1280 / h)


def band_profiles(y: np.ndarray, bands: int | None):
    """The profiles the Java cue reads (FineEdges): bands of 3f lines (f = max(1, round(width / 2048)), so a 4K
    picture is read at about 2K), each box-averaged across the band and in runs of f along it; ``bands`` bands per
    direction spread evenly over the picture (None: every band)."""
    h, w = y.shape
    f = max(1, (w + 1024) // 2048)
    for img in (y, y.T):
        lines, length = img.shape
        n = length // f
        band = 3 * f
        if bands is None:
            starts = range(0, lines - band + 1, band)
        else:
            starts = sorted({min(lines - band, max(0, int((j + 0.5) * lines / bands) - band // 2)) for j in range(bands)})
        for s0 in starts:
            b = img[s0:s0 + band, :n * f].reshape(band, n, f)
            yield b.mean(axis=(0, 2))


def profile_ratios(p: np.ndarray) -> np.ndarray:
    from scipy.ndimage import maximum_filter1d
    k = EDGE_FAR
    n = len(p)
    if n < 2 * k + 4:
        return np.zeros(0)
    near = np.zeros(n)
    near[1:-1] = np.abs(p[2:] - p[:-2])
    steep = maximum_filter1d(near, 2 * k + 1, mode="constant")
    far = np.zeros(n)
    far[k:n - k] = np.abs(p[2 * k:] - p[:n - 2 * k])
    c = far[k + 1:n - k - 1]
    peak = (c >= EDGE_MIN) & (c >= far[k:n - k - 2]) & (c > far[k + 2:n - k])
    return steep[k + 1:n - k - 1][peak] / c[peak]


def fine_edges(native: np.ndarray, bands: int | None) -> np.ndarray:
    r = [profile_ratios(p) for p in band_profiles(native, bands)]
    return np.concatenate(r) if r else np.zeros(0)


def cue_values(y: np.ndarray, native: np.ndarray | None = None) -> dict:
    from skimage.measure import blur_effect
    half = box2(y)
    s1 = steps(y)
    s2 = steps(half)
    crisp, ratio, robust = [], [], []
    for sl in cells(y):
        cell = y[sl]
        lo, hi = np.percentile(cell, [2, 98])
        rng = hi - lo
        if rng < TEXTURED_RANGE:
            continue
        sl2 = (slice(sl[0].start // 2, sl[0].stop // 2), slice(sl[1].start // 2, sl[1].stop // 2))
        a, b = s1[sl], s2[sl2]
        crisp.append(2 * a.max() / rng)  # |dx|+|dy| over two pixels, as the grid's crispness
        ratio.append(a.max() / max(b.max(), 1e-6))
        ra, rb = np.percentile(a, 99.5), np.percentile(b, 99.5)
        robust.append(ra / max(rb, 1e-6))
    q = lambda v: float(np.quantile(v, 0.9)) if len(v) >= 12 else float("nan")  # noqa: E731 (minTexturedCells 12)
    return {"crete": float(blur_effect(y)), "lapratio": lap_var(y) / max(lap_var(half), 1e-6),
            "crispN90": q(crisp), "stepratio90": q(ratio), "steprobust90": q(robust), "textured": len(crisp),
            **edge_cues(y, ""), **edge_cues(native if native is not None else y, "N"),
            **band_cues(native if native is not None else y)}


def band_cues(native: np.ndarray) -> dict:
    out = {}
    for bands in (None, 48, 32):
        r = fine_edges(native, bands)
        tag = "all" if bands is None else str(bands)
        out[f"n_b{tag}"] = int(len(r))
        for q in (80, 90, 95):
            out[f"b{tag}_{q}"] = float(np.percentile(r, q)) if len(r) >= 100 else float("nan")
    return out


def edge_cues(y: np.ndarray, tag: str) -> dict:
    r = edge_ratios(y)
    qs = {"": (80, 90, 95, 99), "N": (90, 95)}[tag]
    return {f"edge{tag}{p}": (float(np.percentile(r, p)) if len(r) >= 200 else float("nan")) for p in qs} | (
        {"edges": int(len(r))} if tag == "" else {})


def is_blur(v: float, thr: float, cue: str) -> bool:
    if v != v:  # NaN: too little texture to judge
        return False
    return v < thr if LOW_IS_BLUR[cue] else v > thr


def choose(rows: list[dict], cue: str, max_clean: float) -> float | None:
    """The threshold from the fit half alone: midway between the clean limit (the fit-half clean value just past the
    allowance: at most max_clean of the fit-half clean photos, and of the clean clip frames, may fall beyond it) and
    the fit-half blur photo nearest to it on the blur side. None when no fit-half blur photo is beyond the limit."""
    fit = [r for r in rows if r["half"] == "fit" and cue in r and r[cue] == r[cue]]
    sign = 1 if LOW_IS_BLUR[cue] else -1  # work as if low is blur
    limit = float("inf")
    for s in ("clean_photo", "clean_clip"):
        allowed = int(max_clean * sum(1 for r in rows if r["half"] == "fit" and r["set"] == s))
        vals = sorted(sign * r[cue] for r in fit if r["set"] == s)
        if len(vals) > allowed:
            limit = min(limit, vals[allowed])
    blur = [sign * r[cue] for r in fit if r["label"] == "blur" and sign * r[cue] < limit]
    if not blur or limit == float("inf"):
        return None
    return sign * (max(blur) + limit) / 2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--extra", type=Path, default=None)
    ap.add_argument("--baseline", type=Path, required=True, help="eval-faults scores.jsonl of the shipped jar")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cap", type=int, default=2048, help="luma shrunk (area) to at most this width first")
    ap.add_argument("--min-shrink", type=float, default=1.5,
                    help="no cue for pictures the working plane shrinks by less (640 px: narrower than 960 px)")
    ap.add_argument("--max-clean", type=float, default=0.02)
    ap.add_argument("--reuse", action="store_true", help="report from DIR/cues.jsonl")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    base = {}
    for line in args.baseline.read_text().splitlines():
        r = json.loads(line)
        base[r["file"]] = r
    cues_file = args.out / "cues.jsonl"
    if args.reuse and cues_file.exists():
        rows = [json.loads(line) for line in cues_file.read_text().splitlines()]
    else:
        items = faults.collect(args.data, args.baseline.parent / "frames", 1.0)
        if args.extra:
            extra = faults.collect_extra(args.extra)
            for it in extra:
                it["scored_file"] = faults.scorable(Path(it["file"]), args.baseline.parent / "converted")
            items += extra
        rows = []
        t0 = time.time()
        for k, it in enumerate(items):
            if it["set"] not in ("clean_photo", "clean_clip") and it["label"] != "blur":
                continue
            b = base.get(it["file"])
            if b is None:
                continue  # not scored by frameq score (too large as PNG)
            row = {k2: it[k2] for k2 in ("file", "label", "set", "half")}
            row.update(width=b["width"], height=b["height"], base_flag=faults.flagged(b),
                       base_right=bool(faults.fault_types(b) & faults.RIGHT_TYPES["blur"]),
                       base_types=sorted(faults.fault_types(b)))
            if shrink_factor(b["width"], b["height"]) >= args.min_shrink:
                row.update(cue_values(luma_of(it["scored_file"], args.cap), luma_of(it["scored_file"], 1 << 30)))
            rows.append(row)
            if len(rows) % 50 == 0:
                print(f"{len(rows)} files, {time.time() - t0:.0f} s", file=sys.stderr)
        with cues_file.open("w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    text = report(rows, args.max_clean)
    (args.out / "results.md").write_text(text)
    print(text)
    return 0


def report(rows: list[dict], max_clean: float) -> str:
    out = []
    groups = [("fit", "blur"), ("fit", "clean_photo"), ("fit", "clean_clip"), ("check", "blur"),
              ("check", "clean_photo"), ("check", "clean_clip"), ("extra", "blur"), ("extra", "clean_photo")]

    def pick(h, g):
        return [r for r in rows if r["half"] == h and (r["label"] == "blur" if g == "blur" else r["set"] == g)]

    out.append("| cue (fit-half threshold) | " + " | ".join(f"{h} {g}" for h, g in groups) + " |")
    out.append("|---" * (len(groups) + 1) + "|")
    out.append("| files (> min width) | " + " | ".join(
        f"{len(pick(h, g))} ({sum(1 for r in pick(h, g) if 'crete' in r)})" for h, g in groups) + " |")
    out.append("| shipped rules flag any / blur type | " + " | ".join(
        f"{sum(r['base_flag'] for r in pick(h, g))} / {sum(r['base_right'] for r in pick(h, g))}"
        for h, g in groups) + " |")
    chosen = {}
    for cue in CUES:
        thr = choose(rows, cue, max_clean)
        chosen[cue] = thr
        if thr is None:
            continue
        cells_ = []
        for h, g in groups:
            sel = pick(h, g)
            cue_hits = sum(is_blur(r.get(cue, float("nan")), thr, cue) for r in sel)
            fused = sum(r["base_right"] or is_blur(r.get(cue, float("nan")), thr, cue) for r in sel) if g == "blur" \
                else sum(r["base_flag"] or is_blur(r.get(cue, float("nan")), thr, cue) for r in sel)
            cells_.append(f"{cue_hits} / {fused}")
        sign = "<" if LOW_IS_BLUR[cue] else ">"
        out.append(f"| {cue} {sign} {thr:.4g}: cue alone / rules + cue | " + " | ".join(cells_) + " |")
    out.append("")
    out.append("Blur groups: rules + cue counts right type (blur/defocused); clean groups: any flag.")
    out.append("")
    out.append("Per file (pictures wider than the minimum):")
    out.append("")
    out.append("| half | label | file | size | rules | " + " | ".join(CUES) + " |")
    out.append("|---" * (5 + len(CUES)) + "|")
    keyed = sorted((r for r in rows if "crete" in r and (r["label"] == "blur" or any(
        chosen[c] is not None and is_blur(r[c], chosen[c] * (1.15 if LOW_IS_BLUR[c] else 0.87), c) for c in CUES))),
        key=lambda r: (r["half"], r["label"], r["file"]))
    for r in keyed:
        name = "/".join(Path(r["file"]).parts[-2:])
        out.append(f"| {r['half']} | {r['label']} | {name} | {r['width']}x{r['height']} | "
                   f"{','.join(r['base_types']) or '-'} | " + " | ".join(f"{r[c]:.3f}" for c in CUES) + " |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
