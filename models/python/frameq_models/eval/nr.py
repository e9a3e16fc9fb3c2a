"""Evaluate a no-reference IQA model on held-out data (``python -m frameq_models eval-nr``).

Synthetic tests on the held-out photos (:func:`frameq_models.data.photos.split_photos`, never
trained on): each photo is downscaled to a 384 px short side (if larger), its centre 256 px is
distorted by every registered type at levels 1..5 (seed = ``--seed`` + photo index) and the centre
224 px is scored, together with the undistorted centre ("pristine").

* **L-test** (level consistency, after Ma et al.'s Waterloo Exploration database): Spearman
  correlation between the predicted quality and minus the level, per photo and type, averaged
  over photos, then over types.
* **D-test** (discriminability): ROC AUC of "pristine scores above distorted" over all (pristine,
  distorted) score pairs pooled across photos; also for level-1 (mildest) distortions only.
* **P-test** (pairwise preference): over pairs of versions of the same photo whose weak labels
  (:mod:`frameq_models.data.labels`) differ by at least 0.2, the fraction ordered like the labels.

Real noise: held-out PolyU pairs (test half; validation half also reported) scored with the
model.json protocol (five-point 224 crops, mean): fraction where the clean image scores higher.

Baselines, computed on the same images: ``sharpness`` (variance of the Laplacian of the
luminance, higher = better) and ``noise`` (minus Immerkaer's fast noise-sigma estimate).
Results go to ``<out>/eval_nr.json`` and ``<out>/eval_nr.md``.
"""

from __future__ import annotations

import json
import math
import time
from multiprocessing import get_context
from pathlib import Path

import cv2
import numpy as np

from ..data import distortions as dist
from ..data import labels as lab
from ..data.groups import BIG
from ..data.photos import default_data_root, load_rgb, polyu_pairs, split_photos
from .scoring import five_point

EVAL_SHORT_SIDE = 384
P_TEST_MIN_GAP = 0.2
TARGETS = {"polyu_clean_above_noisy": 0.90, "l_test_srocc": 0.90}


# ----------------------------------------------------------------------------- baselines

def _gray(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float64)


def sharpness(img: np.ndarray) -> float:
    """Variance of the Laplacian of the luminance (higher = sharper)."""
    return float(cv2.Laplacian(_gray(img), cv2.CV_64F).var())


_IMMERKAER = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float64)


def noise_sigma(img: np.ndarray) -> float:
    """Immerkaer (1996) fast noise standard deviation estimate of the luminance."""
    g = _gray(img)
    h, w = g.shape
    r = cv2.filter2D(g, cv2.CV_64F, _IMMERKAER)[1:-1, 1:-1]
    return float(math.sqrt(math.pi / 2) * np.abs(r).sum() / (6.0 * (w - 2) * (h - 2)))


BASELINES = {"sharpness": sharpness, "noise": lambda im: -noise_sigma(im)}


def _psnr(img: np.ndarray, ref: np.ndarray) -> float:
    mse = np.mean((img.astype(np.float64) - ref.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0 ** 2 / max(mse, 1e-10)))


def _fr_baselines() -> dict:
    from ..data import fr_metrics as fr

    return {"psnr": _psnr, "ssim": lambda im, ref: fr.ssim(im, ref), "ms_ssim": lambda im, ref: fr.ms_ssim(im, ref)}


#: classic full-reference baselines (higher = better), ``fn(img, ref)``
FR_BASELINES = ("psnr", "ssim", "ms_ssim")


# ----------------------------------------------------------------------------- synthetic set

def eval_crop(path) -> np.ndarray:
    img = load_rgb(path)
    h, w = img.shape[:2]
    if min(h, w) > EVAL_SHORT_SIDE:
        s = EVAL_SHORT_SIDE / min(h, w)
        img = cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    elif min(h, w) < BIG:
        s = BIG / min(h, w)
        img = cv2.resize(img, (math.ceil(w * s), math.ceil(h * s)), interpolation=cv2.INTER_CUBIC)
    return lab.centre(img, BIG)


def _photo_task(args):
    idx, path, seed, *rest = args
    full_reference = bool(rest and rest[0])
    cv2.setNumThreads(1)
    big = eval_crop(path)
    ref = lab.centre(big)
    names = dist.NAMES
    imgs = np.empty((len(names), 5) + ref.shape, np.uint8)
    labels = np.empty((len(names), 5), np.float32)
    for ti, name in enumerate(names):
        for li in range(5):
            imgs[ti, li], labels[ti, li] = lab.label_distorted(big, name, li + 1, seed + idx)
    base = {k: (fn(ref), np.array([[fn(im) for im in row] for row in imgs])) for k, fn in
            BASELINES.items()}
    if full_reference:  # the pristine image against itself: the metric's best value
        base.update({k: (fn(ref, ref), np.array([[fn(im, ref) for im in row] for row in imgs]))
                     for k, fn in _fr_baselines().items()})
    return idx, str(path), ref, imgs, labels, base


