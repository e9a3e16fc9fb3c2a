"""MIRNet (v1): multi-scale residual network for image restoration and enhancement.

Paper: Syed Waqas Zamir, Aditya Arora, Salman Khan, Munawar Hayat, Fahad Shahbaz Khan, Ming-Hsuan Yang, Ling Shao,
"Learning Enriched Features for Real Image Restoration and Enhancement", ECCV 2020. Official code:
https://github.com/swz30/MIRNet ("Academic Public License": non-commercial). This file is an independent
implementation written from the published description and the official state_dict layout (key names and shapes);
no code was copied.

Network: ``conv_in`` 3x3 -> ``body`` = n_RRG x RRG -> ``conv_out`` 3x3 -> + input. RRG = [MSRB x n_MSRB, conv 3x3]
+ skip. Streams j = 0..height-1 have C_j = n_feat * 2^j channels at 1/2^j resolution.

MSRB (height 3, width 2):
- column 1: ``s0 = DAU_0(x)``, ``s_j = DAU_j(down[C_{j-1}_2](s_{j-1}))``;
- column 2: ``s_j' = DAU_j(SKFF_j([resample(s_k -> stream j) for k = 0..2]))`` where resampling k -> j uses
  ``up["{C_k}_{2^(k-j)}"]`` (k > j) or ``down["{C_k}_{2^(j-k)}"]`` (k < j);
- output: ``x + conv_out(SKFF_0([s_0', last_up["1"](s_1'), last_up["2"](s_2')]))`` (SKFF_0 reused).

**Shared modules, kept shared on purpose** (the official state_dict has aliased keys for them):
- ``blocks[j]`` holds the same DAU object in both columns (keys ``blocks.j.0.*`` and ``blocks.j.1.*`` alias);
- one PReLU (``body.1`` of every DAU) is shared by all DAUs of a model (the official class makes it a default
  argument, i.e. one instance for the whole process; here it is one instance per model).
``state_dict()`` therefore lists 797 keys (42,280,770 elements), while ``parameters()`` holds 31,787,419 unique
parameters; fine-tuning keeps the ties, exactly like the official model.

Blocks (all convs bias-free):
- DAU(C): ``res = conv3x3 -> PReLU -> conv3x3``; SA = ``sigmoid(conv5x5 2->1([max_c, mean_c](res))) * res``;
  CA = ``sigmoid(1x1 C/8->C(ReLU(1x1 C->C/8(GAP(res))))) * res``; ``x + conv1x1 2C->C([SA, CA])``.
- ResidualDownSample(C): top = 1x1, PReLU, 3x3, PReLU, blur-pool, 1x1 C->2C; bot = blur-pool, 1x1 C->2C; sum.
  Blur-pool = reflect pad 1, depthwise ``[1,2,1] x [1,2,1] / 16`` (the persistent buffer ``filt``), stride 2.
- ResidualUpSample(C): top = 1x1, PReLU, ConvTranspose 3x3 s2 p1 op1, PReLU, 1x1 C->C/2; bot = bilinear x2
  (align_corners False), 1x1 C->C/2; sum.
- SKFF(C, n): ``U = sum`` -> GAP -> 1x1 C->d (d = max(C // 8, 4)) -> PReLU -> n x (1x1 d->C) -> softmax over the
  n inputs -> weighted sum.

Sizes: two stride-2 stages, so H and W must be multiples of 4; the export graph pads (reflect) and crops back.

Configurations (``CONFIGS``): ``full`` (published defaults: n_feat 64, 3 RRG x 2 MSRB, height 3, width 2; 31,787,419
parameters, keys/shapes/order equal to the official class incl. aliases and ``filt`` buffers), ``lite`` (n_feat 16,
1 RRG x 1 MSRB; not shipped), ``tiny`` (tests).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from . import restore_common as rc

__all__ = ["MirnetConfig", "CONFIGS", "MIRNet", "build", "checkpoint_to_state_dict"]


@dataclass(frozen=True)
class MirnetConfig:
    in_channels: int = 3
    out_channels: int = 3
    n_feat: int = 64
    n_rrg: int = 3
    n_msrb: int = 2
    height: int = 3
    width: int = 2
    bias: bool = False
    description: str = ""

    @property
    def multiple(self) -> int:
        return 2 ** (self.height - 1)

    def validate(self) -> "MirnetConfig":
        if self.height < 2 or self.width < 2:
            raise ValueError("MIRNet needs height >= 2 and width >= 2")
        if self.n_feat % 8:
            raise ValueError(f"n_feat {self.n_feat} must be a multiple of 8 (channel attention reduction)")
        return self


CONFIGS: Dict[str, MirnetConfig] = {
    "full": MirnetConfig(description="published MIRNet (n_feat 64, 3 RRG x 2 MSRB, height 3, width 2)"),
    "lite": MirnetConfig(n_feat=16, n_rrg=1, n_msrb=1, description="CPU variant (n_feat 16, 1 RRG x 1 MSRB)"),
    "tiny": MirnetConfig(n_feat=8, n_rrg=1, n_msrb=1, description="test variant (n_feat 8)"),
}


def _conv(cin: int, cout: int, k: int, bias: bool, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=bias)


class SpatialConv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, 5, padding=2, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


class SpatialAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.spatial = SpatialConv()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pooled = torch.cat([x.amax(dim=1, keepdim=True), x.mean(dim=1, keepdim=True)], dim=1)
        return x * torch.sigmoid(self.spatial(pooled))


class ChannelAttention(nn.Module):
    def __init__(self, c: int, bias: bool, reduction: int = 8):
        super().__init__()
        self.conv_du = nn.Sequential(_conv(c, c // reduction, 1, bias), nn.ReLU(),
                                     _conv(c // reduction, c, 1, bias), nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.conv_du(x.mean(dim=(2, 3), keepdim=True))


class DAU(nn.Module):
    """Dual attention unit; ``act`` is the model-wide shared PReLU."""

    def __init__(self, c: int, bias: bool, act: nn.PReLU):
        super().__init__()
        self.body = nn.Sequential(_conv(c, c, 3, bias), act, _conv(c, c, 3, bias))
        self.SA = SpatialAttention()
        self.CA = ChannelAttention(c, bias)
        self.conv1x1 = nn.Conv2d(2 * c, c, 1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        res = self.body(x)
        return x + self.conv1x1(torch.cat([self.SA(res), self.CA(res)], dim=1))


class BlurPool(nn.Module):
    """Anti-aliased stride-2 sub-sampling: reflect pad 1, depthwise binomial 3x3 (buffer ``filt``), stride 2."""

    def __init__(self, c: int):
        super().__init__()
        a = torch.tensor([1.0, 2.0, 1.0])
        kernel = torch.outer(a, a) / 16.0
        self.register_buffer("filt", kernel[None, None].repeat(c, 1, 1, 1))
        self.channels = c

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(x, [1, 1, 1, 1], mode="reflect"), self.filt, stride=2, groups=self.channels)


class ResidualDownSample(nn.Module):
    def __init__(self, c: int, bias: bool):
        super().__init__()
        self.top = nn.Sequential(_conv(c, c, 1, bias), nn.PReLU(), _conv(c, c, 3, bias), nn.PReLU(), BlurPool(c),
                                 _conv(c, 2 * c, 1, bias))
        self.bot = nn.Sequential(BlurPool(c), _conv(c, 2 * c, 1, bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.top(x) + self.bot(x)


class ResidualUpSample(nn.Module):
    def __init__(self, c: int, bias: bool):
        super().__init__()
        self.top = nn.Sequential(_conv(c, c, 1, bias), nn.PReLU(),
                                 nn.ConvTranspose2d(c, c, 3, stride=2, padding=1, output_padding=1, bias=bias),
                                 nn.PReLU(), _conv(c, c // 2, 1, bias))
        self.bot = nn.Sequential(nn.Upsample(scale_factor=2.0, mode="bilinear", align_corners=False),
                                 _conv(c, c // 2, 1, bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.top(x) + self.bot(x)


class DownSample(nn.Module):
    def __init__(self, c: int, factor: int, bias: bool):
        super().__init__()
        steps = factor.bit_length() - 1
        self.body = nn.Sequential(*[ResidualDownSample(c * 2 ** i, bias) for i in range(steps)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class UpSample(nn.Module):
    def __init__(self, c: int, factor: int, bias: bool):
        super().__init__()
        steps = factor.bit_length() - 1
        self.body = nn.Sequential(*[ResidualUpSample(c // 2 ** i, bias) for i in range(steps)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class SKFF(nn.Module):
    def __init__(self, c: int, height: int, bias: bool, reduction: int = 8):
        super().__init__()
        d = max(int(c / reduction), 4)
        self.conv_du = nn.Sequential(_conv(c, d, 1, bias), nn.PReLU())
        self.fcs = nn.ModuleList(_conv(d, c, 1, bias) for _ in range(height))

    def forward(self, feats: List[torch.Tensor]) -> torch.Tensor:
        stacked = torch.stack(feats, dim=1)  # [B, n, C, H, W]
        z = self.conv_du(stacked.sum(dim=1).mean(dim=(2, 3), keepdim=True))
        attn = torch.softmax(torch.stack([fc(z) for fc in self.fcs], dim=1), dim=1)
        return (stacked * attn).sum(dim=1)


class MSRB(nn.Module):
    def __init__(self, cfg: MirnetConfig, act: nn.PReLU):
        super().__init__()
        n, hgt, b = cfg.n_feat, cfg.height, cfg.bias
        chans = [n * 2 ** j for j in range(hgt)]
        self.chans = chans
        self.width = cfg.width
        # one DAU object per stream, placed in every column (aliased state_dict keys, shared weights)
        self.blocks = nn.ModuleList()
        for c in chans:
            dau = DAU(c, b, act)
            self.blocks.append(nn.ModuleList([dau] * cfg.width))
        self.last_up = nn.ModuleDict({str(j): UpSample(chans[j], 2 ** j, b) for j in range(1, hgt)})
        # down: from each stream to every lower stream, listed by source stream then largest factor first
        self.down = nn.ModuleDict()
        for k in range(hgt - 1):
            for f in reversed([2 ** i for i in range(1, hgt - k)]):
                self.down[f"{chans[k]}_{f}"] = DownSample(chans[k], f, b)
        self.up = nn.ModuleDict()
        for k in reversed(range(1, hgt)):
            for f in reversed([2 ** i for i in range(1, k + 1)]):
                self.up[f"{chans[k]}_{f}"] = UpSample(chans[k], f, b)
        self.conv_out = _conv(n, n, 3, b)
        self.selective_kernel = nn.ModuleList(SKFF(c, hgt, b) for c in chans)

    def _resample(self, t: torch.Tensor, j: int, k: int) -> torch.Tensor:
        """Stream k's tensor brought to stream j."""
        if j == k:
            return t
        if k > j:
            return self.up[f"{self.chans[k]}_{2 ** (k - j)}"](t)
        return self.down[f"{self.chans[k]}_{2 ** (j - k)}"](t)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        streams = []
        s = x
        for j, column in enumerate(self.blocks):
            s = column[0](s if j == 0 else self.down[f"{self.chans[j - 1]}_2"](s))
            streams.append(s)
        for i in range(1, self.width):
            streams = [self.blocks[j][i](self.selective_kernel[j](
                [self._resample(streams[k], j, k) for k in range(len(streams))])) for j in range(len(streams))]
        outs = [streams[0]] + [self.last_up[str(k)](streams[k]) for k in range(1, len(streams))]
        return x + self.conv_out(self.selective_kernel[0](outs))


