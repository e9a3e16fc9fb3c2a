"""Weak quality labels in [0, 1] for (pristine, distorted) pairs.

Why not just MS-SSIM: an earlier probe trained on a mix of MS-SSIM and GMSD learned blur and heavy
noise but barely learned JPEG (MS-SSIM stays >= 0.87 even at JPEG quality 10) and ranked mild
real camera noise *above* clean images. Full-reference metrics are calibrated for one distortion
family at a time, so the label here is calibrated **per distortion type**.

Mapping (documented contract):

1. Impairment measures on the 224x224 pair (0..255 scale, :mod:`frameq_models.data.fr_metrics`):
   ``1 - MS-SSIM`` (luminance), ``GMSD``, ``1 - SSIM``, mean chroma difference ``dC`` (CIELAB
   a*b* distance, 0..~100) and the mean lightness shift ``dL`` (CIELAB L*, 0..100).
2. Ensemble distance ``D = (1 - MS-SSIM) + GMSD + 0.5 (1 - SSIM) + dC / 25 + |dL| / 30``.
   D is 0 for identical images, grows with every family we generate (structure, gradients,
   colour, brightness) and reacts to JPEG blocking and to noise through GMSD and SSIM.
3. Per-type calibration: for type t, ``m_t[l]`` is the median D of level l (1..5) over a set of
   training crops (``label_calibration.json``, made by ``python -m frameq_models
   calibrate-labels``; made non-decreasing). The label is the piecewise-linear function through
   ``(0, 1)``, ``(m_t[1], A_t[1])``, ..., ``(m_t[5], A_t[5])``, continued past level 5 with the
   last slope and clipped to ``[0.02, 1]``. The anchors ``A_t[l] = 1 - s_t (1 - A[l])`` with
   ``A = (0.87, 0.73, 0.57, 0.42, 0.28)`` place level l of every type at the same nominal quality,
   scaled by a per-type severity ``s_t`` (1 unless listed in :data:`SEVERITY`).
   Consequences: JPEG quality 50 (level 1) gets ~0.87 and quality 6 ~0.28, whatever its small
   MS-SSIM drop; mild camera noise is labelled well below a clean image; within a type, content
   that hides a distortion (a blur on a flat sky) still gets a higher label than content that
   shows it, because the label follows the measured D, not the nominal level.
4. Types that always change the image, even at level 0, are measured against their own level-0
   output with the same seed and scaled by a base quality (:data:`RELATIVE`): the camera
   pipeline (demosaic, sharpening, JPEG 82-94) alone already moves D as much as JPEG quality 50,
   which would drown the noise signal; so ``camera_noise`` at level l is labelled
   ``0.95 * q_t(D(pipeline at level 0, pipeline at level l))``.
5. Two distortions in sequence: product of the per-stage labels (each stage against its input).
6. A slightly soft "clean" image (Gaussian sigma 0.3-0.6 px) is labelled through the
   gaussian_blur calibration (~0.95-0.99): sharpness alone never outranks cleanliness by much.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from . import distortions as dist
from . import fr_metrics as fr

__all__ = [
    "ANCHORS",
    "SEVERITY",
    "CALIBRATION_FILE",
    "measures",
    "ensemble_distance",
    "Calibration",
    "load_calibration",
    "label",
    "label_chain",
    "distort_pair",
    "label_distorted",
    "calibrate",
]

ANCHORS = (0.87, 0.73, 0.57, 0.42, 0.28)
#: Per-type severity s_t: < 1 means level 5 of this type is judged milder than a KADID level 5.
SEVERITY = {
    "camera_noise": 0.75,  # levels span realistic mild-to-strong sensor noise, not KADID extremes
    "non_eccentricity_patch": 0.85,
    "color_diffusion": 0.85,
}
#: type -> quality of its level-0 output; such types are measured against that output.
RELATIVE = {"camera_noise": 0.95}
FLOOR = 0.02
CALIBRATION_FILE = Path(__file__).with_name("label_calibration.json")
CROP = 224  # labels and training crops
MARGIN = 16  # distortions run on CROP + 2*MARGIN and are centre-cropped (no border artefacts)


def measures(ref: np.ndarray, dst: np.ndarray) -> dict:
    """FR measures of a uint8 RGB pair (distorted vs reference)."""
    ms, s = fr.ms_ssim_and_ssim(dst, ref)
    g = fr.gmsd(dst, ref)
    # 8-bit CIELAB (OpenCV: L* scaled to 0..255, a*, b* offset by 128): fast and close enough
    la = cv2.cvtColor(ref, cv2.COLOR_RGB2Lab).astype(np.float32)
    lb = cv2.cvtColor(dst, cv2.COLOR_RGB2Lab).astype(np.float32)
    dc = float(np.mean(np.sqrt((la[..., 1] - lb[..., 1]) ** 2 + (la[..., 2] - lb[..., 2]) ** 2)))
    dl = float(np.mean(lb[..., 0] - la[..., 0])) * (100.0 / 255.0)
    return {"ms_ssim": ms, "gmsd": g, "ssim": s, "dC": dc, "dL": dl}


def ensemble_distance(m: dict) -> float:
    return float((1 - m["ms_ssim"]) + m["gmsd"] + 0.5 * (1 - m["ssim"]) + m["dC"] / 25.0
                 + abs(m["dL"]) / 30.0)


@dataclass(frozen=True)
class Calibration:
    medians: dict  # type -> 5 non-decreasing median distances (levels 1..5)
    anchors: tuple = ANCHORS

    def knots(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self.medians:
            raise KeyError(f"no label calibration for distortion {name!r}")
        s = SEVERITY.get(name, 1.0)
        xs = np.concatenate([[0.0], np.asarray(self.medians[name], np.float64)])
        ys = np.concatenate([[1.0], 1.0 - s * (1.0 - np.asarray(self.anchors, np.float64))])
        return xs, ys

    def to_label(self, name: str, d: float) -> float:
        xs, ys = self.knots(name)
        if d <= xs[-1]:
            q = float(np.interp(d, xs, ys))
        else:
            slope = (ys[-1] - ys[-2]) / max(xs[-1] - xs[-2], 1e-9)
            q = float(ys[-1] + slope * (d - xs[-1]))
        return float(np.clip(q, FLOOR, 1.0))


@lru_cache(maxsize=4)
def load_calibration(path: str | None = None) -> Calibration:
    p = Path(path) if path else CALIBRATION_FILE
    data = json.loads(p.read_text())
    return Calibration(medians={k: tuple(v) for k, v in data["medians"].items()},
                       anchors=tuple(data.get("anchors", ANCHORS)))


def label(ref: np.ndarray, dst: np.ndarray, name: str, cal: Calibration | None = None,
          colour: bool = True) -> float:
    """Weak quality label of ``dst`` (distorted by type ``name``) against pristine ``ref``.
    ``colour=False`` drops the CIELAB terms: for real pairs whose reference was made differently
    (a multi-frame mean) and is offset in colour and lightness by a fraction of a unit."""
    cal = cal or load_calibration()
    m = measures(ref, dst)
    if not colour:
        m = {**m, "dC": 0.0, "dL": 0.0}
    return cal.to_label(name, ensemble_distance(m))


def label_chain(stages: list[tuple[np.ndarray, np.ndarray, str]],
                cal: Calibration | None = None) -> float:
    """Label after several distortions: product over stages of (input, output, type) labels."""
    q = 1.0
    for ref, dst, name in stages:
        q *= label(ref, dst, name, cal)
    return float(q)


def centre(img: np.ndarray, size: int = CROP) -> np.ndarray:
    h, w = img.shape[:2]
    y, x = (h - size) // 2, (w - size) // 2
    return np.ascontiguousarray(img[y:y + size, x:x + size])


def distort_pair(big: np.ndarray, name: str, level: float, seed: int) -> np.ndarray:
    """Distort a (CROP + 2 MARGIN)^2 crop and return the centre CROP^2 of the result."""
    return centre(dist.apply(big, name, level, seed))


def label_distorted(big: np.ndarray, name: str, level: float, seed: int,
                    cal: Calibration | None = None) -> tuple[np.ndarray, float]:
    """Distort a (CROP + 2 MARGIN)^2 crop; return (centre CROP^2 output, weak label)."""
    out = distort_pair(big, name, level, seed)
    if name in RELATIVE:
        base = distort_pair(big, name, 0.0, seed)
        return out, RELATIVE[name] * label(base, out, name, cal)
    return out, label(centre(big), out, name, cal)


def _distance(big: np.ndarray, name: str, level: float, seed: int) -> float:
    out = distort_pair(big, name, level, seed)
    ref = distort_pair(big, name, 0.0, seed) if name in RELATIVE else centre(big)
    return ensemble_distance(measures(ref, out))


def calibrate(crops: list[np.ndarray], names=None, seed: int = 1234) -> dict:
    """Median ensemble distance per type and level over ``crops`` ((CROP+2*MARGIN)^2 uint8)."""
    names = list(names or dist.NAMES)
    medians = {}
    for name in names:
        per_level = []
        for lv in range(1, 6):
            ds = []
            for i, big in enumerate(crops):
                ds.append(_distance(big, name, lv, seed + i))
            per_level.append(float(np.median(ds)))
        mono = np.maximum.accumulate(np.maximum(per_level, 1e-4))
        for i in range(1, 5):  # strictly increasing knots
            mono[i] = max(mono[i], mono[i - 1] * 1.02 + 1e-5)
        medians[name] = [round(float(v), 6) for v in mono]
    return medians
