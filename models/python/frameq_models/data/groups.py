"""Training groups for the IQA models: four versions of one photo region with weak quality labels.

Each group is four 224x224 versions of one random crop (random scale and flip): [clean or slightly soft clean,
type t at level a, type t at level b, a mild camera-pipeline noise version / a two-stage chain / another type],
with weak labels from :mod:`frameq_models.data.labels`. The NR model (MANIQA) learns from the versions, the FR
model (VTAMIQ) from (reference, version) pairs; the restorer and codec training reuse :meth:`GroupSampler.crop`.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import torch

from . import distortions as dist
from . import labels as lab
from .photos import load_rgb, training_split

cv2.setNumThreads(1)

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
