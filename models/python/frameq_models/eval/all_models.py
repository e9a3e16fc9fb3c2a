"""``python -m frameq_models eval``: evaluate the shipped models of ``models/repository`` on held-out data
and regenerate ``models/EVAL.md`` with its pictures (``models/eval/*.png``) and numbers (``models/eval/eval.json``).

Everything runs the exported ONNX files through onnxruntime on the CPU (what the Java app loads), never the
training weights:

* IQA (:func:`frameq_models.eval.nr.evaluate_many`): the NR model (maniqa-lite) and the FR model (vtamiq-lite,
  patch sets from :func:`frameq_models.export.golden.sample_patches`, the serving sampler) on the same distorted crops
  of ``--photos`` held-out photos (L-test, D-test, P-test) and on the PolyU test pairs; classic baselines side
  by side (NR: sharpness, noise; FR: PSNR, SSIM, MS-SSIM).
* Bitrate ladder (:func:`eval_ladder`): rungs of one held-out crop, each smaller and more compressed than the
  one before; the share of rung pairs the FR models and the classic FR metrics put in order.
* Restorers: PSNR / SSIM of input and output against the clean image on the PolyU test pairs (whole 512 px
  images) and on synthetic degradations (camera noise, white noise, low light, blur) of the held-out photos;
  a before/after picture.
* Codec: each rate point's graphs + entropy tables with the project's rANS coder (real bitstreams: bpp counts
  every byte of the y and z streams) on 256 px centre crops of the held-out photos, against JPEG (Pillow,
  4:2:0, qualities 5..95) at matched bpp; BD-rate (piecewise-linear in log rate, over the overlapping PSNR
  range); an RD plot.
"""

from __future__ import annotations

import io
import json
import math
import time
from pathlib import Path

import numpy as np

from ..common.ort_session import ort_session
from ..data import distortions as dist
from ..data import fr_metrics as fr
from ..data.photos import default_data_root, load_rgb, polyu_pairs, split_photos
from . import nr as eval_nr

REPO_MODELS = Path(__file__).resolve().parents[3]  # models/
RESTORE_SYNTHETIC = (("camera_noise", 2.5), ("white_noise", 2.0), ("low_light", 2.0), ("gaussian_blur", 1.5))
JPEG_QUALITIES = tuple(range(5, 96, 5))
PARTS = ("iqa", "ladder", "restore", "codec")
#: a fixed bitrate ladder, best rung first: (rescale level, JPEG level), i.e. rescale factors 1, 1, 1.25, 1.5,
#: 1.75, 2, 2.8 with JPEG qualities 93, 79, 69, 60, 52, 44, 35 (distortions.param_at): small steps near the
#: top of the scale, where the renditions of a real ladder differ
LADDER = ((0.0, 0.1), (0.0, 0.4), (0.5, 0.6), (1.0, 0.8), (1.5, 0.95), (2.0, 1.4), (3.0, 2.0))


# ----------------------------------------------------------------------------- ONNX wrappers

def descriptor(repository: Path, name: str) -> dict:
    return json.loads((repository / name / "model.json").read_text())


def model_file(repository: Path, name: str, key: str = "file") -> Path:
    d = descriptor(repository, name)
    return repository / name / str(d["version"]) / d[key]


class OnnxFrScorer:
    """Quality (``1 - score``, model.json ``quality``) of (image, reference) crops with the serving sampler."""

    full_reference = True

    def __init__(self, repository: Path, name: str, threads: int = 1, batch: int = 8):
        from ..export.golden import sample_patches

        self.desc = descriptor(repository, name)
        self.sess = ort_session(model_file(repository, name), threads)
        self.sample = sample_patches
        self.batch = batch
        q = self.desc["score"]["quality"]
        self.low, self.high = q["low"], q["high"]
        self.name = f"{name} v{self.desc['version']}"

    def __call__(self, imgs: np.ndarray, refs: np.ndarray) -> np.ndarray:
        out = []
        pre = self.desc["preprocess"]
        for i in range(0, len(imgs), self.batch):
            sets = [self.sample(r, d, pre)[:4] for r, d in zip(refs[i:i + self.batch], imgs[i:i + self.batch])]
            feeds = {n: np.stack([s[k] for s in sets]) for k, n in
                     enumerate(("patches_ref", "patches_dist", "positions", "scales"))}
            score = self.sess.run(None, feeds)[0].reshape(-1)
            out.append((score - self.low) / (self.high - self.low))  # quality in [0, 1] where the score is
        return np.concatenate(out) if out else np.zeros(0, np.float32)


