"""Train a no-reference IQA model (MANIQA) on synthetic distortions of real photos.

Data
  Crops of the training photos (CBSD68, McMaster, Sun80, Urban100, debian-wallpapers) under
  ``<data>/photos``; every 5th file of each collection (sorted by path without extension, index
  4, 9, 14, ...) and all of ``skimage`` are held out for evaluation (:func:`split_photos`).
  ``<data>/real-noise/polyu-dev`` is never trained on: its pairs are split by scene into a
  validation half (logged during training) and a test half (:func:`polyu_pairs`).

Samples
  Each sample is a *group* of four 224x224 versions of one random crop (random scale and flip):
  [clean or slightly soft clean, type t at level a, type t at level b, a mild camera-pipeline
  noise version / a two-stage chain / another type], with weak labels from
  :mod:`frameq_models.labels`. Distortions run in DataLoader workers.

Loss
  smooth-L1 regression on the weak labels + a pairwise hinge ranking loss inside each group
  (pred_i - pred_j >= 0.5 (label_i - label_j) for every pair whose labels differ by > 0.02): the
  ranking term is what teaches mild levels and clean-vs-noisy order.

Schedule
  Wall-clock budget (``--minutes``): linear warm-up for the first 6 %, cosine decay to 2 % of the
  peak learning rate (AdamW, default 4e-4) at the end of the budget. bf16 autocast on CUDA.
  ViT-style initialisation (:func:`init_for_training`), gradient clipping at 1, non-finite steps
  skipped, and a divergence guard: when the interval regression loss rises to 1.6x its best, the
  best state is restored and the learning rate halved. Checkpoints (``last.pt``: model,
  optimiser, elapsed time, lr scale) every ``--ckpt-minutes``; ``--resume`` continues the schedule
  where it stopped. ``--echo k`` reuses each loaded batch for k steps under different flips /
  transposes (data echoing: the distortion workers, not the GPU, are the bottleneck).
"""

from __future__ import annotations

import copy
import json
import math
import os
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from . import distortions as dist
from . import labels as lab

cv2.setNumThreads(1)

TRAIN_COLLECTIONS = ("CBSD68", "McMaster", "Sun80", "Urban100", "debian-wallpapers")
TEST_ONLY_COLLECTIONS = ("skimage",)
IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif"}
MAX_SIDE = 1600  # large wallpapers are downscaled to this long side (also when packaged)
BIG = lab.CROP + 2 * lab.MARGIN  # 256: distortions run on this, labels/model see the centre 224

# sampling weights: types that matter most for camera/CDN feeds are drawn more often
TYPE_WEIGHTS = {"jpeg": 2.0, "camera_noise": 2.0, "white_noise": 1.5, "gaussian_blur": 1.5,
                "defocus": 1.5, "camera_shake": 1.5, "low_light": 1.5, "jpeg2000": 1.2}


def parse_type_weights(items) -> dict[str, float]:
    """``["jpeg=2", "pixelate=3"]`` -> {"jpeg": 2.0, "pixelate": 3.0}; names must be distortion types."""
    out = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--type-weight: expected TYPE=WEIGHT, got {item!r}")
        if name not in dist.NAMES:
            raise ValueError(f"--type-weight: unknown distortion type {name!r}; expected one of "
                             f"{', '.join(dist.NAMES)}")
        try:
            w = float(value)
        except ValueError:
            raise ValueError(f"--type-weight {name}: weight must be a number, got {value!r}") from None
        if not (w > 0 and math.isfinite(w)):
            raise ValueError(f"--type-weight {name}: weight must be > 0, got {value}")
        out[name] = w
    return out


CHAIN_SECOND = ("jpeg", "camera_noise", "white_noise", "gaussian_blur", "low_light", "jpeg2000",
                "motion_blur", "contrast_change", "haze")


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


