"""The photo collections on disk and their fixed splits (shared by every training and evaluation command).

Training photos (CBSD68, McMaster, Sun80, Urban100, debian-wallpapers) live under ``<data>/photos``; every 5th file
of each collection (sorted by path without extension, index 4, 9, 14, ...) and all of ``skimage`` are held out for
evaluation (:func:`split_photos`). ``<data>/real-noise/polyu-dev`` is never trained on by the NR model: its pairs are
split by scene into a validation half and a test half (:func:`polyu_pairs`); the restorers train on half of the
validation scenes (:func:`polyu_restore_split`).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

TRAIN_COLLECTIONS = ("CBSD68", "McMaster", "Sun80", "Urban100", "debian-wallpapers")
TEST_ONLY_COLLECTIONS = ("skimage",)
IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif"}
MAX_SIDE = 1600  # large wallpapers are downscaled to this long side (also when packaged)


def default_data_root() -> Path:
    env = os.environ.get("FRAMEQ_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "shared" / "data"
        if cand.is_dir():
            return cand
        cand = parent.parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return Path("../shared/data")


def _collection_files(root: Path) -> list[Path]:
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_EXT]
    return sorted(files, key=lambda p: p.relative_to(root).with_suffix("").as_posix().lower())


def training_split(data: str | Path = "") -> tuple[Path, dict[str, list[Path]]]:
    """(data root, :func:`split_photos`) for a training run: ``data``, or the default root when empty; exits when
    there are no training photos."""
    data_root = Path(data) if data else default_data_root()
    split = split_photos(data_root)
    if not split["train"]:
        raise SystemExit(f"no training photos under {data_root / 'photos'}")
    return data_root, split


def split_photos(data_root: str | Path) -> dict[str, list[Path]]:
    """{'train': [...], 'test': [...]}: every 5th file per collection (index % 5 == 4) + skimage held out."""
    photos = Path(data_root) / "photos"
    out = {"train": [], "test": []}
    for coll in TRAIN_COLLECTIONS:
        d = photos / coll
        if not d.is_dir():
            continue
        for i, p in enumerate(_collection_files(d)):
            out["test" if i % 5 == 4 else "train"].append(p)
    for coll in TEST_ONLY_COLLECTIONS:
        d = photos / coll
        if d.is_dir():
            out["test"].extend(_collection_files(d))
    return out


def polyu_pairs(data_root: str | Path) -> dict[str, list[tuple[Path, Path]]]:
    """PolyU (clean, noisy) pairs split by scene (camera + scene name) into 'val' and 'test'."""
    d = Path(data_root) / "real-noise" / "polyu-dev"
    pairs = []
    for noisy in sorted(d.glob("*_real.*")):
        clean = noisy.with_name(noisy.name.replace("_real.", "_mean."))
        if clean.exists():
            pairs.append((clean, noisy))
    groups: dict[str, list] = {}
    for clean, noisy in pairs:
        stem = noisy.name.rsplit("_real.", 1)[0]
        scene = stem.rsplit("_", 1)[0]
        groups.setdefault(scene, []).append((clean, noisy))
    out = {"val": [], "test": []}
    for i, scene in enumerate(sorted(groups)):
        out["val" if i % 2 == 0 else "test"].extend(groups[scene])
    return out


def load_rgb(path: str | Path, max_side: int = MAX_SIDE) -> np.ndarray:
    """A photo as ``uint8 [H, W, 3]`` RGB, shrunk to ``max_side`` (the golden writers need exact pixels and use
    :func:`frameq_models.common.images.load_rgb` instead)."""
    with Image.open(path) as im:
        im = im.convert("RGB")
        w, h = im.size
        if max(w, h) > max_side:
            s = max_side / max(w, h)
            im = im.resize((max(1, round(w * s)), max(1, round(h * s))), Image.Resampling.LANCZOS)
        return np.asarray(im).copy()


def polyu_restore_split(data_root) -> dict:
    """{'train', 'val', 'test'} PolyU pairs: the NR 'val' half split by scene (even -> train, odd -> val);
    'test' is the NR test half (never trained on by any model)."""
    halves = polyu_pairs(data_root)
    scenes: dict[str, list] = {}
    for clean, noisy in halves["val"]:
        scenes.setdefault(noisy.name.rsplit("_real.", 1)[0].rsplit("_", 1)[0], []).append((clean, noisy))
    out = {"train": [], "val": [], "test": list(halves["test"])}
    for i, s in enumerate(sorted(scenes)):
        out["train" if i % 2 == 0 else "val"].extend(scenes[s])
    return out


def package_data(src_root: str | Path, dst_root: str | Path, quality: int = 95,
                 max_side: int = MAX_SIDE, keep_jpeg_up_to: int = 0) -> dict:
    """Copy the photos (JPEG q``quality`` 4:2:0, long side <= ``max_side``, same relative names with
    .jpg; JPEG originals up to ``max(max_side, keep_jpeg_up_to)`` px are copied unchanged) and
    the PolyU pairs (unchanged) into ``dst_root`` for a compact upload to a training machine.
    The split rules only look at sorted paths without extension, so splits are unchanged."""
    src, dst = Path(src_root), Path(dst_root)
    n_bytes = n_files = 0
    for coll in TRAIN_COLLECTIONS + TEST_ONLY_COLLECTIONS:
        d = src / "photos" / coll
        if not d.is_dir():
            continue
        for p in _collection_files(d):
            out = dst / "photos" / coll / p.relative_to(d).with_suffix(".jpg")
            out.parent.mkdir(parents=True, exist_ok=True)
            with Image.open(p) as im:
                keep = im.format == "JPEG" and im.mode == "RGB" and max(im.size) <= max(
                    max_side, keep_jpeg_up_to)
            if keep:  # already a small JPEG: copy the bytes, no second compression
                out.write_bytes(p.read_bytes())
            else:
                Image.fromarray(load_rgb(p, max_side)).save(out, quality=quality)
            n_bytes += out.stat().st_size
            n_files += 1
    for split in polyu_pairs(src).values():
        for pair in split:
            for p in pair:
                out = dst / "real-noise" / "polyu-dev" / p.name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(p.read_bytes())
                n_bytes += out.stat().st_size
                n_files += 1
    return {"files": n_files, "bytes": n_bytes}