class RRG(nn.Module):
    def __init__(self, cfg: MirnetConfig, act: nn.PReLU):
        super().__init__()
        self.body = nn.Sequential(*[MSRB(cfg, act) for _ in range(cfg.n_msrb)],
                                  _conv(cfg.n_feat, cfg.n_feat, 3, cfg.bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class MIRNet(nn.Module):
    def __init__(self, cfg: MirnetConfig):
        super().__init__()
        self.cfg = cfg.validate()
        shared_act = nn.PReLU()  # one PReLU for every DAU, as in the official model
        self.conv_in = _conv(cfg.in_channels, cfg.n_feat, 3, cfg.bias)
        self.body = nn.Sequential(*[RRG(cfg, shared_act) for _ in range(cfg.n_rrg)])
        self.conv_out = _conv(cfg.n_feat, cfg.out_channels, 3, cfg.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv_out(self.body(self.conv_in(x)))


def build(config: str | MirnetConfig = "lite", **overrides) -> MIRNet:
    if isinstance(config, str):
        if config not in CONFIGS:
            raise KeyError(f"unknown MIRNet config {config!r}; expected one of {sorted(CONFIGS)}")
        config = CONFIGS[config]
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return MIRNet(dataclasses.replace(config, **overrides))


checkpoint_to_state_dict = rc.checkpoint_to_state_dict
parameter_count = rc.parameter_count  # unique parameters (parameters() de-duplicates shared tensors)


def gflops(model: MIRNet) -> float:
    return rc.gflops(model)


# ---------------------------------------------------------------------------------------------------------------
# Serving contract (read by export/onnx_graph.py and export/repository.py)
# ---------------------------------------------------------------------------------------------------------------

FAMILY = rc.FAMILY
LICENCE = "Academic Public License of swz30/MIRNet (non-commercial) for the architecture; independent re-implementation"
INPUT_NAMES = rc.INPUT_NAMES
OUTPUT_NAMES = rc.OUTPUT_NAMES
DYNAMIC_AXES = rc.DYNAMIC_AXES
PARITY_SIZES = rc.PARITY_SIZES


def example_inputs(cfg: MirnetConfig, batch: int = 1, seed: int = 0, size=(64, 96)) -> Tuple[torch.Tensor, ...]:
    return rc.example_inputs(batch, seed, size)


def ExportGraph(model: MIRNet) -> nn.Module:  # noqa: N802 (same call shape as the other arch modules)
    return rc.RestoreGraph(model, model.cfg.multiple)


def serving(cfg: MirnetConfig) -> dict:
    return rc.serving(LICENCE, cfg.multiple)
