"""Scoring photos with an NR model in PyTorch: the five crops the serving path takes, and PolyU accuracy."""

from __future__ import annotations

import math

import cv2
import numpy as np
import torch

from ..data import labels as lab
from ..data.photos import load_rgb


def to_input(x_u8: torch.Tensor) -> torch.Tensor:
    """uint8 [..., H, W, 3] -> float [N, 3, H, W] normalised like model.json ((x/255 - 0.5)/0.5)."""
    x = x_u8.reshape(-1, *x_u8.shape[-3:]).permute(0, 3, 1, 2).float()
    return x * (2.0 / 255.0) - 1.0


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
