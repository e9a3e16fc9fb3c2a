"""Shared serving pieces of the image-restoration architectures (family ``restore``).

A restoration graph maps ``image`` float32 ``[B, 3, H, W]`` (RGB, 0..1, no mean/std) to ``restored`` of the same
shape, with batch, height and width all dynamic. The networks need H and W to be multiples of ``multiple`` (their
pooling depth); the exported graph therefore reflect-pads the bottom and right edges up to the next multiple, runs the
network, crops back to ``H x W`` and clamps to [0, 1] (the published test scripts clamp the same way). Callers can
send any frame size >= ``multiple`` pixels per side; nothing about divisibility leaks into the contract.

Used by ``lpienet``, ``mirnet_v2`` and ``mirnet``; each of them exposes the module-level names that the exporter
(``export/``) reads (``INPUT_NAMES``, ``OUTPUT_NAMES``, ``DYNAMIC_AXES``, ``PARITY_SIZES``, ``example_inputs``,
``ExportGraph``, ``serving``, ``gflops``, ``parameter_count``, ``checkpoint_to_state_dict``; see ``registry.py``).
"""

from __future__ import annotations

from typing import Dict, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .checkpoints import unwrap_state_dict

FAMILY = "restore"
INPUT_NAMES = ("image",)
OUTPUT_NAMES = ("restored",)
_AXES = {0: "batch", 2: "height", 3: "width"}
DYNAMIC_AXES = {"image": dict(_AXES), "restored": dict(_AXES)}
# Parity sizes (H, W): one a multiple of 8, one that needs padding (122 = 4*30 + 2, 202 = 4*50 + 2).
PARITY_SIZES: Tuple[Tuple[int, int], ...] = ((96, 160), (122, 202))
GFLOPS_SIZE = 256  # gflops_per_unit is reported per 256x256 pixels (FLOPs scale with H*W)


def pad_to_multiple(x: torch.Tensor, multiple: int) -> torch.Tensor:
    """Reflect-pad the bottom/right edges of ``[B, C, H, W]`` so that H and W become multiples of ``multiple``."""
    h, w = x.shape[-2], x.shape[-1]
    ph = (multiple - h % multiple) % multiple
    pw = (multiple - w % multiple) % multiple
    return F.pad(x, [0, pw, 0, ph], mode="reflect")


class RestoreGraph(nn.Module):
    """What a restore ONNX graph computes: pad (reflect) -> network -> crop back -> clamp to [0, 1]."""

    def __init__(self, model: nn.Module, multiple: int):
        super().__init__()
        self.model = model
        self.multiple = multiple

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        h, w = image.shape[-2], image.shape[-1]
        out = self.model(pad_to_multiple(image, self.multiple))
        return out[:, :, :h, :w].clamp(0.0, 1.0)


def example_inputs(batch: int = 1, seed: int = 0, size: Sequence[int] = (64, 96)) -> Tuple[torch.Tensor, ...]:
    """Random RGB images in [0, 1] of ``size`` (H, W)."""
    gen = torch.Generator().manual_seed(seed)
    return (torch.rand(batch, 3, int(size[0]), int(size[1]), generator=gen),)


def gflops(model: nn.Module, size: int = GFLOPS_SIZE) -> float:
    """FLOPs (2 x MAC, conv/linear/matmul) of the bare network on one ``size x size`` image, in GFLOP."""
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(torch.zeros(1, 3, size, size))
    return counter.get_total_flops() / 1e9


def parameter_count(model: nn.Module) -> int:
    """Parameters counted once each (shared modules and tied weights are not double counted)."""
    return sum(p.numel() for p in model.parameters())


_WRAPPER_KEYS = ("params", "state_dict", "model_state_dict", "params_ema", "model", "net")


def checkpoint_to_state_dict(obj) -> Dict[str, torch.Tensor]:
    """Checkpoint object -> plain state_dict: unwraps BasicSR ``params``, ``state_dict`` etc. and ``module.``."""
    return unwrap_state_dict(obj, _WRAPPER_KEYS)


def serving(licence: str, multiple: int) -> dict:
    """model.json blocks shared by the restore family (see models/MODEL-JSON.md, family ``restore``)."""
    return {
        "family": FAMILY,
        "preprocess": {
            "color_order": "RGB",
            "layout": "NCHW",
            "scale": 255.0,
            "mean": [0.0, 0.0, 0.0],
            "std": [1.0, 1.0, 1.0],
            "crop": {"policy": "none"},
        },
        "score": None,
        "work_unit": f"whole frame, any H x W >= {multiple} (padded to a multiple of {multiple} inside the graph); "
                     f"gflops_per_unit is per {GFLOPS_SIZE}x{GFLOPS_SIZE} pixels",
        "licence": licence,
    }
