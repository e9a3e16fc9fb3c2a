"""MIRNet-v2: multi-scale residual network for fast image restoration and enhancement.

Paper: Syed Waqas Zamir, Aditya Arora, Salman Khan, Munawar Hayat, Fahad Shahbaz Khan, Ming-Hsuan Yang, Ling Shao,
"Learning Enriched Features for Fast Image Restoration and Enhancement", IEEE TPAMI 2022. Official code:
https://github.com/swz30/MIRNetv2 ("Academic Public License": non-commercial). This file is an independent
implementation written from the published description and the official state_dict layout (key names and shapes);
no code was copied.

Network: ``conv_in`` 3x3 -> ``body`` = n_RRG residual groups -> ``conv_out`` 3x3 -> + input (global residual).

- RRG r (``body.r``): ``body`` = [MRB x n_MRB, conv 3x3] + skip. Its convs use ``groups[r]`` groups (1, 2, 4, 4).
- MRB (``body.r.body.m``), three streams at 1x, 1/2, 1/4 with widths C, C*f, C*f*f (f = chan_factor 1.5):
  ``top = x; mid = down2(x); bot = down4(x)``; then twice: ``top, mid, bot = dau_top(top), dau_mid(mid),
  dau_bot(bot)``; ``mid = skff_mid([mid, up32_k(bot)])``; ``top = skff_top([top, up21_k(mid)])`` (k = 1, 2: the DAUs
  and SKFFs are reused, the up-samplers are not); ``out = x + conv_out(top)`` (1x1).
- DAU = residual context block: ``res = conv3x3 -> LeakyReLU(0.2) -> conv3x3``; ``res = res + channel_add(GC(res))``
  with GC = softmax over H*W of ``conv_mask`` (1x1 C -> 1) pooling ``res``, channel_add = 1x1 -> LeakyReLU(0.2) ->
  1x1; ``out = x + LeakyReLU(0.2)(res)``.
- Down (per factor 2): AvgPool 2x2 (ceil_mode, count_include_pad False) -> 1x1 C -> C*f. Up (per factor 2): 1x1
  C -> C/f -> bilinear x2 (align_corners False).
- SKFF(C, 2 inputs): ``U = sum`` -> global average -> 1x1 C -> d (d = max(C // 8, 4)) -> LeakyReLU(0.2) -> one 1x1
  d -> C per input -> softmax across inputs -> weighted sum.
All convs are bias-free (``bias=False`` in the published configuration).

Sizes: two 2x down-samplings, so H and W must be multiples of 4; the export graph pads (reflect) and crops back.

Configurations (``CONFIGS``): ``full`` (published defaults: n_feat 80, chan_factor 1.5, 4 RRGs x 2 MRBs; 5,858,560
parameters; keys, shapes and order equal to the official class), ``lite`` (CPU serving: n_feat 16, 1 RRG x 1 MRB),
``tiny`` (tests).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from . import restore_common as rc

__all__ = ["MirnetV2Config", "CONFIGS", "MIRNetV2", "build", "checkpoint_to_state_dict"]

SLOPE = 0.2


@dataclass(frozen=True)
class MirnetV2Config:
    in_channels: int = 3
    out_channels: int = 3
    n_feat: int = 80
    chan_factor: float = 1.5
    n_rrg: int = 4
    n_mrb: int = 2
    groups: Tuple[int, ...] = (1, 2, 4, 4)  # conv groups of the DAUs and the tail conv of each RRG
    bias: bool = False
    description: str = ""

    @property
    def widths(self) -> Tuple[int, int, int]:
        return (self.n_feat, int(self.n_feat * self.chan_factor), int(self.n_feat * self.chan_factor ** 2))

    multiple = 4

    def validate(self) -> "MirnetV2Config":
        if len(self.groups) != self.n_rrg:
            raise ValueError(f"need one group count per RRG ({self.n_rrg}), got {self.groups}")
        for g in self.groups:
            for w in self.widths:
                if w % g:
                    raise ValueError(f"stream width {w} is not divisible by {g} conv groups")
        return self


CONFIGS: Dict[str, MirnetV2Config] = {
    "full": MirnetV2Config(description="published MIRNet-v2 (n_feat 80, 4 RRG x 2 MRB)"),
    # CPU serving: same blocks, 1 RRG x 1 MRB at n_feat 16 (streams 16/24/36): ~2.2 GFLOPs per 256x256 vs 279.
    "lite": MirnetV2Config(n_feat=16, n_rrg=1, n_mrb=1, groups=(1,),
                           description="CPU serving variant (n_feat 16, 1 RRG x 1 MRB)"),
    "tiny": MirnetV2Config(n_feat=8, n_rrg=2, n_mrb=1, groups=(1, 2), description="test variant (n_feat 8)"),
}


def _conv(cin: int, cout: int, k: int, bias: bool, groups: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, k, padding=k // 2, bias=bias, groups=groups)


class ContextBlock(nn.Module):
    """Global-context block (attention pooling + channel add)."""

    def __init__(self, c: int, bias: bool):
        super().__init__()
        self.conv_mask = _conv(c, 1, 1, bias)
        self.channel_add_conv = nn.Sequential(_conv(c, c, 1, bias), nn.LeakyReLU(SLOPE), _conv(c, c, 1, bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c = x.shape[0], x.shape[1]
        weights = torch.softmax(self.conv_mask(x).flatten(2), dim=-1)  # [B, 1, HW]
        context = torch.matmul(x.flatten(2), weights.transpose(1, 2)).reshape(b, c, 1, 1)  # [B, C, 1, 1]
        return x + self.channel_add_conv(context)


class RCB(nn.Module):
    """Residual context block (the ``dau_*`` modules)."""

    def __init__(self, c: int, bias: bool, groups: int):
        super().__init__()
        self.body = nn.Sequential(_conv(c, c, 3, bias, groups), nn.LeakyReLU(SLOPE), _conv(c, c, 3, bias, groups))
        self.gcnet = ContextBlock(c, bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + F.leaky_relu(self.gcnet(self.body(x)), SLOPE)


class _DownUnit(nn.Module):
    def __init__(self, cin: int, cout: int, bias: bool):
        super().__init__()
        self.bot = nn.Sequential(nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False), _conv(cin, cout, 1, bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bot(x)


class _UpUnit(nn.Module):
    def __init__(self, cin: int, cout: int, bias: bool):
        super().__init__()
        self.bot = nn.Sequential(_conv(cin, cout, 1, bias), nn.Upsample(scale_factor=2.0, mode="bilinear",
                                                                        align_corners=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bot(x)


class DownSample(nn.Module):
    def __init__(self, cin: int, cout: int, bias: bool):
        super().__init__()
        self.body = nn.Sequential(_DownUnit(cin, cout, bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class UpSample(nn.Module):
    def __init__(self, cin: int, cout: int, bias: bool):
        super().__init__()
        self.body = nn.Sequential(_UpUnit(cin, cout, bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class SKFF(nn.Module):
    """Selective kernel feature fusion over ``height`` same-shaped inputs."""

    def __init__(self, c: int, height: int, bias: bool, reduction: int = 8):
        super().__init__()
        d = max(int(c / reduction), 4)
        self.conv_du = nn.Sequential(_conv(c, d, 1, bias), nn.LeakyReLU(SLOPE))
        self.fcs = nn.ModuleList(_conv(d, c, 1, bias) for _ in range(height))

    def forward(self, feats: List[torch.Tensor]) -> torch.Tensor:
        stacked = torch.stack(feats, dim=1)  # [B, n, C, H, W]
        z = self.conv_du(stacked.sum(dim=1).mean(dim=(2, 3), keepdim=True))
        attn = torch.softmax(torch.stack([fc(z) for fc in self.fcs], dim=1), dim=1)  # [B, n, C, 1, 1]
        return (stacked * attn).sum(dim=1)


class MRB(nn.Module):
    """Multi-scale residual block: 3 streams, 2 columns, DAUs and SKFFs reused across the columns."""

    def __init__(self, cfg: MirnetV2Config, groups: int):
        super().__init__()
        c0, c1, c2 = cfg.widths
        b = cfg.bias
        self.dau_top = RCB(c0, b, groups)
        self.dau_mid = RCB(c1, b, groups)
        self.dau_bot = RCB(c2, b, groups)
        self.down2 = DownSample(c0, c1, b)
        self.down4 = nn.Sequential(DownSample(c0, c1, b), DownSample(c1, c2, b))
        self.up21_1 = UpSample(c1, c0, b)
        self.up21_2 = UpSample(c1, c0, b)
        self.up32_1 = UpSample(c2, c1, b)
        self.up32_2 = UpSample(c2, c1, b)
        self.conv_out = _conv(c0, c0, 1, b)
        self.skff_top = SKFF(c0, 2, b)
        self.skff_mid = SKFF(c1, 2, b)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        top, mid, bot = x, self.down2(x), self.down4(x)
        for up32, up21 in ((self.up32_1, self.up21_1), (self.up32_2, self.up21_2)):
            top, mid, bot = self.dau_top(top), self.dau_mid(mid), self.dau_bot(bot)
            mid = self.skff_mid([mid, up32(bot)])
            top = self.skff_top([top, up21(mid)])
        return x + self.conv_out(top)


class RRG(nn.Module):
    def __init__(self, cfg: MirnetV2Config, groups: int):
        super().__init__()
        c = cfg.n_feat
        self.body = nn.Sequential(*[MRB(cfg, groups) for _ in range(cfg.n_mrb)], _conv(c, c, 3, cfg.bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class MIRNetV2(nn.Module):
    def __init__(self, cfg: MirnetV2Config):
        super().__init__()
        self.cfg = cfg.validate()
        self.conv_in = _conv(cfg.in_channels, cfg.n_feat, 3, cfg.bias)
        self.body = nn.Sequential(*[RRG(cfg, g) for g in cfg.groups])
        self.conv_out = _conv(cfg.n_feat, cfg.out_channels, 3, cfg.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv_out(self.body(self.conv_in(x)))


def build(config: str | MirnetV2Config = "lite", **overrides) -> MIRNetV2:
    if isinstance(config, str):
        if config not in CONFIGS:
            raise KeyError(f"unknown MIRNet-v2 config {config!r}; expected one of {sorted(CONFIGS)}")
        config = CONFIGS[config]
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return MIRNetV2(dataclasses.replace(config, **overrides))


checkpoint_to_state_dict = rc.checkpoint_to_state_dict
parameter_count = rc.parameter_count


def gflops(model: MIRNetV2) -> float:
    return rc.gflops(model)


# ---------------------------------------------------------------------------------------------------------------
# Serving contract (read by export/onnx_graph.py and export/repository.py)
# ---------------------------------------------------------------------------------------------------------------

FAMILY = rc.FAMILY
LICENCE = "Academic Public License of swz30/MIRNetv2 (non-commercial) for the architecture; independent re-implementation"
INPUT_NAMES = rc.INPUT_NAMES
OUTPUT_NAMES = rc.OUTPUT_NAMES
DYNAMIC_AXES = rc.DYNAMIC_AXES
PARITY_SIZES = rc.PARITY_SIZES


def example_inputs(cfg: MirnetV2Config, batch: int = 1, seed: int = 0, size=(64, 96)) -> Tuple[torch.Tensor, ...]:
    return rc.example_inputs(batch, seed, size)


def ExportGraph(model: MIRNetV2) -> nn.Module:  # noqa: N802 (same call shape as the other arch modules)
    return rc.RestoreGraph(model, model.cfg.multiple)


def serving(cfg: MirnetV2Config) -> dict:
    return rc.serving(LICENCE, cfg.multiple)