class OnnxNrScorer(eval_nr.OnnxScorer):
    def __init__(self, repository: Path, name: str, threads: int = 1):
        super().__init__(model_file(repository, name), threads)
        self.name = f"{name} v{descriptor(repository, name)['version']}"


class OnnxRestorer:
    def __init__(self, repository: Path, name: str, threads: int = 1):
        self.sess = ort_session(model_file(repository, name), threads)
        self.name = f"{name} v{descriptor(repository, name)['version']}"

    def __call__(self, img: np.ndarray) -> np.ndarray:
        x = img.astype(np.float32).transpose(2, 0, 1)[None] / 255.0
        y = self.sess.run(None, {"image": x})[0][0]
        return (y.transpose(1, 2, 0) * 255.0 + 0.5).clip(0, 255).astype(np.uint8)


class OnnxCodec:
    """The codec pipeline of models/MODEL-JSON.md (family codec) on the exported graphs and tables: the same
    ``FQC1`` streams the Java codec writes (:class:`frameq_models.codec.runtime.OrtCodec`), so bpp counts real bitstreams."""

    def __init__(self, repository: Path, name: str, threads: int = 1):
        from ..codec.runtime import OrtCodec

        self.codec = OrtCodec(repository / name)
        self.desc = self.codec.desc
        self.name = f"{name} v{self.desc['version']}"

    def __call__(self, img: np.ndarray) -> tuple[float, np.ndarray]:
        """(bits per pixel of the stream, header included; the image decoded from that stream as uint8)."""
        from ..codec.runtime import to_uint8

        data = self.codec.encode(img).data
        x_hat, _ = self.codec.decode(data)
        return 8.0 * len(data) / (img.shape[0] * img.shape[1]), to_uint8(x_hat)


# ----------------------------------------------------------------------------- metrics

def psnr(a: np.ndarray, b: np.ndarray) -> float:
    return eval_nr._psnr(a, b)


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    return fr.ssim(a, b)


def jpeg(img: np.ndarray, quality: int) -> tuple[float, np.ndarray]:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=quality, subsampling=2)
    out = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    return 8.0 * len(buf.getvalue()) / (img.shape[0] * img.shape[1]), out


def bd_rate(rate_a, dist_a, rate_b, dist_b, samples: int = 200) -> float | None:
    """Average bitrate difference of curve a against curve b in % at equal distortion (negative = a needs fewer
    bits). log-rate is interpolated piecewise-linearly in the distortion (3 rate points do not support the usual
    cubic fit); None when the distortion ranges do not overlap."""
    da, la = np.asarray(dist_a, float), np.log(np.asarray(rate_a, float))
    db, lb = np.asarray(dist_b, float), np.log(np.asarray(rate_b, float))
    oa, ob = np.argsort(da), np.argsort(db)
    lo, hi = max(da.min(), db.min()), min(da.max(), db.max())
    if hi <= lo:
        return None
    grid = np.linspace(lo, hi, samples)
    diff = np.interp(grid, da[oa], la[oa]) - np.interp(grid, db[ob], lb[ob])
    return float((math.exp(float(diff.mean())) - 1.0) * 100.0)


# ----------------------------------------------------------------------------- parts