# ----------------------------------------------------------------------------- data splits

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
    with Image.open(path) as im:
        im = im.convert("RGB")
        w, h = im.size
        if max(w, h) > max_side:
            s = max_side / max(w, h)
            im = im.resize((max(1, round(w * s)), max(1, round(h * s))), Image.Resampling.LANCZOS)
        return np.asarray(im).copy()


# ----------------------------------------------------------------------------- sampling

#: blur types put beside the real-noise pairs' clean picture (GroupSampler._real)
REAL_BLUR = ("gaussian_blur", "defocus", "lens_blur", "motion_blur")


class GroupSampler:
    """Makes training groups: 4 crops of one photo region + weak labels (numpy, CPU)."""

    GROUP = 4

    def __init__(self, photos: list[Path], seed: int, cal: lab.Calibration | None = None,
                 cache: bool = True, ladder_p: float = 0.0, real_pairs=(), real_p: float = 0.0,
                 type_weights: dict | None = None):
        if not photos:
            raise ValueError("no training photos")
        for name, p in (("ladder_p", ladder_p), ("real_p", real_p)):
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"GroupSampler: {name} must be in [0, 1], got {p}")
        if real_p and not real_pairs:
            raise ValueError("GroupSampler: real_p > 0 needs real (clean, noisy) pairs")
        self.ladder_p, self.real_p = ladder_p, real_p
        self.real_pairs = list(real_pairs)
        self.real_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.photos = list(photos)
        self.rng = np.random.default_rng(seed)
        self.cal = cal or lab.load_calibration()
        self.cache: dict[int, np.ndarray] = {}
        self.use_cache = cache
        names = list(dist.NAMES)
        weights = {**TYPE_WEIGHTS, **(type_weights or {})}
        unknown = sorted(set(weights) - set(names))
        if unknown:
            raise ValueError(f"GroupSampler: unknown distortion types in type_weights: {unknown}")
        w = np.array([weights.get(n, 1.0) for n in names])
        self.type_names, self.type_p = names, w / w.sum()

    def _photo(self, i: int) -> np.ndarray:
        img = self.cache.get(i)
        if img is None:
            img = load_rgb(self.photos[i])
            if min(img.shape[:2]) < BIG:
                s = BIG / min(img.shape[:2])
                img = cv2.resize(img, (math.ceil(img.shape[1] * s), math.ceil(img.shape[0] * s)),
                                 interpolation=cv2.INTER_CUBIC)
            if self.use_cache:
                self.cache[i] = img
        return img

    def crop(self) -> np.ndarray:
        rng = self.rng
        img = self._photo(int(rng.integers(len(self.photos))))
        h, w = img.shape[:2]
        short = min(h, w)
        s_min = max(BIG / short, 0.3 if short >= 700 else 0.6)
        s = 1.0 if s_min >= 1.0 else float(np.exp(rng.uniform(np.log(s_min), 0.0)))
        side = min(int(math.ceil(BIG / s)), short)
        y = int(rng.integers(0, h - side + 1))
        x = int(rng.integers(0, w - side + 1))
        region = img[y:y + side, x:x + side]
        if side != BIG:
            region = cv2.resize(region, (BIG, BIG), interpolation=cv2.INTER_AREA)
        if rng.random() < 0.5:
            region = region[:, ::-1]
        return np.ascontiguousarray(region)

    def _type(self) -> str:
        return self.type_names[int(self.rng.choice(len(self.type_names), p=self.type_p))]

    def _seed(self) -> int:
        return int(self.rng.integers(1 << 31))

    def _levels(self) -> tuple[float, float]:
        rng = self.rng
        hi = 2.0 if rng.random() < 0.3 else 5.0  # 30 %: both levels mild
        while True:
            a, b = rng.uniform(0, hi, size=2)
            if abs(a - b) >= 0.15 * hi:
                return float(min(a, b)), float(max(a, b))

    def sample(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        _, imgs, labels, kinds = self.sample_with_reference()
        return imgs, labels, kinds

    def sample_with_reference(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        """(reference 224 crop, 4 versions, weak labels, kinds): the reference is the undistorted
        centre that every label was measured against (what a full-reference model compares to)."""
        rng = self.rng
        if self.real_p and rng.random() < self.real_p:
            return self._real()
        big = self.crop()
        ref = lab.centre(big)
        if self.ladder_p and rng.random() < self.ladder_p:
            return self._ladder(big, ref)
        imgs, labels, kinds = [], [], []
        # 0: clean or slightly soft clean
        if rng.random() < 0.35:
            lvl = float(rng.uniform(0.35, 0.75))  # gaussian sigma ~0.3-0.6 px
            out, q = lab.label_distorted(big, "gaussian_blur", lvl, self._seed(), self.cal)
            imgs.append(out)
            labels.append(q)
            kinds.append("soft_clean")
        else:
            imgs.append(ref)
            labels.append(1.0)
            kinds.append("clean")
        # 1, 2: one type at two levels, same random pattern
        t = self._type()
        la, lb = self._levels()
        seed = self._seed()
        for lv in (la, lb):
            out, q = lab.label_distorted(big, t, lv, seed, self.cal)
            imgs.append(out)
            labels.append(q)
            kinds.append(t)
        # 3: mild camera noise / a chain of two / another type
        u = rng.random()
        if u < 0.4:
            lv = float(rng.uniform(0.3, 3.5))
            out, q = lab.label_distorted(big, "camera_noise", lv, self._seed(), self.cal)
            kinds.append("camera_noise")
        elif u < 0.7:
            t1 = self._type()
            l1, s1 = float(rng.uniform(0.5, 3.0)), self._seed()
            mid_big = dist.apply(big, t1, l1, s1)
            t2 = CHAIN_SECOND[int(rng.integers(len(CHAIN_SECOND)))]
            out, q2 = lab.label_distorted(mid_big, t2, float(rng.uniform(0.5, 3.0)), self._seed(),
                                          self.cal)
            q = lab.label_distorted(big, t1, l1, s1, self.cal)[1] * q2
            kinds.append(f"{t1}+{t2}")
        else:
            t3 = self._type()
            out, q = lab.label_distorted(big, t3, float(rng.uniform(0, 5)), self._seed(), self.cal)
            kinds.append(t3)
        imgs.append(out)
        labels.append(q)
        return ref, np.stack(imgs), np.asarray(labels, np.float32), kinds

    def _ladder(self, big: np.ndarray, ref: np.ndarray):
        """Four rungs of a bitrate ladder: each rung is at most as large (``rescale``) and at most
        as good a JPEG as the one before, so the order is known; near the top of the scale, where
        a CDN's renditions live and the other groups rarely put two versions."""
        rng = self.rng
        scale = np.sort(np.concatenate([[0.0], rng.uniform(0.3, 4.5, 3)]))
        scale[1:] = np.maximum(scale[1:], scale[:-1] + 0.25)
        comp = np.sort(rng.uniform(0.05, 3.0, 4))
        imgs, labels, kinds = [], [], []
        for s_lv, c_lv in zip(scale, comp):
            small = dist.apply(big, "rescale", float(min(s_lv, 5.0)), 0)
            q1 = lab.label(ref, lab.centre(small), "rescale", self.cal) if s_lv > 0 else 1.0
            out, q2 = lab.label_distorted(small, "jpeg", float(c_lv), self._seed(), self.cal)
            imgs.append(out)
            labels.append(q1 * q2)
            kinds.append("rescale+jpeg")
        return ref, np.stack(imgs), np.asarray(labels, np.float32), kinds

    def _real(self):
        """A real-noise group from an aligned (clean, noisy) pair, at the camera's own resolution:
        [clean, noisy, noisy + mild JPEG, clean + synthetic camera noise]; the real noise is
        labelled on the camera-noise calibration against the clean (multi-frame mean) picture."""
        rng = self.rng
        i = int(rng.integers(len(self.real_pairs)))
        if i not in self.real_cache:
            self.real_cache[i] = tuple(load_rgb(p) for p in self.real_pairs[i])
        clean_img, noisy_img = self.real_cache[i]
        h, w = clean_img.shape[:2]
        y, x = int(rng.integers(0, h - BIG + 1)), int(rng.integers(0, w - BIG + 1))
        flip = rng.random() < 0.5
        big, noisy_big = (np.ascontiguousarray(a[y:y + BIG, x:x + BIG][:, ::-1] if flip else a[y:y + BIG, x:x + BIG])
                          for a in (clean_img, noisy_img))
        ref, noisy = lab.centre(big), lab.centre(noisy_big)
        q_noisy = lab.label(ref, noisy, "camera_noise", self.cal, colour=False)
        jpeg_out, q_jpeg = lab.label_distorted(noisy_big, "jpeg", float(rng.uniform(0.3, 2.0)), self._seed(), self.cal)
        # The clean pictures are multi-frame means, smoother than any single shot: without a blurred
        # clean version in the same group the model learns "smoother is better" and loses its blur
        # sensitivity (TRAINING.md, the --real runs of 2026-11-23).
        t4 = "camera_noise" if rng.random() < 0.5 else REAL_BLUR[int(rng.integers(len(REAL_BLUR)))]
        lo, hi = (0.5, 4.0) if t4 == "camera_noise" else (0.8, 4.0)
        out4, q4 = lab.label_distorted(big, t4, float(rng.uniform(lo, hi)), self._seed(), self.cal)
        imgs = np.stack([ref, noisy, jpeg_out, out4])
        labels = np.asarray([1.0, q_noisy, q_noisy * q_jpeg, q4], np.float32)
        return ref, imgs, labels, ["clean", "real_noise", "real_noise+jpeg", t4]


class GroupStream(torch.utils.data.IterableDataset):
    """Endless stream of groups; each worker has its own generator (seed, run, worker)."""

    def __init__(self, photos: list[Path], seed: int, run_index: int = 0, with_reference: bool = False,
                 ladder_p: float = 0.0, real_pairs=(), real_p: float = 0.0, type_weights=None):
        super().__init__()
        self.ladder_p, self.real_p = ladder_p, real_p
        self.type_weights = dict(type_weights or {})
        self.real_pairs = [(str(c), str(n)) for c, n in real_pairs]
        self.photos = [str(p) for p in photos]
        self.seed = seed
        self.run_index = run_index
        self.with_reference = with_reference  # also yield the reference crop (full-reference training)

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        wid = info.id if info else 0
        torch.set_num_threads(1)
        ss = np.random.SeedSequence([self.seed, self.run_index, wid])
        sampler = GroupSampler([Path(p) for p in self.photos], int(ss.generate_state(1)[0]),
                               ladder_p=self.ladder_p, real_pairs=self.real_pairs, real_p=self.real_p,
                               type_weights=self.type_weights)
        while True:
            ref, imgs, labels, _ = sampler.sample_with_reference()
            if self.with_reference:
                yield torch.from_numpy(ref), torch.from_numpy(imgs), torch.from_numpy(labels)
            else:
                yield torch.from_numpy(imgs), torch.from_numpy(labels)


# ----------------------------------------------------------------------------- model helpers

def build_model(arch: str = "maniqa", config: str = "lite", seed: int = 0) -> torch.nn.Module:
    if arch != "maniqa":
        raise KeyError(f"only 'maniqa' can be trained here, not {arch!r}")
    from . import maniqa_arch

    torch.manual_seed(seed)
    model = maniqa_arch.build(config)
    init_for_training(model)
    # Initialisation for regression on [0, 1] labels: the score head ends in Linear -> ReLU; start
    # its output near the label mean so that no token begins in the dead (zero-gradient) region.
    last = [m for m in model.fc_score.modules() if isinstance(m, torch.nn.Linear)][-1]
    torch.nn.init.normal_(last.weight, std=1e-3)
    torch.nn.init.constant_(last.bias, 0.6)
    return model


def init_for_training(model: torch.nn.Module) -> None:
    """ViT-style initialisation for training from scratch: every Linear gets a truncated normal
    (std 0.02) and a zero bias, LayerNorms start at identity. PyTorch's default Linear init
    (std ~ 1/sqrt(3 fan_in)) made the un-normalised transposed-attention (TAB) logits grow until
    the gradient norm exploded within ~30 steps at lr 1e-3 (measured on CPU)."""
    for m in model.modules():
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)
        elif isinstance(m, torch.nn.LayerNorm):
            torch.nn.init.ones_(m.weight)
            torch.nn.init.zeros_(m.bias)


def activation_taps(model: torch.nn.Module) -> list:
    """Stage outputs whose mean square is penalised during training. MANIQA has no normalisation
    between the ViT features, the transposed-attention blocks and the Swin stages; trained from
    scratch, those activations grew to ~1e3-6e3 and the gradient norm to ~1e6-1e8 (first H100 run,
    lr 5e-4), while the loss stayed at the predict-the-mean level."""
    names = ("tablock1", "swintransformer1", "tablock2", "swintransformer2")
    out = []
    for n in names:
        mod = getattr(model, n, None)
        if isinstance(mod, torch.nn.ModuleList) and len(mod):
            mod = mod[-1]
        if isinstance(mod, torch.nn.Module):
            out.append(mod)
    return out


def to_input(x_u8: torch.Tensor) -> torch.Tensor:
    """uint8 [..., H, W, 3] -> float [N, 3, H, W] normalised like model.json ((x/255 - 0.5)/0.5)."""
    x = x_u8.reshape(-1, *x_u8.shape[-3:]).permute(0, 3, 1, 2).float()
    return x * (2.0 / 255.0) - 1.0


def group_loss(pred: torch.Tensor, target: torch.Tensor, rank_weight: float = 2.0):
    """pred, target: [B, G]. Returns (total, regression, ranking)."""
    reg = F.smooth_l1_loss(pred, target, beta=0.1)
    dl = target[:, :, None] - target[:, None, :]
    dp = pred[:, :, None] - pred[:, None, :]
    mask = dl > 0.02
    if mask.any():
        rank = F.relu(0.5 * dl - dp)[mask].mean()
    else:
        rank = pred.sum() * 0.0
    return reg + rank_weight * rank, reg, rank


def _augment(x: torch.Tensor, k: int) -> torch.Tensor:
    """Label-preserving geometric augmentation on the GPU (flip / transpose), k in 0..3."""
    if k & 1:
        x = x.flip(-1)
    if k & 2:
        x = x.transpose(-1, -2)
    return x


# ----------------------------------------------------------------------------- scoring

def five_point(img: np.ndarray, size: int = lab.CROP) -> np.ndarray:
    """4 corners + centre crops (upscaling the short side to ``size`` first if needed)."""
    h, w = img.shape[:2]
    if min(h, w) < size:
        s = size / min(h, w)
        img = cv2.resize(img, (math.ceil(w * s), math.ceil(h * s)), interpolation=cv2.INTER_LINEAR)
        h, w = img.shape[:2]
    ys = [0, 0, h - size, h - size, (h - size) // 2]
    xs = [0, w - size, 0, w - size, (w - size) // 2]
    return np.stack([img[y:y + size, x:x + size] for y, x in zip(ys, xs)])


@torch.no_grad()
def predict(model: torch.nn.Module, crops_u8: np.ndarray, device: str = "cpu",
            batch: int = 256) -> np.ndarray:
    """Scores of uint8 crops [N, 224, 224, 3]."""
    model.eval()
    out = []
    dev = torch.device(device)
    for i in range(0, len(crops_u8), batch):
        x = to_input(torch.from_numpy(np.ascontiguousarray(crops_u8[i:i + batch])).to(dev))
        with torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
            s = model(x)
        out.append(s.float().cpu().numpy())
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def polyu_accuracy(model, pairs, device="cpu") -> dict:
    clean = np.stack([five_point(load_rgb(c)) for c, _ in pairs])
    noisy = np.stack([five_point(load_rgb(n)) for _, n in pairs])
    sc = predict(model, clean.reshape(-1, *clean.shape[2:]), device).reshape(len(pairs), -1).mean(1)
    sn = predict(model, noisy.reshape(-1, *noisy.shape[2:]), device).reshape(len(pairs), -1).mean(1)
    return {"pairs": len(pairs), "clean_above_noisy": float(np.mean(sc > sn)),
            "mean_clean": float(sc.mean()), "mean_noisy": float(sn.mean())}


# ----------------------------------------------------------------------------- training loop

@dataclass
class TrainConfig:
    arch: str = "maniqa"
    config: str = "lite"
    device: str = "cpu"
    minutes: float = 5.0
    resume: bool = False
    data: str = ""
    run_dir: str = "models/python/runs/maniqa-lite"
    batch_groups: int = 64  # x 4 images per group
    workers: int = 2
    echo: int = 1  # reuse each batch this many times with different flips (data echoing)
    lr: float = 4e-4
    weight_decay: float = 0.05
    rank_weight: float = 2.0
    ckpt_minutes: float = 2.0
    log_seconds: float = 15.0
    seed: int = 0
    max_steps: int = 0  # 0 = no limit (time budget only)
    warmup: float = 0.06  # fraction of the time budget
    clip: float = 1.0
    amp: str = "bf16"  # bf16 autocast on CUDA, or "none"
    act_penalty: float = 1e-3  # weight of the mean-square activation penalty (activation_taps)
    init: str = ""  # start from these weights (a state_dict, last.pt or a shipped model.onnx)
    real_p: float = 0.0  # share of real-noise groups (PolyU restorer-train scenes; GroupSampler._real)
    type_weights: dict = field(default_factory=dict)  # overrides of TYPE_WEIGHTS (GroupSampler)

    extra: dict = field(default_factory=dict)


def _lr_at(progress: float, peak: float, warm: float = 0.06) -> float:
    if progress < warm:
        return peak * max(progress / warm, 0.02)
    p = min((progress - warm) / (1 - warm), 1.0)
    return peak * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * p)))


