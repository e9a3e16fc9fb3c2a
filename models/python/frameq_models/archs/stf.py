"""STF: the Symmetrical TransFormer codec of "The Devil Is in the Details" (learned image compression).

Paper: Renjie Zou, Chunfeng Song, Zhaoxiang Zhang, "The Devil Is in the Details: Window-based Attention for Image
Compression", CVPR 2022. Official code: https://github.com/Googolxx/STF (Apache-2.0; ``-a stf``), built on CompressAI.
Independent implementation from the published description and the official state_dict layout (key names and
shapes); no code was copied. The entropy part (hyperprior, channel-wise autoregression over slices, LRP, tables,
compress/decompress) is the one of ``wacnn.WACNN``; only the transforms differ:

- g_a: PatchEmbed (conv 2x2/2 3->48 + LayerNorm), 4 Swin stages (dims 48/96/192/384, depths 2/2/6/2, heads
  3/6/12/24, window 4, odd blocks shifted by 2, MLP ratio 4) with PatchMerging (LayerNorm 4C, Linear 4C->2C) after the
  first three -> y ``[384, H/16, W/16]``.
- g_s: Swin stages dims 384/192/96/48 (depths 2/6/2/2, heads 24/12/6/3) with PatchSplit (LayerNorm C, Linear C->2C,
  pixel shuffle x2) after the first three, then conv5x5 48->192, pixel shuffle x2, conv3x3 48->3.
- h_a: conv3x3 384->384, ->336, ->288 /2, ->240, ->192 /2; h_mean_s/h_scale_s: conv 192->240, subpel ->288,
  conv ->336, subpel ->384, conv ->384 (GELU between). 12 slices of 32 channels, support 6.

ONNX: the spec found the official analysis transform wrong when exported with dynamic H/W (its window padding and
shift mask are Python constants at trace time). This file builds the mask from tensor ops, but FrameQ still exports
STF with fixed H/W (``DYNAMIC_HW = False``): one set of graphs per padded size.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .entropy_models import EntropyBottleneck, GaussianConditional
from .wacnn import (WACNN, WindowAttention, _entropy_net, _unwindows, _windows, checkpoint_to_state_dict,
                         conv3x3, parameter_count, shift_mask, subpel_conv3x3)
from . import wacnn as _w

__all__ = ["StfConfig", "CONFIGS", "STF", "build", "checkpoint_to_state_dict"]


@dataclass(frozen=True)
class StfConfig:
    embed_dim: int = 48
    patch_size: int = 2
    depths: Tuple[int, ...] = (2, 2, 6, 2)
    heads: Tuple[int, ...] = (3, 6, 12, 24)
    window: int = 4
    mlp_ratio: float = 4.0
    N: int = 192  # z channels
    num_slices: int = 12
    max_support_slices: int = 6
    hyper_mid: Tuple[int, int, int] = (336, 288, 240)
    cc_widths: Tuple[int, ...] = (224, 176, 128, 64)
    test_size: int = 256
    description: str = ""

    @property
    def M(self) -> int:
        return self.embed_dim * 2 ** (len(self.depths) - 1)

    @property
    def slice_depth(self) -> int:
        return self.M // self.num_slices

    def validate(self) -> "StfConfig":
        if self.M % self.num_slices:
            raise ValueError(f"M {self.M} is not a multiple of num_slices {self.num_slices}")
        if self.test_size % 64:
            raise ValueError("test_size must be a multiple of 64")
        return self


CONFIGS: Dict[str, StfConfig] = {
    "full": StfConfig(description="published STF (-a stf): embed 48, depths 2/2/6/2, 12 slices, support 6"),
    "lite": StfConfig(embed_dim=16, depths=(2, 2, 2, 2), heads=(1, 2, 4, 8), N=64, num_slices=4,
                      max_support_slices=2, hyper_mid=(112, 96, 80), cc_widths=(64, 48, 32),
                      description="CPU variant: embed 16, depths 2/2/2/2, M 128, 4 slices of 32, support 2"),
    "tiny": StfConfig(embed_dim=8, depths=(1, 1, 1, 2), heads=(1, 1, 2, 2), N=16, num_slices=2,
                      max_support_slices=1, hyper_mid=(24, 20, 16), cc_widths=(16,), test_size=64,
                      description="tests only: embed 8, M 64, 2 slices of 32"),
}


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class SwinBlock(nn.Module):
    """Pre-norm Swin block on ``[B, H, W, C]`` tokens (window attention with optional cyclic shift, then MLP)."""

    def __init__(self, dim: int, heads: int, ws: int, shift: int, mlp_ratio: float):
        super().__init__()
        self.ws, self.shift = ws, shift
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, heads, ws)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, h, w, c = x.shape
        ws = self.ws
        t = self.norm1(x)
        pad_b, pad_r = (ws - h % ws) % ws, (ws - w % ws) % ws
        t = F.pad(t, (0, 0, 0, pad_r, 0, pad_b))
        hp, wp = t.shape[1], t.shape[2]
        mask = None
        if self.shift > 0:
            t = torch.roll(t, shifts=(-self.shift, -self.shift), dims=(1, 2))
            mask = shift_mask(hp, wp, ws, self.shift, t)
        t = _unwindows(self.attn(_windows(t, ws), mask), ws, b, hp, wp)
        if self.shift > 0:
            t = torch.roll(t, shifts=(self.shift, self.shift), dims=(1, 2))
        x = x + t[:, :h, :w, :]
        return x + self.mlp(self.norm2(x))


class PatchMerging(nn.Module):
    """2x2 neighbourhood -> LayerNorm(4C) -> Linear 4C->2C (halves H, W)."""

    def __init__(self, dim: int):
        super().__init__()
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(4 * dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.cat([x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]], dim=-1)
        return self.reduction(self.norm(x))


class PatchSplit(nn.Module):
    """LayerNorm(C) -> Linear C->2C -> pixel shuffle x2 (doubles H, W, halves C)."""

    def __init__(self, dim: int):
        super().__init__()
        self.reduction = nn.Linear(dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.reduction(self.norm(x)).permute(0, 3, 1, 2)
        return F.pixel_shuffle(x, 2).permute(0, 2, 3, 1)


class SwinStage(nn.Module):
    def __init__(self, dim: int, depth: int, heads: int, ws: int, mlp_ratio: float, resample: nn.Module | None):
        super().__init__()
        self.blocks = nn.ModuleList(
            SwinBlock(dim, heads, ws, 0 if i % 2 == 0 else ws // 2, mlp_ratio) for i in range(depth))
        self.downsample = resample

    def forward(self, x):
        for blk in self.blocks:
            x = blk(x)
        return self.downsample(x) if self.downsample is not None else x


class PatchEmbed(nn.Module):
    def __init__(self, patch: int, dim: int):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, stride=patch)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        return self.norm(self.proj(x).permute(0, 2, 3, 1))


class STF(WACNN):
    """Same entropy/codec machinery as WACNN; ``g_a`` and ``g_s`` are Swin transforms (methods, not Sequentials)."""

    def __init__(self, cfg: StfConfig):
        nn.Module.__init__(self)
        self.cfg = cfg.validate()
        e, n, m, stages = cfg.embed_dim, cfg.N, cfg.M, len(cfg.depths)
        self.patch_embed = PatchEmbed(cfg.patch_size, e)
        self.layers = nn.ModuleList(
            SwinStage(e * 2 ** i, cfg.depths[i], cfg.heads[i], cfg.window, cfg.mlp_ratio,
                      PatchMerging(e * 2 ** i) if i < stages - 1 else None) for i in range(stages))
        self.syn_layers = nn.ModuleList(
            SwinStage(m // 2 ** i, cfg.depths[::-1][i], cfg.heads[::-1][i], cfg.window, cfg.mlp_ratio,
                      PatchSplit(m // 2 ** i) if i < stages - 1 else None) for i in range(stages))
        self.end_conv = nn.Sequential(nn.Conv2d(e, e * cfg.patch_size ** 2, 5, padding=2),
                                      nn.PixelShuffle(cfg.patch_size), nn.Conv2d(e, 3, 3, padding=1))
        a, b, c = cfg.hyper_mid
        self.h_a = nn.Sequential(conv3x3(m, m), nn.GELU(), conv3x3(m, a), nn.GELU(), conv3x3(a, b, stride=2),
                                 nn.GELU(), conv3x3(b, c), nn.GELU(), conv3x3(c, n, stride=2))

        def h_s() -> nn.Sequential:
            return nn.Sequential(conv3x3(n, c), nn.GELU(), subpel_conv3x3(c, b, 2), nn.GELU(), conv3x3(b, a),
                                 nn.GELU(), subpel_conv3x3(a, m, 2), nn.GELU(), conv3x3(m, m))

        self.h_mean_s = h_s()
        self.h_scale_s = h_s()
        d, s = cfg.slice_depth, cfg.max_support_slices
        self.cc_mean_transforms = nn.ModuleList(
            _entropy_net(m + d * min(i, s), cfg.cc_widths, d) for i in range(cfg.num_slices))
        self.cc_scale_transforms = nn.ModuleList(
            _entropy_net(m + d * min(i, s), cfg.cc_widths, d) for i in range(cfg.num_slices))
        self.lrp_transforms = nn.ModuleList(
            _entropy_net(m + d * min(i + 1, s + 1), cfg.cc_widths, d) for i in range(cfg.num_slices))
        self.entropy_bottleneck = EntropyBottleneck(n)
        self.gaussian_conditional = GaussianConditional(None)

    def g_a(self, x: torch.Tensor) -> torch.Tensor:
        t = self.patch_embed(x)
        for layer in self.layers:
            t = layer(t)
        return t.permute(0, 3, 1, 2)

    def g_s(self, y_hat: torch.Tensor) -> torch.Tensor:
        t = y_hat.permute(0, 2, 3, 1)
        for layer in self.syn_layers:
            t = layer(t)
        return self.end_conv(t.permute(0, 3, 1, 2))


def build(config: str | StfConfig = "tiny", **overrides) -> STF:
    cfg = CONFIGS[config] if isinstance(config, str) else config
    overrides = {k: v for k, v in overrides.items() if v is not None and k in {f.name for f in dataclasses.fields(cfg)}}
    return STF(dataclasses.replace(cfg, **overrides))


gflops = _w.gflops
FAMILY = "codec"
LICENCE = "Apache-2.0"
DYNAMIC_HW = False  # one set of graphs per padded size (see the module docstring)
