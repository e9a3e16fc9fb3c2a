"""LPIENet: lightweight perceptual image enhancement network.

Paper: Marcos V. Conde, Florin Vasluianu, Javier Vazquez-Corral, Radu Timofte, "Perceptual Image Enhancement for
Smartphone Real-Time Applications", WACV 2023 (arXiv 2210.13552). Official code: https://github.com/mv-lab/AISP,
folder ``lpienet/`` (no licence file, no published weights). This file is an independent implementation written from
the published description and the official state_dict layout (key names and shapes); no code was copied.

Network (PyTorch-variant semantics, see the notes at the end):

- ``_encoders[e]`` = Sequential(conv 3x3 in -> d_e, BaseBlock, BaseBlock, AttentionBlock); the output of every stage
  but the last is kept as a skip and max-pooled 2x2 before the next stage.
- ``_decoders[d]`` = Sequential(conv 3x3, BaseBlock, BaseBlock, AttentionBlock); then bilinear x2 (align_corners
  False) and concatenation with the skip of the matching resolution (deepest skip first).
- ``_inverse_bock`` (sic, the official name) maps the last concat to 3 channels; ``_attention_tail`` gates it with a
  sigmoid mask from 7x7 -> 5x5 -> 3x3 convs; the result is added to the input image (global residual).
- BaseBlock(C): ``y = x + conv1(elu(dw(conv0(x))))``; ``out = y + conv3(elu(conv2(y)))``.
- AttentionBlock(C): spatial ``sigmoid(conv3x3([mean_c, max_c](x))) * x``; "channel" ``sigmoid(conv1(relu(conv0(
  mean_c(x))))) * x`` (computed from the channel-mean map, as published); ``x + out_conv(concat)``.

The official repository has a Keras model (the paper's) and a PyTorch model with the same parameter count but two
differences: Keras applies a ReLU after each stage's first 3x3 conv, and its BaseBlock feeds the second branch with
the first branch's features rather than the residual sum. This implementation follows the **PyTorch** class (whose
state_dict layout it reproduces), so PyTorch-side weights keep their meaning.

Sizes: two 2x2 max-pools, so H and W must be multiples of 4; the export graph pads (reflect) and crops back.

Configurations (``CONFIGS``): ``full`` (paper: encoder [16, 32, 64], decoder [32, 16]; 133,652 parameters, keys and
shapes equal to the official class), ``lite`` (paper dims on a pixel-unshuffled image: the paper network needs about
1.9 CPU-seconds per 1280x720 frame in onnxruntime with 2 threads, ~1 frame/s at best on 2 cores, far from the
3 frames/s budget; the lite variant works at half resolution with 4x the input/output channels: 0.62 CPU-seconds,
~3.2 frames/s on 2 idle cores; see models/repository/lpienet-lite/model.json metrics),
``tiny`` (tests: [4, 8, 16] / [8, 4], the official
file's demo instance, 10,784 parameters).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from . import restore_common as rc

__all__ = ["LpienetConfig", "CONFIGS", "LPIENet", "build", "checkpoint_to_state_dict"]


@dataclass(frozen=True)
class LpienetConfig:
    in_channels: int = 3
    out_channels: int = 3
    encoder_dims: Tuple[int, ...] = (16, 32, 64)
    decoder_dims: Tuple[int, ...] = (32, 16)
    unshuffle: int = 1  # > 1: FrameQ lite option, the network runs on pixel_unshuffle(x, r) (r*r*3 channels at 1/r)
    description: str = ""

    @property
    def multiple(self) -> int:
        return self.unshuffle * 2 ** (len(self.encoder_dims) - 1)

    def validate(self) -> "LpienetConfig":
        if len(self.decoder_dims) != len(self.encoder_dims) - 1:
            raise ValueError(f"need one decoder stage per skip: {len(self.encoder_dims) - 1} decoder dims, "
                             f"got {self.decoder_dims}")
        return self


CONFIGS: Dict[str, LpienetConfig] = {
    "full": LpienetConfig(description="paper configuration (encoder 16/32/64, decoder 32/16)"),
    # CPU serving: the paper network on pixel_unshuffle(x, 2) (12 channels at half resolution; 3 channels x 4 out,
    # pixel_shuffle back, global residual at full resolution): 4x fewer pixels, 2.3x fewer FLOPs than full.
    "lite": LpienetConfig(unshuffle=2, description="CPU serving: paper dims on a 2x pixel-unshuffled image"),
    "tiny": LpienetConfig(encoder_dims=(4, 8, 16), decoder_dims=(8, 4), description="test variant (4/8/16, 8/4)"),
}


class BaseBlock(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self._conv0 = nn.Conv2d(c, c, 1)
        self._dw_conv = nn.Conv2d(c, c, 3, padding=1, groups=c)
        self._conv1 = nn.Conv2d(c, c, 1)
        self._conv2 = nn.Conv2d(c, c, 1)
        self._conv3 = nn.Conv2d(c, c, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x + self._conv1(F.elu(self._dw_conv(self._conv0(x))))
        return y + self._conv3(F.elu(self._conv2(y)))


class AttentionBlock(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self._spatial_attention_conv = nn.Conv2d(2, c, 3, padding=1)
        self._channel_attention_conv0 = nn.Conv2d(1, c, 1)
        self._channel_attention_conv1 = nn.Conv2d(c, c, 1)
        self._out_conv = nn.Conv2d(2 * c, c, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=1, keepdim=True)
        peak = x.amax(dim=1, keepdim=True)
        spatial = torch.sigmoid(self._spatial_attention_conv(torch.cat([mean, peak], dim=1))) * x
        channel = torch.sigmoid(self._channel_attention_conv1(F.relu(self._channel_attention_conv0(mean)))) * x
        return x + self._out_conv(torch.cat([spatial, channel], dim=1))


class InverseBlock(nn.Module):
    def __init__(self, cin: int, cout: int):
        super().__init__()
        self._conv0 = nn.Conv2d(cin, cout, 1)
        self._dw_conv = nn.Conv2d(cout, cout, 3, padding=1, groups=cout)
        self._conv1 = nn.Conv2d(cout, cout, 1)
        self._conv2 = nn.Conv2d(cin, cout, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._conv1(F.elu(self._dw_conv(self._conv0(x)))) + F.relu(self._conv2(x))


class AttentionTail(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self._conv0 = nn.Conv2d(c, c, 7, padding=3)
        self._conv1 = nn.Conv2d(c, c, 5, padding=2)
        self._conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mask = torch.sigmoid(self._conv2(F.relu(self._conv1(F.relu(self._conv0(x))))))
        return x * mask


def _stage(cin: int, c: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, c, 3, padding=1), BaseBlock(c), BaseBlock(c), AttentionBlock(c))


class LPIENet(nn.Module):
    def __init__(self, cfg: LpienetConfig):
        super().__init__()
        self.cfg = cfg.validate()
        enc, dec = cfg.encoder_dims, cfg.decoder_dims
        r2 = cfg.unshuffle * cfg.unshuffle
        self._encoders = nn.ModuleList(_stage(cin, c) for cin, c in zip((cfg.in_channels * r2, *enc[:-1]), enc))
        dec_in = [enc[-1]] + [d + s for d, s in zip(dec[:-1], reversed(enc[1:-1]))]
        self._decoders = nn.ModuleList(_stage(cin, c) for cin, c in zip(dec_in, dec))
        self._inverse_bock = InverseBlock(dec[-1] + enc[0], cfg.out_channels * r2)
        self._attention_tail = AttentionTail(cfg.out_channels * r2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r = self.cfg.unshuffle
        skips = []
        h = F.pixel_unshuffle(x, r) if r > 1 else x
        for i, stage in enumerate(self._encoders):
            h = stage(h)
            if i < len(self._encoders) - 1:
                skips.append(h)
                h = F.max_pool2d(h, 2)
        for stage in self._decoders:
            h = F.interpolate(stage(h), scale_factor=2.0, mode="bilinear", align_corners=False)
            h = torch.cat([h, skips.pop()], dim=1)
        out = self._attention_tail(self._inverse_bock(h))
        return x + (F.pixel_shuffle(out, r) if r > 1 else out)


def build(config: str | LpienetConfig = "lite", **overrides) -> LPIENet:
    if isinstance(config, str):
        if config not in CONFIGS:
            raise KeyError(f"unknown LPIENet config {config!r}; expected one of {sorted(CONFIGS)}")
        config = CONFIGS[config]
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return LPIENet(dataclasses.replace(config, **overrides))


checkpoint_to_state_dict = rc.checkpoint_to_state_dict
parameter_count = rc.parameter_count


def gflops(model: LPIENet) -> float:
    return rc.gflops(model)


# ---------------------------------------------------------------------------------------------------------------
# Serving contract (read by export/onnx_graph.py and export/repository.py)
# ---------------------------------------------------------------------------------------------------------------

FAMILY = rc.FAMILY
LICENCE = "none declared upstream (mv-lab/AISP has no licence file); independent re-implementation"
INPUT_NAMES = rc.INPUT_NAMES
OUTPUT_NAMES = rc.OUTPUT_NAMES
DYNAMIC_AXES = rc.DYNAMIC_AXES
PARITY_SIZES = rc.PARITY_SIZES


def example_inputs(cfg: LpienetConfig, batch: int = 1, seed: int = 0, size=(64, 96)) -> Tuple[torch.Tensor, ...]:
    return rc.example_inputs(batch, seed, size)


def ExportGraph(model: LPIENet) -> nn.Module:  # noqa: N802 (same call shape as the other arch modules)
    return rc.RestoreGraph(model, model.cfg.multiple)


def serving(cfg: LpienetConfig) -> dict:
    return rc.serving(LICENCE, cfg.multiple)
