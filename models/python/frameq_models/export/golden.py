"""Pre-processing as model.json describes it, and golden files for the Java parity test.

A golden folder ``<out>/<model>/`` holds ``frame.png`` (the input photo, with LICENSE.txt), ``input.npy`` (the
work units made from it by model.json's ``preprocess`` block), the onnxruntime outputs ``<output>.npy`` and
``expected.json`` (frame score, per-crop scores, crop boxes, tolerance). Java decodes ``frame.png``, applies its
own pre-processing and runs its own session: every stage can then be compared with these files.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import shutil
from pathlib import Path
from typing import List, Sequence

import numpy as np
from PIL import Image

from ..codec.runtime import write_codec_golden
from ..common.images import load_rgb
from ..common.jsonfmt import to_json
from ..common.ort_session import ort_session

TOLERANCE = 1e-4


def upscale_short_side(img: np.ndarray, size: Sequence[int]) -> np.ndarray:
    """Frames smaller than one work unit are resized (bilinear) so that they cover it; others are returned as is."""
    h, w = img.shape[:2]
    factor = max(size[0] / h, size[1] / w)
    if factor <= 1.0:
        return img
    new_h, new_w = max(size[0], round(h * factor)), max(size[1], round(w * factor))
    return np.asarray(Image.fromarray(img).resize((new_w, new_h), Image.BILINEAR))


def crop_boxes(policy: str, height: int, width: int, size: Sequence[int]) -> List[List[int]]:
    """Work-unit boxes ``[y, x, h, w]`` in the order the model.json contract defines.

    five-point: top-left, top-right, bottom-left, bottom-right, centre; the centre box starts at
    ``floor((H - h) / 2), floor((W - w) / 2)``. centre: only the last of these."""
    ch, cw = size
    if height < ch or width < cw:
        raise ValueError(f"frame {height}x{width} is smaller than the {ch}x{cw} work unit; upscale it first")
    centre = [(height - ch) // 2, (width - cw) // 2, ch, cw]
    if policy == "centre":
        return [centre]
    if policy == "five-point":
        return [[0, 0, ch, cw], [0, width - cw, ch, cw], [height - ch, 0, ch, cw], [height - ch, width - cw, ch, cw],
                centre]
    raise ValueError(f"crop policy {policy!r} is not implemented here; expected one of ['five-point', 'centre']")


def preprocess(img: np.ndarray, spec: dict) -> tuple[np.ndarray, List[List[int]]]:
    """``uint8 [H,W,3]`` RGB -> ``float32 [n, 3, h, w]`` work units and their boxes, per model.json ``preprocess``.

    Arithmetic is float32 in this order: ``x = pixel / scale``, then ``(x - mean[c]) / std[c]``."""
    if spec["layout"] != "NCHW":
        raise ValueError(f"layout {spec['layout']!r} is not supported; expected 'NCHW'")
    order = spec["color_order"]
    if order not in ("RGB", "BGR"):
        raise ValueError(f"color_order {order!r} is not supported; expected 'RGB' or 'BGR'")
    crop = spec["crop"]
    img = upscale_short_side(img, crop["size"])
    if order == "BGR":
        img = img[..., ::-1]
    boxes = crop_boxes(crop["policy"], img.shape[0], img.shape[1], crop["size"])
    x = img.astype(np.float32) / np.float32(spec["scale"])
    mean = np.asarray(spec["mean"], dtype=np.float32)
    std = np.asarray(spec["std"], dtype=np.float32)
    x = (x - mean) / std
    units = [x[y:y + h, xx:xx + w].transpose(2, 0, 1) for y, xx, h, w in boxes]
    return np.ascontiguousarray(np.stack(units), dtype=np.float32), boxes


def halton(index: int, base: int) -> float:
    """Radical inverse of ``index`` (>= 1) in ``base``: the 1-D Halton sequence, in float64."""
    f, r = 1.0, 0.0
    while index > 0:
        f /= base
        r += f * (index % base)
        index //= base
    return r


def avg_pool2(x: np.ndarray) -> np.ndarray:
    """2x2 mean of a float32 ``[H, W, C]`` image (odd last row/column dropped), summed in a fixed order."""
    h, w = x.shape[0] // 2 * 2, x.shape[1] // 2 * 2
    x = x[:h, :w]
    total = ((x[0::2, 0::2] + x[0::2, 1::2]) + x[1::2, 0::2]) + x[1::2, 1::2]
    return (total * np.float32(0.25)).astype(np.float32)


def scale_counts(count: int, scales: int) -> List[int]:
    """Patches per scale: weight 2^(-1.5 s); scales >= 1 get ceil(count * w_s / sum w), scale 0 gets the rest."""
    weights = [2.0 ** (-1.5 * s) for s in range(scales)]
    total = sum(weights)
    upper = [int(np.ceil(count * w / total)) for w in weights[1:]]
    return [count - sum(upper)] + upper


MASK64 = (1 << 64) - 1


class SplitMix64:
    """SplitMix64, bit for bit the Java ``io.frameq.translate.SplitMix64`` (integer steps modulo 2^64)."""

    def __init__(self, seed: int):
        self.state = seed & MASK64

    def next_u64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def next_unit(self) -> float:
        """[0, 1) from the top 53 bits (exact)."""
        return (self.next_u64() >> 11) * 2.0 ** -53

    def next_int(self, bound: int) -> int:
        """[0, bound) as ``(hi32 * bound) >> 32``."""
        if bound <= 0:
            raise ValueError(f"bound must be positive, got {bound}")
        return ((self.next_u64() >> 32) * bound) >> 32


CAPS_CENTRE_WEIGHT, CAPS_DIFF_WEIGHT, CAPS_UNIFORM_WEIGHT = 2.0, 2.0, 0.5  # VTAMIQ's published mix
CAPS_CENTRE_SHARPNESS = 8.0


def caps_cumulative_weights(cells: np.ndarray) -> List[float]:
    """Cumulative CAPS weights of int64 cell sums ``[ny, nx]`` in row-major order (MODEL-JSON.md, sampling caps).

    Only element-wise IEEE operations and a left-to-right running sum: equal bit for bit to the Java twin."""
    ny, nx = cells.shape
    max_diff = int(cells.max())
    a = (np.arange(ny, dtype=np.float64) + 0.5) / ny - 0.5
    b = (np.arange(nx, dtype=np.float64) + 0.5) / nx - 0.5
    centre = 1.0 / (1.0 + CAPS_CENTRE_SHARPNESS * (a[:, None] * a[:, None] + b[None, :] * b[None, :]))
    d = cells.astype(np.float64) / float(max_diff) if max_diff > 0 else np.zeros(cells.shape)
    weight = (CAPS_CENTRE_WEIGHT * (centre / centre.max()) + CAPS_DIFF_WEIGHT * d) + CAPS_UNIFORM_WEIGHT
    return list(itertools.accumulate(weight.ravel().tolist()))


def caps_placements(ref: np.ndarray, dist: np.ndarray, p: int, counts: Sequence[int], seed: int = 0):
    """Content-aware patch places ``[(s, y, x), ...]`` of a same-size ``uint8 [H,W,3]`` pair (sampling ``caps``).

    Squared 8-bit difference summed exactly per P x P cell of each level, cell weights from difference, centre bias
    and a uniform floor, patches drawn with SplitMix64(seed): three draws per patch (cell, row, column offset)."""
    h, w = ref.shape[:2]
    e = ((ref.astype(np.int64) - dist.astype(np.int64)) ** 2).sum(axis=2)
    ny, nx = h // p, w // p
    cells = e[:ny * p, :nx * p].reshape(ny, p, nx, p).sum(axis=(1, 3))
    rng = SplitMix64(seed)
    out = []
    for s, k in enumerate(counts):
        if s > 0:
            cy, cx = (h >> s) // p, (w >> s) // p
            c = cells[:2 * cy, :2 * cx]
            cells = ((c[0::2, 0::2] + c[0::2, 1::2]) + c[1::2, 0::2]) + c[1::2, 1::2]
            ny, nx = cy, cx
        cumulative = caps_cumulative_weights(cells)
        total = cumulative[-1]
        hs, ws = h >> s, w >> s
        for _ in range(k):
            cell = min(bisect.bisect_right(cumulative, rng.next_unit() * total), len(cumulative) - 1)
            i, j = divmod(cell, nx)
            y = i * p + rng.next_int(min(p, hs - p - i * p + 1))
            x = j * p + rng.next_int(min(p, ws - p - j * p + 1))
            out.append((s, y, x))
    return out


def halton_placements(shape: Sequence[int], p: int, counts: Sequence[int]):
    """Deterministic uniform patch places ``[(s, y, x), ...]`` (sampling ``halton``)."""
    h, w = shape[:2]
    out = []
    for s, k in enumerate(counts):
        hs, ws = h >> s, w >> s
        for i in range(1, k + 1):
            out.append((s, int(np.floor(halton(i, 2) * (hs - p + 1))), int(np.floor(halton(i, 3) * (ws - p + 1)))))
    return out


def sample_patches(ref: np.ndarray, dist: np.ndarray, spec: dict, seed: int = 0):
    """Reference/distorted ``uint8 [H,W,3]`` -> patch sets per model.json ``preprocess`` (policy ``patches``).

    Returns ``patches_ref``, ``patches_dist`` float32 ``[N, 3, P, P]``, ``positions`` float32 ``[N, 2]`` (u = row,
    v = column of the patch centre in [0, 1)), ``scales`` int64 ``[N, 2]`` and the per-scale counts. Sampling is
    deterministic (MODEL-JSON.md, sampling ``caps`` with ``seed`` or ``halton``)."""
    if ref.shape != dist.shape:
        raise ValueError(f"reference {ref.shape[:2]} and distorted {dist.shape[:2]} sizes differ")
    crop = spec["crop"]
    p, n = crop["size"][0], crop["count"]
    mean = np.asarray(spec["mean"], dtype=np.float32)
    std = np.asarray(spec["std"], dtype=np.float32)
    levels = []
    for img in (ref, dist):
        x = img[..., ::-1] if spec["color_order"] == "BGR" else img
        x = (x.astype(np.float32) / np.float32(spec["scale"]) - mean) / std
        pyramid = [x]
        for _ in range(1, crop["scales"]):
            pyramid.append(avg_pool2(pyramid[-1]))
        levels.append(pyramid)
    usable = sum(1 for lvl in levels[0] if min(lvl.shape[:2]) >= p)
    if usable == 0:
        raise ValueError(f"image {ref.shape[:2]} is smaller than one {p}x{p} patch")
    counts = scale_counts(n, usable)
    sampling = crop.get("sampling", "halton")
    if sampling == "caps":
        places = caps_placements(ref, dist, p, counts, seed)
    elif sampling == "halton":
        places = halton_placements(ref.shape, p, counts)
    else:
        raise ValueError(f"sampling {sampling!r} is not supported; expected one of ['halton', 'caps']")
    out_ref, out_dist, positions, scales = [], [], [], []
    for s, y, x in places:
        hs, ws = levels[0][s].shape[:2]
        out_ref.append(levels[0][s][y:y + p, x:x + p].transpose(2, 0, 1))
        out_dist.append(levels[1][s][y:y + p, x:x + p].transpose(2, 0, 1))
        u = min(max((y + p / 2) / (hs - p / 2), 0.0), 1.0 - 1e-6)
        v = min(max((x + p / 2) / (ws - p / 2), 0.0), 1.0 - 1e-6)
        positions.append((u, v))
        scales.append((s, s))
    return (np.ascontiguousarray(np.stack(out_ref), dtype=np.float32),
            np.ascontiguousarray(np.stack(out_dist), dtype=np.float32),
            np.asarray(positions, dtype=np.float32), np.asarray(scales, dtype=np.int64), counts)


def aggregate(scores: np.ndarray, how: str) -> float:
    if how == "mean":
        return float(np.mean(scores.astype(np.float64)))
    raise ValueError(f"aggregate {how!r} is not supported; expected 'mean'")


def _image_in(folder: Path, name: str, source) -> Path:
    path = folder / name
    if source is not None:
        shutil.copyfile(source, path)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: pass it on the command line to copy a photo in")
    return path


def write_golden(model: str, repository: str | os.PathLike, out: str | os.PathLike,
                 frame: str | os.PathLike | None = None, reference: str | os.PathLike | None = None) -> Path:
    """(Re)generate ``<out>/<model>/`` from ``<repository>/<model>`` and the golden image(s).

    No-reference models use ``frame.png``; full-reference models use ``ref.png`` and ``dist.png``. ``frame``
    (the distorted image for fr-iqa) and ``reference`` are copied in first when given; otherwise the existing
    files are used."""
    folder = Path(out) / model
    folder.mkdir(parents=True, exist_ok=True)
    desc = json.loads((Path(repository) / model / "model.json").read_text())
    if desc["family"] == "fr-iqa":
        return _write_fr_golden(desc, repository, folder, _image_in(folder, "ref.png", reference),
                                _image_in(folder, "dist.png", frame))
    frame_path = _image_in(folder, "frame.png", frame)
    if desc["family"] == "codec":
        return write_codec_golden(desc, repository, folder, frame_path)
    if desc["family"] == "restore":
        return _write_restore_golden(desc, repository, folder, frame_path)
    units, boxes = preprocess(load_rgb(frame_path), desc["preprocess"])
    session = ort_session(Path(repository) / model / str(desc["version"]) / desc["file"], threads=1)
    input_name = desc["inputs"][0]["name"]
    outputs = session.run(None, {input_name: units})
    np.save(folder / "input.npy", units)
    for spec, value in zip(desc["outputs"], outputs):
        np.save(folder / f"{spec['name']}.npy", value)
    crop_scores = outputs[0].astype(np.float32)
    expected = {
        "model": model,
        "version": desc["version"],
        "sha256": desc["sha256"],
        "frame_score": aggregate(crop_scores, desc["preprocess"]["aggregate"]),
        "crop_scores": [float(s) for s in crop_scores],
        "crop_boxes": boxes,
        "tolerance": TOLERANCE,
    }
    (folder / "expected.json").write_text(to_json(expected) + "\n")
    return folder


def _write_fr_golden(desc: dict, repository, folder: Path, ref_path: Path, dist_path: Path) -> Path:
    pre = desc["preprocess"]
    ref, dist, positions, scales, counts = sample_patches(load_rgb(ref_path), load_rgb(dist_path), pre)
    feeds = {"patches_ref": ref[None], "patches_dist": dist[None], "positions": positions[None],
             "scales": scales[None]}
    session = ort_session(Path(repository) / desc["name"] / str(desc["version"]) / desc["file"], threads=1)
    names = [spec["name"] for spec in desc["inputs"]]
    if sorted(names) != sorted(feeds):
        raise ValueError(f"{desc['name']}: inputs {names} are not the patch-set inputs {sorted(feeds)}")
    outputs = session.run(None, feeds)
    for name, value in feeds.items():
        np.save(folder / f"{name}.npy", value)
    for spec, value in zip(desc["outputs"], outputs):
        np.save(folder / f"{spec['name']}.npy", value)
    expected = {
        "model": desc["name"],
        "version": desc["version"],
        "sha256": desc["sha256"],
        "frame_score": float(outputs[0][0]),
        "unit_scores": [float(v) for v in outputs[0]],
        "scale_counts": counts,
        "tolerance": TOLERANCE,
    }
    (folder / "expected.json").write_text(to_json(expected) + "\n")
    return folder


def preprocess_whole_frame(img: np.ndarray, spec: dict) -> np.ndarray:
    """Policy ``none`` (restore family): the whole frame is one unit, ``float32 [1, 3, H, W]``, no resizing."""
    if spec["layout"] != "NCHW" or spec["crop"]["policy"] != "none":
        raise ValueError(f"expected layout NCHW and crop policy none, got {spec['layout']!r}/{spec['crop']['policy']!r}")
    if spec["color_order"] == "BGR":
        img = img[..., ::-1]
    x = img.astype(np.float32) / np.float32(spec["scale"])
    x = (x - np.asarray(spec["mean"], dtype=np.float32)) / np.asarray(spec["std"], dtype=np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32)


def _write_restore_golden(desc: dict, repository, folder: Path, frame_path: Path) -> Path:
    """Restore family: ``input.npy`` [1,3,H,W], ``<output>.npy`` (the restored image, same shape), expected.json."""
    units = preprocess_whole_frame(load_rgb(frame_path), desc["preprocess"])
    session = ort_session(Path(repository) / desc["name"] / str(desc["version"]) / desc["file"], threads=1)
    outputs = session.run(None, {desc["inputs"][0]["name"]: units})
    np.save(folder / "input.npy", units)
    for spec, value in zip(desc["outputs"], outputs):
        np.save(folder / f"{spec['name']}.npy", value)
    restored = outputs[0].astype(np.float64)
    expected = {
        "model": desc["name"],
        "version": desc["version"],
        "sha256": desc["sha256"],
        "input_shape": list(units.shape),
        "output_shape": list(outputs[0].shape),
        "output_mean": float(restored.mean()),
        "output_min": float(restored.min()),
        "output_max": float(restored.max()),
        "mean_abs_change": float(np.abs(restored - units.astype(np.float64)).mean()),
        "tolerance": TOLERANCE,
    }
    (folder / "expected.json").write_text(to_json(expected) + "\n")
    return folder
