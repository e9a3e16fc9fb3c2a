"""Weights to start training from scratch with, per architecture (the registry's ``training_start``).

Exporting or evaluating keeps PyTorch's default initialisation; only training replaces it, because each of these
networks either diverged or sat in a dead region with the defaults (reasons at each function)."""

from __future__ import annotations

import torch
from torch import nn


def init_for_training(model: nn.Module) -> None:
    """ViT-style initialisation for training from scratch: every Linear gets a truncated normal
    (std 0.02) and a zero bias, LayerNorms start at identity. PyTorch's default Linear init
    (std ~ 1/sqrt(3 fan_in)) made the un-normalised transposed-attention (TAB) logits grow until
    the gradient norm exploded within ~30 steps at lr 1e-3 (measured on CPU)."""
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


def _start_head_at(last: nn.Linear, value: float) -> None:
    # A near-constant head output at ``value`` (~ the label mean): no token begins in the dead region of the
    # ReLU that follows MANIQA's head, and neither model starts by predicting far from the labels.
    nn.init.normal_(last.weight, std=1e-3)
    nn.init.constant_(last.bias, value)


def start_maniqa(model: nn.Module) -> None:
    init_for_training(model)
    _start_head_at([m for m in model.fc_score.modules() if isinstance(m, nn.Linear)][-1], 0.6)


def start_vtamiq(model: nn.Module) -> None:
    init_for_training(model)
    _start_head_at(model.q_predictor[-1], 0.35)  # the output is degradation: ~ 1 - mean weak label


# The restorers are residual (x + f(x)); they start near the identity so that the first steps do not destroy
# the input (real noise is mild: PolyU inputs are ~36 dB).

def start_mirnet_v2(model: nn.Module) -> None:
    nn.init.zeros_(model.conv_out.weight)
    if model.conv_out.bias is not None:
        nn.init.zeros_(model.conv_out.bias)


def start_lpienet(model: nn.Module) -> None:
    inv = model._inverse_bock
    nn.init.zeros_(inv._conv1.weight)
    nn.init.zeros_(inv._conv1.bias)
    with torch.no_grad():  # small, not zero: a zero ReLU branch would never get a gradient
        inv._conv2.weight.mul_(0.01)
        inv._conv2.bias.mul_(0.01)