def eval_restorers(restorers: dict, data_root: Path, photos: int, seed: int, log=print) -> tuple[dict, list]:
    """Returns (numbers, picture rows); each row: (label, input, {name: output}, clean) as uint8 crops."""
    res: dict = {}
    rows = []
    test = polyu_pairs(data_root)["test"]
    clean = [load_rgb(c, 10_000) for c, _ in test]
    noisy = [load_rgb(n, 10_000) for _, n in test]
    entry = {"pairs": len(test), "input": _ps(noisy, clean)}
    for name, r in restorers.items():
        outs = [r(n) for n in noisy]
        entry[name] = _ps(outs, clean)
        if len(rows) < 2:
            pass
    for j in range(min(2, len(test))):
        rows.append((f"PolyU {Path(test[j][1]).name[:28]}", noisy[j], {k: r(noisy[j]) for k, r in restorers.items()},
                     clean[j]))
    res["polyu_test"] = entry
    log(f"restorers: PolyU {len(test)} pairs done")
    chosen = eval_nr.pick_photos(split_photos(data_root)["test"], photos)
    crops = [eval_nr.eval_crop(p) for p in chosen]
    res["synthetic"] = {}
    for t, level in RESTORE_SYNTHETIC:
        ins = [dist.apply(c, t, level, seed + i)[16:-16, 16:-16] for i, c in enumerate(crops)]
        refs = [c[16:-16, 16:-16] for c in crops]
        e = {"images": len(ins), "level": level, "input": _ps(ins, refs)}
        for name, r in restorers.items():
            outs = [r(x) for x in ins]
            e[name] = _ps(outs, refs)
        res["synthetic"][t] = e
        rows.append((f"{t} level {level}", ins[0], {k: r(ins[0]) for k, r in restorers.items()}, refs[0]))
        log(f"restorers: {t} done")
    return res, rows


def eval_ladder(fr_scorers: dict, data_root: Path, photos: int, log=print) -> dict:
    """Bitrate-ladder ranking on held-out photos: every rung of :data:`LADDER` (smaller and more
    compressed than the one before, shown at the origin size) of each photo's centre crop, scored
    against the crop; the share of (photo, rung i < rung j) pairs where rung i scores higher, for
    the FR models and the classic FR metrics. What a CDN needs from an FR score: a lower rung must
    never look better."""
    from ..data.labels import centre

    crops = [eval_nr.eval_crop(p) for p in eval_nr.pick_photos(split_photos(data_root)["test"], photos)]
    rows = {name: [] for name in [*fr_scorers, "psnr", "ssim", "ms_ssim"]}
    for big in crops:
        ref = centre(big)
        rungs = np.stack([centre(dist.apply(dist.apply(big, "rescale", s_lv), "jpeg", c_lv)) for s_lv, c_lv in LADDER])
        refs = np.repeat(ref[None], len(LADDER), 0)
        for name, scorer in fr_scorers.items():
            rows[name].append(scorer(rungs, refs).tolist())
        rows["psnr"].append([psnr(r, ref) for r in rungs])
        rows["ssim"].append([ssim(r, ref) for r in rungs])
        rows["ms_ssim"].append([fr.ms_ssim_and_ssim(r, ref)[0] for r in rungs])
    out = {"photos": len(crops), "rungs": [{"rescale_factor": round(dist.param_at("rescale", s_lv), 2),
                                            "jpeg_quality": int(dist.param_at("jpeg", c_lv))} for s_lv, c_lv in LADDER],
           "scorers": {}}
    n = len(LADDER)
    for name, per_photo in rows.items():
        q = np.asarray(per_photo)
        ok = [q[p, i] > q[p, j] for p in range(len(q)) for i in range(n) for j in range(i + 1, n)]
        adj = [q[p, i] > q[p, i + 1] for p in range(len(q)) for i in range(n - 1)]
        top = [q[p, 0] > q[p, 1] for p in range(len(q))]
        out["scorers"][name] = {"pairs_in_order": round(float(np.mean(ok)), 4),
                                "adjacent_in_order": round(float(np.mean(adj)), 4),
                                "top_two_in_order": round(float(np.mean(top)), 4),
                                "mean_per_rung": [round(float(v), 4) for v in q.mean(0)]}
        log(f"ladder {name}: {out['scorers'][name]['pairs_in_order']:.1%} of rung pairs in order")
    return out


def _ps(outs, refs) -> dict:
    return {"psnr": round(float(np.mean([psnr(o, r) for o, r in zip(outs, refs)])), 3),
            "ssim": round(float(np.mean([ssim(o, r) for o, r in zip(outs, refs)])), 4)}


