"""fault-head: a small learned multi-label camera-fault classifier on fixed, hand-designed image statistics.

Why this shape: the real fault photos we can test on are few (49), and the product is judged on photos we do not
have, so the learned part must be small and its inputs must mean the same thing on any scene. The network is two
parts in ONE ONNX graph:

1. ``FixedFeatures`` (no learned weights): from the whole frame shrunk to ``size`` x ``size`` RGB in [0, 1] (a box
   average, :func:`box_resize`, the same arithmetic as the Java side), per-cell statistics on an 8x8 and a 16x16 grid
   -- luma mean and spread, black and white level, edge energy at three scales and its fine/coarse ratio (soft
   patches: drops, smears, defocus), chroma, dark channel (haze), clipped and near-black shares -- summarised over
   the cells by order statistics (5/25/50/75/95 % and mean), so the answer does not depend on where in the frame a
   fault sits, plus a soft luma histogram.
2. ``FaultHead``: standardisation (training-set mean/std, stored in the graph) and a 2-layer MLP with one sigmoid
   output per fault class (multi-label; clean = every class low).

Everything is plain convolution / pooling / TopK, so it exports to ONNX and costs about 2.5 ms per frame on one CPU
thread (onnxruntime), plus the box shrink. Being in the graph, the features cannot drift between Python training and Java serving.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["CLASSES", "FaultHeadConfig", "CONFIGS", "FixedFeatures", "FaultHead", "build", "box_resize"]

# Output order of the graph; names are the wire names of io.frameq.detect.FaultType.
CLASSES = ("raindrops", "soiled", "low_visibility", "glare", "defocused", "dark", "overexposed", "covered")
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class FaultHeadConfig:
    size: int = 256  # input side (the frame is squashed to size x size)
    grid: int = 8  # coarse grid; the fine grid is 2 * grid
    hidden: int = 64
    dropout: float = 0.2
    description: str = ""


CONFIGS = {
    "small": FaultHeadConfig(description="serving variant: 256x256 input, 8x8 and 16x16 cell grids, 64 hidden units"),
    "tiny": FaultHeadConfig(size=64, grid=4, hidden=8, description="test variant: 64x64 input"),
}


def box_resize(rgb: np.ndarray, size: int) -> np.ndarray:
    """Shrinks an HxWx3 uint8 image to size x size by plain box averaging: output pixel (y, x) is the mean of the
    input pixels with rows in [floor(y*H/size), floor((y+1)*H/size)) and the same for columns (at least one pixel).
    io.frameq.quality.FaultClassifier does exactly this, so Python features equal the Java ones."""
    h, w = rgb.shape[:2]
    ys = np.floor(np.arange(size + 1) * h / size).astype(np.int64)
    xs = np.floor(np.arange(size + 1) * w / size).astype(np.int64)
    ye = np.maximum(ys[1:], ys[:-1] + 1)
    xe = np.maximum(xs[1:], xs[:-1] + 1)
    c = np.zeros((h + 1, w + 1, rgb.shape[2]), np.float64)
    c[1:, 1:] = np.cumsum(np.cumsum(rgb.astype(np.float64), 0), 1)
    y0, y1 = ys[:-1][:, None], ye[:, None]
    x0, x1 = xs[:-1][None, :], xe[None, :]
    s = c[y1, x1] - c[y0, x1] - c[y1, x0] + c[y0, x0]
    area = ((y1 - y0) * (x1 - x0))[..., None]
    return (s / area).astype(np.float32)


class FixedFeatures(nn.Module):
    """Image [B, 3, S, S] in [0, 1] -> feature vector [B, F]; no learned weights."""

    def __init__(self, cfg: FaultHeadConfig):
        super().__init__()
        self.cfg = cfg
        lap = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]).view(1, 1, 3, 3)
        self.register_buffer("lap", lap, persistent=False)
        self.register_buffer("rgb2y", torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("centres", torch.linspace(0.0625, 0.9375, 8).view(1, 8), persistent=False)

    @property
    def num_features(self) -> int:
        return (12 + 5) * (len(QUANTILES) + 1) + 8 + 2

    def _edges(self, y: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(y, (1, 1, 1, 1), mode="replicate"), self.lap).abs()

    @staticmethod
    def _summary(m: torch.Tensor, n: int) -> torch.Tensor:
        """[B, 1, g, g] (n = g * g cells, static so that ONNX export sees plain ints) -> order statistics and mean
        over the cells, [B, len(QUANTILES) + 1]."""
        v = m.flatten(1)
        s, _ = torch.sort(v, dim=1)
        idx = [min(n - 1, max(0, int(round(q * (n - 1))))) for q in QUANTILES]
        return torch.cat([s[:, idx], v.mean(dim=1, keepdim=True)], dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s, g = self.cfg.size, self.cfg.grid
        eps = 1e-3
        y = (x * self.rgb2y).sum(dim=1, keepdim=True)
        mx = x.max(dim=1, keepdim=True).values
        mn = x.min(dim=1, keepdim=True).values
        y2 = F.avg_pool2d(y, 2)
        y4 = F.avg_pool2d(y, 4)
        e1, e2, e4 = self._edges(y), self._edges(y2), self._edges(y4)
        maps, cells = [], []
        for gg in (g, 2 * g):
            c = s // gg

            def avg(t, k=c):
                return F.avg_pool2d(t, k)

            mean = avg(y)
            std = torch.sqrt(F.relu(avg(y * y) - mean * mean) + 1e-6)
            c1 = avg(e1)
            c2 = avg(e2, c // 2)
            c4 = avg(e4, c // 4)
            crisp = torch.log((c1 + eps) / (c4 + eps))
            if gg == g:
                black = -F.max_pool2d(-y4, c // 4)
                white = F.max_pool2d(y4, c // 4)
                mn4 = F.avg_pool2d(mn, 4)
                maps += [
                    mean, std, black, white, white - black,
                    torch.log(c1 + eps), torch.log(c2 + eps), crisp,
                    torch.log((c1 + eps) / (std + 0.01)),
                    avg(mx - mn),
                    -F.max_pool2d(-mn4, c // 4),  # dark channel
                    avg(torch.sigmoid((mx - 0.97) * 300.0)),  # clipped share
                ]
                cells += [gg * gg] * 12
            else:
                # Fine grid: small soft islands (drops) and how unevenly sharpness spreads over the frame.
                rel = crisp - crisp.flatten(1).max(dim=1).values.view(-1, 1, 1, 1)
                dh = (crisp[:, :, :, 1:] - crisp[:, :, :, :-1]).abs()
                dv = (crisp[:, :, 1:, :] - crisp[:, :, :-1, :]).abs()
                maps += [crisp, rel, torch.log(c1 + eps) - torch.log(std + 0.01), dh, dv]
                cells += [gg * gg, gg * gg, gg * gg, gg * (gg - 1), gg * (gg - 1)]
        feats = [self._summary(m, n) for m, n in zip(maps, cells)]
        hist = torch.exp(-((y.flatten(1).unsqueeze(2) - self.centres.unsqueeze(1)) / 0.0625) ** 2).mean(dim=1)
        chroma = torch.stack([(x[:, 0] - x[:, 1]).flatten(1).mean(1), (x[:, 2] - x[:, 1]).flatten(1).mean(1)], dim=1)
        return torch.cat(feats + [hist, chroma], dim=1)


class FaultHead(nn.Module):
    """Image [B, 3, S, S] in [0, 1] -> per-class fault probabilities [B, len(CLASSES)]."""

    def __init__(self, cfg: FaultHeadConfig):
        super().__init__()
        self.cfg = cfg
        self.features = FixedFeatures(cfg)
        n = self.features.num_features
        self.register_buffer("feat_mean", torch.zeros(n))
        self.register_buffer("feat_std", torch.ones(n))
        self.mlp = nn.Sequential(nn.Linear(n, cfg.hidden), nn.GELU(), nn.Dropout(cfg.dropout),
                                 nn.Linear(cfg.hidden, len(CLASSES)))

    def logits_from_features(self, f: torch.Tensor) -> torch.Tensor:
        return self.mlp((f - self.feat_mean) / self.feat_std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits_from_features(self.features(x)))


def build(config: str | FaultHeadConfig = "small") -> FaultHead:
    if isinstance(config, str):
        if config not in CONFIGS:
            raise KeyError(f"unknown fault-head config {config!r}; expected one of {sorted(CONFIGS)}")
        config = CONFIGS[config]
    return FaultHead(config)
