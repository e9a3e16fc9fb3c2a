"""Pre-processing as model.json describes it, and golden files for the Java parity test.

A golden folder ``<out>/<model>/`` holds ``frame.png`` (the input photo, with LICENSE.txt), ``input.npy`` (the
work units made from it by model.json's ``preprocess`` block), the onnxruntime outputs ``<output>.npy`` and
``expected.json`` (frame score, per-crop scores, crop boxes, tolerance). Java decodes ``frame.png``, applies its
own pre-processing and runs its own session: every stage can then be compared with these files.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import List, Sequence

import numpy as np
from PIL import Image

from .export import ort_session, to_json

TOLERANCE = 1e-4


def load_rgb(path: str | os.PathLike) -> np.ndarray:
    """Decode an image file to ``uint8 [H, W, 3]`` RGB."""
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"), dtype=np.uint8).copy()


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


def aggregate(scores: np.ndarray, how: str) -> float:
    if how == "mean":
        return float(np.mean(scores.astype(np.float64)))
    raise ValueError(f"aggregate {how!r} is not supported; expected 'mean'")


def write_golden(model: str, repository: str | os.PathLike, out: str | os.PathLike,
                 frame: str | os.PathLike | None = None) -> Path:
    """(Re)generate ``<out>/<model>/`` from ``<repository>/<model>`` and the golden ``frame.png``.

    ``frame`` (optional) is copied in as ``frame.png`` first; otherwise the existing one is used."""
    folder = Path(out) / model
    folder.mkdir(parents=True, exist_ok=True)
    frame_path = folder / "frame.png"
    if frame is not None:
        shutil.copyfile(frame, frame_path)
    if not frame_path.exists():
        raise FileNotFoundError(f"{frame_path} is missing: pass --frame to copy a photo in")
    desc = json.loads((Path(repository) / model / "model.json").read_text())
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