def eval_codecs(codecs: dict, data_root: Path, photos: int, size: int = 256, log=print) -> dict:
    chosen = eval_nr.pick_photos(split_photos(data_root)["test"], photos)
    imgs = [eval_nr.eval_crop(p)[:size, :size] for p in chosen]
    imgs = [im for im in imgs if im.shape[:2] == (size, size)]
    curves = {}
    for name, codec in codecs.items():
        pts = [codec(im) for im in imgs]
        curves[name] = {"bpp": float(np.mean([b for b, _ in pts])),
                        "psnr": float(np.mean([psnr(o, im) for (_, o), im in zip(pts, imgs)])),
                        "ms_ssim": float(np.mean([fr.ms_ssim(o, im) for (_, o), im in zip(pts, imgs)]))}
        log(f"codec: {name} {curves[name]}")
    jp = []
    for q in JPEG_QUALITIES:
        pts = [jpeg(im, q) for im in imgs]
        jp.append({"quality": q, "bpp": float(np.mean([b for b, _ in pts])),
                   "psnr": float(np.mean([psnr(o, im) for (_, o), im in zip(pts, imgs)])),
                   "ms_ssim": float(np.mean([fr.ms_ssim(o, im) for (_, o), im in zip(pts, imgs)]))})
    jb = np.array([p["bpp"] for p in jp])
    for name, c in curves.items():  # JPEG at the same bpp (interpolated along the JPEG ladder)
        c["jpeg_psnr_at_bpp"] = float(np.interp(c["bpp"], jb, [p["psnr"] for p in jp]))
        c["jpeg_ms_ssim_at_bpp"] = float(np.interp(c["bpp"], jb, [p["ms_ssim"] for p in jp]))
        c["jpeg_in_range"] = bool(jb.min() <= c["bpp"] <= jb.max())
    names = sorted(curves, key=lambda n: curves[n]["bpp"])
    res = {"images": len(imgs), "size": size, "rate_points": {n: curves[n] for n in names}, "jpeg": jp}
    if len(names) >= 2:
        rates = [curves[n]["bpp"] for n in names]
        res["bd_rate_psnr_vs_jpeg_percent"] = bd_rate(rates, [curves[n]["psnr"] for n in names],
                                                      jb, [p["psnr"] for p in jp])
        res["bd_rate_ms_ssim_vs_jpeg_percent"] = bd_rate(rates, [curves[n]["ms_ssim"] for n in names],
                                                         jb, [p["ms_ssim"] for p in jp])
    return res


# ----------------------------------------------------------------------------- pictures

def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_iqa(iqa: dict, path: Path) -> None:
    plt = _plt()
    names = list(dist.NAMES)
    series = {k: v["synthetic"]["l_test_per_type"] for k, v in iqa["scorers"].items()}
    series.update({k: v["synthetic"]["l_test_per_type"] for k, v in iqa["baselines"].items()
                   if k in ("psnr", "ms_ssim", "noise")})
    fig, ax = plt.subplots(figsize=(12, 4.2), dpi=80)
    w = 0.8 / len(series)
    for j, (k, v) in enumerate(series.items()):
        ax.bar(np.arange(len(names)) + j * w, [v[n] for n in names], w, label=k)
    ax.set_xticks(np.arange(len(names)) + 0.4 - w / 2, names, rotation=70, fontsize=7)
    ax.set_ylabel("L-test SROCC")
    ax.set_ylim(-1, 1)
    ax.axhline(0.9, color="k", lw=0.6, ls="--")
    ax.legend(fontsize=7, ncol=len(series))
    ax.set_title(f"Per-type level consistency on {iqa['photos']} held-out photos")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def picture_restore(rows: list, path: Path, crop: int = 112) -> None:
    """Grid: input | each restorer | clean, one row per case (centre crops, 1:1 pixels)."""
    from PIL import Image, ImageDraw

    cols = 2 + len(rows[0][2]) if rows else 0
    head = 14
    canvas = Image.new("RGB", (cols * crop, len(rows) * (crop + head)), "white")
    draw = ImageDraw.Draw(canvas)
    for r, (label, inp, outs, clean) in enumerate(rows):
        tiles = [("input", inp)] + list(outs.items()) + [("clean", clean)]
        y0 = r * (crop + head)
        for c, (name, img) in enumerate(tiles):
            h, w = img.shape[:2]
            t = img[(h - crop) // 2:(h - crop) // 2 + crop, (w - crop) // 2:(w - crop) // 2 + crop]
            canvas.paste(Image.fromarray(np.ascontiguousarray(t)), (c * crop, y0 + head))
            p = f" {psnr(t, clean[(h - crop) // 2:(h - crop) // 2 + crop, (w - crop) // 2:(w - crop) // 2 + crop]):.1f}dB" \
                if name != "clean" else ""
            draw.text((c * crop + 2, y0 + 1), (name.split(" ")[0][:10] + p) if c else (label[:18]), fill="black")
    canvas.save(path, optimize=True)


def plot_rd(codec: dict, path: Path) -> None:
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), dpi=80)
    jp = codec["jpeg"]
    rp = codec["rate_points"]
    for ax, key, label in ((axes[0], "psnr", "PSNR (dB)"), (axes[1], "ms_ssim", "MS-SSIM (luma)")):
        ax.plot([p["bpp"] for p in jp], [p[key] for p in jp], "o-", ms=3, label="JPEG (Pillow 4:2:0)")
        ax.plot([v["bpp"] for v in rp.values()], [v[key] for v in rp.values()], "s-", label="wacnn-lite")
        for n, v in rp.items():
            ax.annotate(n.split(" ")[0].replace("wacnn-lite", "") or "mid", (v["bpp"], v[key]), fontsize=7)
        ax.set_xlabel("bits per pixel")
        ax.set_ylabel(label)
        ax.set_xlim(0, max(2.0, max(v["bpp"] for v in rp.values()) * 1.1))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Rate-distortion on {codec['images']} held-out {codec['size']} px crops", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