def train(cfg: TrainConfig) -> dict:
    from tqdm import tqdm

    data_root = Path(cfg.data) if cfg.data else default_data_root()
    run = Path(cfg.run_dir)
    run.mkdir(parents=True, exist_ok=True)
    dev = torch.device(cfg.device)
    torch.manual_seed(cfg.seed)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

    data_root, split = training_split(data_root)
    val_pairs = polyu_pairs(data_root)["val"]
    real_pairs = []
    if cfg.real_p:  # train on half the validation scenes, log on the other half (test half untouched)
        from .train_restore import polyu_restore_split

        real = polyu_restore_split(data_root)
        real_pairs, val_pairs = real["train"], real["val"]
    model = build_model(cfg.arch, cfg.config, cfg.seed)
    if cfg.init and not (cfg.resume and (run / "last.pt").exists()):
        from . import maniqa_arch
        from .onnx_weights import load_init

        print(load_init(model, cfg.init, maniqa_arch), flush=True)
    model = model.to(dev)
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim < 2 or "pos_embed" in n or "cls_token" in n
         or "relative_position_bias_table" in n else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=cfg.lr, betas=(0.9, 0.99))
    elapsed0, step, run_index, history, lr_scale = 0.0, 0, 0, [], 1.0
    ckpt_path = run / "last.pt"
    if cfg.resume and ckpt_path.exists():
        ck = torch.load(ckpt_path, map_location=dev, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        elapsed0, step = ck["elapsed"], ck["step"]
        lr_scale = ck.get("lr_scale", 1.0)
        run_index = ck.get("run_index", 0) + 1
        history = ck.get("history", [])
        print(f"resumed from {ckpt_path}: step {step}, {elapsed0 / 60:.1f} min done", flush=True)
    total = cfg.minutes * 60.0
    stream = GroupStream(split["train"], cfg.seed, run_index, real_pairs=real_pairs, real_p=cfg.real_p,
                         type_weights=parse_type_weights([f"{k}={v}" for k, v in cfg.type_weights.items()]))
    loader = torch.utils.data.DataLoader(
        stream, batch_size=cfg.batch_groups, num_workers=cfg.workers,
        pin_memory=dev.type == "cuda", prefetch_factor=4 if cfg.workers > 0 else None,
        persistent_workers=False)
    log = open(run / "train.log", "a")
    meta = {"event": "start", "config": asdict(cfg), "train_photos": len(split["train"]),
            "test_photos": len(split["test"]), "polyu_val_pairs": len(val_pairs),
            "polyu_train_pairs": len(real_pairs),
            "parameters": sum(p.numel() for p in model.parameters()),
            "device_name": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu",
            "time": time.strftime("%Y-%m-%d %H:%M:%S")}
    log.write(json.dumps(meta) + "\n")
    log.flush()
    print(json.dumps(meta), flush=True)

    def save(tag="last"):
        state = {"model": model.state_dict(), "optimizer": opt.state_dict(),
                 "elapsed": elapsed, "step": step, "run_index": run_index, "lr_scale": lr_scale,
                 "config": asdict(cfg), "history": history}
        tmp = run / f"{tag}.pt.tmp"
        torch.save(state, tmp)
        os.replace(tmp, run / f"{tag}.pt")
        from .train_loop import save_weights

        save_weights(model, run / "model_state.pt")

    t_start = time.time()
    elapsed = elapsed0
    last_ckpt = last_log = time.time()
    seen = 0
    acc = {"loss": 0.0, "reg": 0.0, "rank": 0.0, "gn": 0.0, "act": 0.0, "n": 0}
    skipped = 0
    taps: list = []
    for mod in activation_taps(model):
        mod.register_forward_hook(lambda _m, _i, out: taps.append(out))
    best_reg, best_at, snapshot = float("inf"), 0, None
    bar = tqdm(total=int(total), initial=int(elapsed0), unit="s", mininterval=5.0,
               desc="train", file=sys.stdout, dynamic_ncols=False, ncols=110)
    it = iter(loader)
    model.train()
    wait = 0.0
    done = False
    while not done:
        t0 = time.time()
        imgs, target = next(it)
        wait += time.time() - t0
        imgs = imgs.to(dev, non_blocking=True)
        target = target.to(dev, non_blocking=True)
        b, g = target.shape
        x_all = to_input(imgs)
        for e in range(cfg.echo):
            k = (e + step) % 4 if cfg.echo > 1 else int(torch.randint(0, 4, (1,)))
            x = _augment(x_all, k)
            elapsed = elapsed0 + (time.time() - t_start)
            progress = min(elapsed / total, 1.0)
            for group in opt.param_groups:
                group["lr"] = _lr_at(progress, cfg.lr * lr_scale, cfg.warmup)
            taps.clear()
            with torch.autocast(device_type=dev.type, dtype=torch.bfloat16,
                                enabled=dev.type == "cuda" and cfg.amp == "bf16"):
                pred = model(x)
            loss, reg, rank = group_loss(pred.float().view(b, g), target, cfg.rank_weight)
            pen = sum(t.float().pow(2).mean() for t in taps) if taps else loss * 0.0
            if cfg.act_penalty > 0:
                loss = loss + cfg.act_penalty * pen
            opt.zero_grad(set_to_none=True)
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            if not bool(torch.isfinite(gn)):  # skip non-finite steps
                skipped += 1
                continue
            opt.step()
            acc["gn"] += torch.nan_to_num(gn.detach(), nan=0.0, posinf=0.0)
            acc["act"] += pen.detach()
            step += 1
            seen += b * g
            acc["loss"] += loss.detach()
            acc["reg"] += reg.detach()
            acc["rank"] += rank.detach()
            acc["n"] += 1
            if progress >= 1.0 or (cfg.max_steps and step >= cfg.max_steps):
                done = True
                break
        now = time.time()
        bar.n = int(min(elapsed, total))
        if now - last_log >= cfg.log_seconds or done:
            n = max(acc["n"], 1)
            mean = {k: float(acc[k]) / n for k in ("loss", "reg", "rank", "gn", "act")}
            bar.set_postfix(step=step, loss=f"{mean['loss']:.4f}",
                            img_s=f"{seen / max(now - t_start, 1e-6):.0f}", refresh=False)
            bar.refresh()
            rec = {"event": "train", "step": step, "elapsed_s": round(elapsed, 1),
                   "lr": opt.param_groups[0]["lr"], "lr_scale": lr_scale, **mean,
                   "skipped": skipped,
                   "img_per_s": seen / max(now - t_start, 1e-6),
                   "data_wait_frac": wait / max(now - t_start, 1e-6)}
            history.append(rec)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            acc = {"loss": 0.0, "reg": 0.0, "rank": 0.0, "gn": 0.0, "act": 0.0, "n": 0}
            last_log = now
            # divergence guard: keep the best state (by interval regression loss); if the loss
            # climbs well above it, go back to that state and halve the learning rate
            if mean["reg"] < best_reg:
                best_reg, best_at = mean["reg"], len(history)
                snapshot = ({k: v.detach().clone() for k, v in model.state_dict().items()},
                            copy.deepcopy(opt.state_dict()))
            elif (snapshot is not None and mean["reg"] > 1.6 * best_reg + 0.03
                  and len(history) - best_at >= 2 and lr_scale > 0.1):
                model.load_state_dict(snapshot[0])
                opt.load_state_dict(snapshot[1])
                lr_scale *= 0.5
                best_at = len(history)
                rec = {"event": "rollback", "step": step, "elapsed_s": round(elapsed, 1),
                       "reg": mean["reg"], "best_reg": best_reg, "lr_scale": lr_scale}
                history.append(rec)
                log.write(json.dumps(rec) + "\n")
                log.flush()
                print(json.dumps(rec), flush=True)
        if now - last_ckpt >= cfg.ckpt_minutes * 60 or done:
            if val_pairs:
                v = polyu_accuracy(model, val_pairs, cfg.device)
                model.train()
                rec = {"event": "val", "step": step, "elapsed_s": round(elapsed, 1),
                       "polyu_val": v}
                history.append(rec)
                log.write(json.dumps(rec) + "\n")
                log.flush()
                print(json.dumps(rec), flush=True)
            save()
            last_ckpt = now
    bar.close()
    wall = time.time() - t_start
    summary = {"event": "end", "steps": step, "elapsed_total_s": round(elapsed, 1),
               "wall_this_run_s": round(wall, 1), "images_seen_this_run": seen,
               "img_per_s": seen / max(wall, 1e-6), "data_wait_frac": wait / max(wall, 1e-6)}
    log.write(json.dumps(summary) + "\n")
    log.close()
    print(json.dumps(summary), flush=True)
    return summary


def calibration_crops(data_root: str | Path, n: int, seed: int) -> list[np.ndarray]:
    """``n`` random 256x256 crops of training photos (never held-out ones) for label calibration."""
    photos = training_split(data_root)[1]["train"]
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(photos), size=min(n, len(photos)), replace=False)
    sampler = GroupSampler([photos[i] for i in chosen], seed, cal=lab.Calibration({}),
                           cache=False)
    out = []
    for i in range(len(chosen)):
        sampler.photos = [photos[chosen[i]]]
        out.append(sampler.crop())
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