def _spearman(x, y) -> float:
    from scipy.stats import spearmanr

    if np.allclose(x, x[0]):
        return 0.0
    r = spearmanr(x, y).statistic
    return 0.0 if np.isnan(r) else float(r)


def _auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(pos > neg) + 0.5 P(pos == neg) via ranks (Mann-Whitney)."""
    from scipy.stats import rankdata

    allv = np.concatenate([pos, neg])
    r = rankdata(allv)
    rp = r[: len(pos)].sum()
    return float((rp - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def _metrics(pristine, scores, labels) -> dict:
    """pristine [P], scores [P, T, 5], labels [P, T, 5] -> L/D/P test numbers."""
    n_p, n_t, _ = scores.shape
    levels = -np.arange(1, 6)
    per_type = {}
    for ti, name in enumerate(dist.NAMES):
        per_type[name] = float(np.mean([_spearman(scores[p, ti], levels) for p in range(n_p)]))
    kadid = [per_type[n] for n in dist.KADID_NAMES]
    camera = [per_type[n] for n in dist.CAMERA_NAMES]
    d_all = _auc(pristine, scores.reshape(-1))
    d_mild = _auc(pristine, scores[:, :, 0].reshape(-1))
    correct = total = 0
    for p in range(n_p):
        s = np.concatenate([[pristine[p]], scores[p].reshape(-1)])
        q = np.concatenate([[1.0], labels[p].reshape(-1)])
        dq = q[:, None] - q[None, :]
        ds = s[:, None] - s[None, :]
        m = dq >= P_TEST_MIN_GAP
        correct += int(np.sum(ds[m] > 0))
        total += int(m.sum())
    from scipy.stats import spearmanr

    flat_s = np.concatenate([pristine, scores.reshape(-1)])
    flat_q = np.concatenate([np.ones(n_p), labels.reshape(-1)])
    return {
        "l_test_srocc": float(np.mean(list(per_type.values()))),
        "l_test_srocc_kadid": float(np.mean(kadid)),
        "l_test_srocc_camera": float(np.mean(camera)),
        "l_test_per_type": per_type,
        "d_test_auc": d_all,
        "d_test_auc_level1": d_mild,
        "p_test_accuracy": correct / max(total, 1),
        "p_test_pairs": total,
        "srocc_vs_weak_labels": float(spearmanr(flat_s, flat_q).statistic),
    }


# ----------------------------------------------------------------------------- scorers

class TorchScorer:
    def __init__(self, weights, arch="maniqa", config="lite", device="cpu"):
        import torch

        from ..archs.registry import build_model

        self.model = build_model(arch, config)
        state = torch.load(weights, map_location="cpu", weights_only=True)
        if isinstance(state, dict) and "model" in state and isinstance(state["model"], dict):
            state = state["model"]
        self.model.load_state_dict(state, strict=True)
        self.device = device
        self.model.to(device).eval()
        self.name = f"{arch}-{config} ({Path(weights).name})"

    def __call__(self, crops: np.ndarray) -> np.ndarray:
        from .scoring import predict

        return predict(self.model, crops, self.device)


class OnnxScorer:
    def __init__(self, path, threads=2):
        from ..common.ort_session import ort_session

        self.sess = ort_session(path, threads)
        self.input = self.sess.get_inputs()[0].name
        self.output = self.sess.get_outputs()[0].name
        self.name = f"onnx ({Path(path).parent.parent.name}/{Path(path).parent.name})"

    def __call__(self, crops: np.ndarray) -> np.ndarray:
        out = []
        for i in range(0, len(crops), 32):
            x = crops[i:i + 32].astype(np.float32).transpose(0, 3, 1, 2) * (2.0 / 255.0) - 1.0
            out.append(self.sess.run([self.output], {self.input: x})[0].reshape(-1))
        return np.concatenate(out) if out else np.zeros(0, np.float32)


# ----------------------------------------------------------------------------- driver

def evaluate(scorer, data_root, max_photos=0, workers=2, seed=2024, log=print, split="test") -> dict:
    t0 = time.time()
    # spread over the sorted list (pick_photos, as `eval` does): the first N would all be one collection
    photos = pick_photos(split_photos(data_root)[split], max_photos)
    if not photos:
        raise SystemExit(f"no held-out photos under {Path(data_root) / 'photos'}")
    n_t = len(dist.NAMES)
    model_pristine = np.zeros(len(photos))
    model_scores = np.zeros((len(photos), n_t, 5))
    labels = np.zeros((len(photos), n_t, 5))
    base_pristine = {k: np.zeros(len(photos)) for k in BASELINES}
    base_scores = {k: np.zeros((len(photos), n_t, 5)) for k in BASELINES}
    tasks = [(i, p, seed) for i, p in enumerate(photos)]
    ctx = get_context("fork")
    with ctx.Pool(max(1, workers)) as pool:
        for done, (i, _, ref, imgs, lbl, base) in enumerate(pool.imap_unordered(_photo_task, tasks)):
            s = scorer(np.concatenate([ref[None], imgs.reshape(-1, *ref.shape)]))
            model_pristine[i] = s[0]
            model_scores[i] = s[1:].reshape(n_t, 5)
            labels[i] = lbl
            for k, (bp, bs) in base.items():
                base_pristine[k][i] = bp
                base_scores[k][i] = bs
            if (done + 1) % 10 == 0 or done + 1 == len(photos):
                log(f"eval: {done + 1}/{len(photos)} photos, {time.time() - t0:.0f}s")
    result = {"synthetic": {"photos": len(photos), "types": n_t, "levels": 5,
                            "model": _metrics(model_pristine, model_scores, labels)},
              "baselines": {}}
    for k in BASELINES:
        result["baselines"][k] = {"synthetic": _metrics(base_pristine[k], base_scores[k], labels)}
    pairs = polyu_pairs(data_root)
    result["polyu"] = {}
    for split_name, ps in pairs.items():
        if not ps:
            continue
        clean = [load_rgb(c) for c, _ in ps]
        noisy = [load_rgb(n) for _, n in ps]
        sc = np.array([scorer(five_point(im)).mean() for im in clean])
        sn = np.array([scorer(five_point(im)).mean() for im in noisy])
        entry = {"pairs": len(ps), "model": float(np.mean(sc > sn))}
        for k, fn in BASELINES.items():
            bc = np.array([fn(im) for im in clean])
            bn = np.array([fn(im) for im in noisy])
            entry[k] = float(np.mean(bc > bn))
        result["polyu"][split_name] = entry
    result["seconds"] = round(time.time() - t0, 1)
    return result


def pick_photos(photos: list, n: int) -> list:
    """``n`` held-out photos spread evenly over the sorted list (every collection is represented)."""
    if not n or n >= len(photos):
        return list(photos)
    return [photos[int(i)] for i in np.linspace(0, len(photos) - 1, n).round()]


def _score(scorer, imgs: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """NR scorers take crops; full-reference scorers (``full_reference = True``) also the reference."""
    if getattr(scorer, "full_reference", False):
        return scorer(imgs, np.broadcast_to(ref, imgs.shape))
    return scorer(imgs)


def evaluate_many(scorers: dict, data_root, photos: int = 0, workers: int = 2, seed: int = 2024,
                  log=print, polyu_splits=("test",)) -> dict:
    """Like :func:`evaluate` for several scorers (NR and full-reference) on the same distorted crops
    of ``photos`` held-out photos (:func:`pick_photos`). FR baselines (PSNR, SSIM, MS-SSIM) are
    added when any scorer is full-reference. Returns {"scorers": {name: {"synthetic", "polyu"}},
    "baselines": {...}, "photos", "seconds"}."""
    t0 = time.time()
    chosen = pick_photos(split_photos(data_root)["test"], photos)
    if not chosen:
        raise SystemExit(f"no held-out photos under {Path(data_root) / 'photos'}")
    fr_needed = any(getattr(s, "full_reference", False) for s in scorers.values())
    n_p, n_t = len(chosen), len(dist.NAMES)
    pristine = {k: np.zeros(n_p) for k in scorers}
    scores = {k: np.zeros((n_p, n_t, 5)) for k in scorers}
    labels = np.zeros((n_p, n_t, 5))
    b_names = list(BASELINES) + (list(FR_BASELINES) if fr_needed else [])
    b_pristine = {k: np.zeros(n_p) for k in b_names}
    b_scores = {k: np.zeros((n_p, n_t, 5)) for k in b_names}
    tasks = [(i, p, seed, fr_needed) for i, p in enumerate(chosen)]
    with get_context("fork").Pool(max(1, workers)) as pool:
        for done, (i, _, ref, imgs, lbl, base) in enumerate(pool.imap_unordered(_photo_task, tasks)):
            allv = np.concatenate([ref[None], imgs.reshape(-1, *ref.shape)])
            for k, sc in scorers.items():
                s = _score(sc, allv, ref)
                pristine[k][i], scores[k][i] = s[0], s[1:].reshape(n_t, 5)
            labels[i] = lbl
            for k, (bp, bs) in base.items():
                b_pristine[k][i], b_scores[k][i] = bp, bs
            log(f"eval: {done + 1}/{n_p} photos, {time.time() - t0:.0f}s")
    pairs = polyu_pairs(data_root)
    out = {"photos": n_p, "photo_names": [Path(p).name for p in chosen], "types": n_t, "levels": 5,
           "scorers": {}, "baselines": {}}
    loaded = {sp: ([load_rgb(c) for c, _ in ps], [load_rgb(n) for _, n in ps]) for sp, ps in pairs.items()
              if ps and sp in polyu_splits}
    for k, sc in scorers.items():
        entry = {"synthetic": _metrics(pristine[k], scores[k], labels), "polyu": {}}
        for sp, (clean, noisy) in loaded.items():
            fc = [five_point(im) for im in clean]
            s_c = np.array([_score(sc, f, f).mean() for f in fc])
            s_n = np.array([_score(sc, five_point(n), f).mean() for n, f in zip(noisy, fc)])
            entry["polyu"][sp] = {"pairs": len(clean), "clean_above_noisy": float(np.mean(s_c > s_n))}
        out["scorers"][k] = entry
        log(f"eval: PolyU done for {k}, {time.time() - t0:.0f}s")
    fr_fns = _fr_baselines() if fr_needed else {}
    for k in b_names:
        entry = {"synthetic": _metrics(b_pristine[k], b_scores[k], labels), "polyu": {}}
        for sp, (clean, noisy) in loaded.items():
            if k in fr_fns:
                frac = float(np.mean([fr_fns[k](c, c) > fr_fns[k](n, c) for c, n in zip(clean, noisy)]))
            else:
                frac = float(np.mean([BASELINES[k](c) > BASELINES[k](n) for c, n in zip(clean, noisy)]))
            entry["polyu"][sp] = {"pairs": len(clean), "clean_above_noisy": frac}
        out["baselines"][k] = entry
    out["seconds"] = round(time.time() - t0, 1)
    return out


def to_markdown(res: dict, title: str) -> str:
    m = res["synthetic"]["model"]
    rows = [("model", m, {k: v.get("model") for k, v in res["polyu"].items()})]
    for k, b in res["baselines"].items():
        rows.append((k, b["synthetic"], {s: v.get(k) for s, v in res["polyu"].items()}))
    lines = [f"# {title}", "",
             f"{'Training' if res.get('split') == 'train' else 'Held-out'} photos: "
             f"{res['synthetic']['photos']}, {res['synthetic']['types']} "
             f"distortion types x 5 levels. Targets: L-test SROCC >= {TARGETS['l_test_srocc']}, "
             f"PolyU clean above noisy >= {TARGETS['polyu_clean_above_noisy']:.0%}.", "",
             "| scorer | L-test SROCC (all) | L-test KADID | L-test camera | D-test AUC | "
             "D-test AUC level 1 | P-test acc | PolyU test clean>noisy | PolyU val clean>noisy |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, s, p in rows:
        pt = p.get("test")
        pv = p.get("val")
        lines.append(
            f"| {name} | {s['l_test_srocc']:.3f} | {s['l_test_srocc_kadid']:.3f} | "
            f"{s['l_test_srocc_camera']:.3f} | {s['d_test_auc']:.3f} | {s['d_test_auc_level1']:.3f} | "
            f"{s['p_test_accuracy']:.3f} | {'' if pt is None else f'{pt:.2%}'} | "
            f"{'' if pv is None else f'{pv:.2%}'} |")
    lines += ["", "Per-type L-test SROCC (model | sharpness | noise):", "",
              "| type | model | sharpness | noise |", "|---|---|---|---|"]
    for name in dist.NAMES:
        vals = [m["l_test_per_type"][name]] + [res["baselines"][k]["synthetic"]["l_test_per_type"]
                                                [name] for k in res["baselines"]]
        lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in vals) + " |")
    return "\n".join(lines) + "\n"


def main(args) -> int:
    data_root = Path(args.data) if args.data else default_data_root()
    if args.weights:
        scorer = TorchScorer(args.weights, args.arch, args.config, args.device)
    else:
        scorer = OnnxScorer(args.onnx)
    split = getattr(args, "split", "test")
    res = evaluate(scorer, data_root, args.max_photos, args.workers, args.seed, split=split)
    res["split"] = split
    cmd = "python -m frameq_models eval-nr " + (
        f"--weights {args.weights}" if args.weights else f"--onnx {args.onnx}")
    if split != "test":
        cmd += f" --split {split}"
    if args.max_photos:
        cmd += f" --max-photos {args.max_photos}"
    res["scorer"] = scorer.name
    res["command"] = cmd
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval_nr.json").write_text(json.dumps(res, indent=1) + "\n")
    md = to_markdown(res, f"NR evaluation: {scorer.name}")
    (out / "eval_nr.md").write_text(md)
    print(md)
    return 0