# ----------------------------------------------------------------------------- report

def _f(x, fmt="{:.3f}"):
    return "n/a" if x is None else fmt.format(x)


def to_markdown(res: dict) -> str:
    runs = [f"`{p['command']}` ({name}: {p['seconds']:.0f} s on {p['machine']}, {p['date']})"
            for name, p in ((k, res.get(k)) for k in PARTS) if p and "command" in p]
    L = ["# FrameQ model evaluation", "",
         "Generated by " + "; ".join(runs) + ". Every number comes from the "
         "exported ONNX files in `models/repository` run by onnxruntime (CPU), on data never trained on "
         "(held-out photos: index % 5 == 4 per collection + skimage; PolyU test scenes). Sizes are subsampled to fit "
         "the 2-core machine; the full sets are one flag away (`--photos 0`).", ""]
    iqa = res.get("iqa")
    if iqa:
        L += ["## Quality models (NR and FR)", "",
              f"{iqa['photos']} held-out photos x {iqa['types']} distortion types x 5 levels (photos: "
              f"{', '.join(iqa['photo_names'])}); PolyU: {iqa['polyu_pairs']}.", "",
              "| scorer | kind | L-test SROCC | L-test KADID | L-test camera | D-test AUC | D-test AUC level 1 | "
              "P-test acc | PolyU test clean>noisy | PolyU val clean>noisy |",
              "|---|---|---|---|---|---|---|---|---|---|"]
        kinds = {**{k: v for k, v in iqa["kinds"].items()}, "sharpness": "NR classic", "noise": "NR classic",
                 "psnr": "FR classic", "ssim": "FR classic", "ms_ssim": "FR classic"}
        for k, v in list(iqa["scorers"].items()) + list(iqa["baselines"].items()):
            s = v["synthetic"]
            pt, pv = v["polyu"].get("test", {}), v["polyu"].get("val", {})
            L.append(f"| {k} | {kinds.get(k, '')} | {s['l_test_srocc']:.3f} | {s['l_test_srocc_kadid']:.3f} | "
                     f"{s['l_test_srocc_camera']:.3f} | {s['d_test_auc']:.3f} | {s['d_test_auc_level1']:.3f} | "
                     f"{s['p_test_accuracy']:.3f} | {_f(pt.get('clean_above_noisy'), '{:.1%}')} | "
                     f"{_f(pv.get('clean_above_noisy'), '{:.1%}')} |")
        L += ["", "For FR scorers and FR baselines, the PolyU fraction compares (clean vs clean) with (noisy vs clean): "
              "a full-reference score that is maximal for identical images passes it trivially.", "",
              "![per-type L-test](eval/iqa_ltest.png)", "",
              "Per-type L-test SROCC:", "",
              "| type | " + " | ".join(list(iqa["scorers"]) + list(iqa["baselines"])) + " |",
              "|---|" + "---|" * (len(iqa["scorers"]) + len(iqa["baselines"]))]
        measured = next(iter(iqa["scorers"].values()))["synthetic"]["l_test_per_type"]
        for n in [n for n in dist.NAMES if n in measured]:  # a report kept from before a type was added lacks it
            vals = [v["synthetic"]["l_test_per_type"][n] for v in list(iqa["scorers"].values())
                    + list(iqa["baselines"].values())]
            L.append(f"| {n} | " + " | ".join(f"{x:.2f}" for x in vals) + " |")
        L.append("")
    ld = res.get("ladder")
    if ld:
        rungs = ", ".join(f"{r['rescale_factor']:g}x + JPEG q{r['jpeg_quality']}" for r in ld["rungs"])
        L += ["## Bitrate ladder (full reference)", "",
              f"Centre crops of {ld['photos']} held-out photos, each at {len(ld['rungs'])} rungs ({rungs}; smaller "
              "by area filter, JPEG 4:2:0, shown at the origin size by bicubic), scored against the crop. A lower "
              "rung must score lower: share of rung pairs in that order (all pairs, adjacent rungs, the top two).", "",
              "| scorer | all pairs | adjacent | top two | mean score per rung |", "|---|---|---|---|---|"]
        for k, v in ld["scorers"].items():
            L.append(f"| {k} | {v['pairs_in_order']:.1%} | {v['adjacent_in_order']:.1%} | {v['top_two_in_order']:.1%} | "
                     + ", ".join(f"{x:.3f}" for x in v["mean_per_rung"]) + " |")
        L.append("")
    rs = res.get("restore")
    if rs:
        names = [k for k in rs["polyu_test"] if k not in ("pairs", "input")]
        L += ["## Restorers", "",
              "PSNR (dB, RGB) / SSIM (luma) against the clean image. PolyU: the "
              f"{rs['polyu_test']['pairs']} test pairs, whole 512 px images. Synthetic: centre 224 px crops of "
              f"{next(iter(rs['synthetic'].values()))['images']} held-out photos, one level per type.", "",
              "| set | input | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
        for label, e in [("PolyU test (real noise)", rs["polyu_test"])] + [
                (f"{t} (level {e['level']})", e) for t, e in rs["synthetic"].items()]:
            L.append(f"| {label} | {e['input']['psnr']:.2f} / {e['input']['ssim']:.3f} | " + " | ".join(
                f"{e[n]['psnr']:.2f} / {e[n]['ssim']:.3f}" for n in names) + " |")
        L += ["", "Before / after (centre crops, PSNR of the crop):", "", "![restorers](eval/restore.png)", ""]
    cd = res.get("codec")
    if cd:
        L += ["## Codec", "",
              f"{cd['images']} held-out photos, centre {cd['size']} px crops; bpp of the real rANS bitstreams "
              "(y + z); JPEG = Pillow quality 5..95, 4:2:0, PSNR interpolated at the same bpp.", "",
              "| rate point | bpp | PSNR | MS-SSIM | JPEG PSNR at same bpp | JPEG MS-SSIM at same bpp |",
              "|---|---|---|---|---|---|"]
        for n, v in cd["rate_points"].items():
            flag = "" if v["jpeg_in_range"] else " (outside the JPEG ladder)"
            L.append(f"| {n} | {v['bpp']:.3f} | {v['psnr']:.2f} | {v['ms_ssim']:.4f} | "
                     f"{v['jpeg_psnr_at_bpp']:.2f}{flag} | {v['jpeg_ms_ssim_at_bpp']:.4f} |")
        L += ["", f"BD-rate against JPEG (negative = fewer bits than JPEG at equal quality): PSNR "
              f"{_f(cd.get('bd_rate_psnr_vs_jpeg_percent'), '{:+.1f} %')}, MS-SSIM "
              f"{_f(cd.get('bd_rate_ms_ssim_vs_jpeg_percent'), '{:+.1f} %')}"
              + (" (n/a: the quality ranges of the two curves do not overlap)"
                 if None in (cd.get("bd_rate_psnr_vs_jpeg_percent"), cd.get("bd_rate_ms_ssim_vs_jpeg_percent")) else "")
              + ".", "",
              "![rate-distortion](eval/codec_rd.png)", ""]
    return "\n".join(L)


def record_metrics(res: dict, repo: Path, command: str, skip: set = frozenset()) -> None:
    """Write the held-out numbers into each evaluated model's model.json ``metrics`` (the model card)."""
    from ..common.jsonfmt import to_json

    def put(name: str, values: dict) -> None:
        if name in skip:
            return
        path = repo / name / "model.json"
        desc = json.loads(path.read_text())
        desc.setdefault("metrics", {}).update(values)
        desc["metrics"]["heldout_source"] = f"{command} (models/EVAL.md)"
        path.write_text(to_json(desc) + "\n")

    for key, e in res.get("iqa", {}).get("scorers", {}).items():
        s = e["synthetic"]
        put(key.rsplit(" v", 1)[0], {
            "heldout_photos": res["iqa"]["photos"], "heldout_l_test_srocc": round(s["l_test_srocc"], 4),
            "heldout_d_test_auc": round(s["d_test_auc"], 4), "heldout_p_test_accuracy": round(s["p_test_accuracy"], 4),
            "polyu_test_clean_above_noisy": round(e["polyu"].get("test", {}).get("clean_above_noisy", float("nan")), 4)})
    for key, v in res.get("ladder", {}).get("scorers", {}).items():
        if " v" in key:  # models, not the classic metrics
            put(key.rsplit(" v", 1)[0], {"heldout_ladder_pairs_in_order": v["pairs_in_order"],
                                        "heldout_ladder_top_two_in_order": v["top_two_in_order"]})
    rs = res.get("restore")
    if rs:
        for key in [k for k in rs["polyu_test"] if k not in ("pairs", "input")]:
            vals = {"polyu_test_psnr_in": rs["polyu_test"]["input"]["psnr"], "polyu_test_psnr_out": rs["polyu_test"][key]["psnr"],
                    "polyu_test_ssim_in": rs["polyu_test"]["input"]["ssim"], "polyu_test_ssim_out": rs["polyu_test"][key]["ssim"]}
            for t, e in rs["synthetic"].items():
                vals[f"heldout_{t}_psnr_in"], vals[f"heldout_{t}_psnr_out"] = e["input"]["psnr"], e[key]["psnr"]
            put(key.rsplit(" v", 1)[0], vals)
    cd = res.get("codec")
    if cd:
        for key, v in cd["rate_points"].items():
            put(key.rsplit(" v", 1)[0], {"heldout_bpp": round(v["bpp"], 4), "heldout_psnr": round(v["psnr"], 3),
                                        "heldout_ms_ssim": round(v["ms_ssim"], 4),
                                        "heldout_jpeg_psnr_at_same_bpp": round(v["jpeg_psnr_at_bpp"], 3),
                                        "bd_rate_psnr_vs_jpeg_percent_all_rate_points":
                                            cd.get("bd_rate_psnr_vs_jpeg_percent")})


def _stamp(part: dict, args, t0: float) -> None:
    part["command"] = args.command_line
    part["seconds"] = round(time.time() - t0, 1)
    part["machine"] = args.machine
    part["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def main(args) -> int:
    t0 = time.time()
    data_root = Path(args.data) if args.data else default_data_root()
    repo = Path(args.repository)
    out_md = Path(args.out)
    pics = out_md.parent / "eval"
    pics.mkdir(parents=True, exist_ok=True)
    res: dict = {}
    prev = pics / "eval.json"
    if args.keep and prev.exists():  # parts not run this time keep their previous numbers
        res = {k: v for k, v in json.loads(prev.read_text()).items() if k in PARTS}
    parts = set(args.parts.split(","))
    t_part = time.time()
    # one session per FR model, shared by the iqa and ladder parts
    fr_scorers = {s.name: s for s in (OnnxFrScorer(repo, n, args.threads) for n in filter(None, args.fr.split(",")))
                  } if parts & {"iqa", "ladder"} else {}
    if "iqa" in parts:
        scorers, kinds = {}, {}
        for name in args.nr.split(","):
            if name:
                s = OnnxNrScorer(repo, name, args.threads)
                scorers[s.name], kinds[s.name] = s, "NR"
        for name, s in fr_scorers.items():
            scorers[name], kinds[name] = s, "FR"
        iqa = eval_nr.evaluate_many(scorers, data_root, args.photos, args.workers, args.seed)
        iqa["kinds"] = kinds
        iqa["polyu_pairs"] = ", ".join(f"{k} {v['pairs']} pairs" for k, v in
                                       next(iter(iqa["scorers"].values()))["polyu"].items())
        res["iqa"] = iqa
        plot_iqa(iqa, pics / "iqa_ltest.png")
        _stamp(res["iqa"], args, t_part)
        t_part = time.time()
    if "ladder" in parts:
        res["ladder"] = eval_ladder(fr_scorers, data_root, args.photos)
        _stamp(res["ladder"], args, t_part)
        t_part = time.time()
    if "restore" in parts:
        restorers = {r.name: r for r in (OnnxRestorer(repo, n, args.threads) for n in filter(None, args.restore.split(",")))}
        rs, rows = eval_restorers(restorers, data_root, args.photos, args.seed)
        res["restore"] = rs
        picture_restore(rows, pics / "restore.png")
        _stamp(res["restore"], args, t_part)
        t_part = time.time()
    if "codec" in parts:
        codecs = {}
        for n in args.codec.split(","):
            if n:
                c = OnnxCodec(repo, n, args.threads)
                codecs[c.name] = c
        res["codec"] = eval_codecs(codecs, data_root, args.photos)
        plot_rd(res["codec"], pics / "codec_rd.png")
        _stamp(res["codec"], args, t_part)
    res.setdefault("seconds_per_part", {})
    res["seconds"] = time.time() - t0
    res["machine"] = args.machine
    res["command"] = args.command_line
    (pics / "eval.json").write_text(json.dumps(res, indent=1, default=float) + "\n")
    if args.record:  # only the parts run now; kept parts already carry their own numbers
        record_metrics({k: v for k, v in res.items() if k in parts}, repo, args.command_line,
                       skip=set(filter(None, args.no_record.split(","))))
    out_md.write_text(to_markdown(res) + "\n")
    print(f"wrote {out_md} ({res['seconds']:.0f} s)")
    return 0


def add_parser(sub) -> None:
    e = sub.add_parser("eval", help="evaluate the repository's models on held-out data; writes models/EVAL.md")
    e.add_argument("--repository", default=str(REPO_MODELS / "repository"))
    e.add_argument("--out", default=str(REPO_MODELS / "EVAL.md"), help="markdown file; pictures go to <dir>/eval/")
    e.add_argument("--data", default="")
    e.add_argument("--parts", default=",".join(PARTS), help="comma-separated subset of " + ",".join(PARTS))
    e.add_argument("--nr", default="maniqa-lite")
    e.add_argument("--fr", default="vtamiq-lite")
    e.add_argument("--restore", default="lpienet-lite,mirnet-v2-lite")
    e.add_argument("--codec", default="wacnn-lite-low,wacnn-lite,wacnn-lite-high")
    e.add_argument("--photos", type=int, default=12, help="held-out photos (spread over collections); 0 = all 51")
    e.add_argument("--threads", type=int, default=1, help="onnxruntime intra-op threads")
    e.add_argument("--workers", type=int, default=1, help="processes making the distorted crops")
    e.add_argument("--seed", type=int, default=2024)
    e.add_argument("--machine", default="the 2-core shared dev VM")
    e.add_argument("--record", action="store_true", help="write the held-out numbers into each model.json metrics")
    e.add_argument("--no-record", default="maniqa-lite",
                   help="models whose model.json --record leaves alone (maniqa-lite keeps its 41-photo H100 numbers)")
    e.add_argument("--keep", action="store_true", help="keep the numbers of parts not run from <dir>/eval/eval.json")
    e.set_defaults(func=lambda args, argv: main(_with_cmd(args, argv)))


def _with_cmd(args, argv):
    import shlex

    args.command_line = "python -m frameq_models " + " ".join(shlex.quote(a) for a in argv)
    return args
