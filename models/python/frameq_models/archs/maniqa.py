"""MANIQA: Multi-dimension Attention Network for No-Reference Image Quality Assessment.

Paper: Sidi Yang, Tianhe Wu, Shuwei Shi, Shanshan Lao, Yuan Gong, Mingdeng Cao, Jiahao Wang, Yujiu Yang,
"MANIQA: Multi-dimension Attention Network for No-Reference Image Quality Assessment", CVPR Workshops (NTIRE) 2022.
Official code: https://github.com/IIGROUP/MANIQA (Apache-2.0). This file is an independent implementation written
from the published description and the official state_dict layout (key names and shapes); no code was copied.

Network (``full`` = the published configuration):

1. ViT backbone (timm ``vit_base_patch8_224`` layout). The blocks named in ``feature_blocks`` are called directly (no
   hooks); their patch tokens (CLS dropped) are concatenated on channels -> ``[B, N, C0]``, N = token grid h*w.
2. Stage 1: ``[B, C0, N]`` -> TAB x num_tab (transposed attention over channels, Linear layers act on the token axis)
   -> ``[B, C0, h, w]`` -> conv1 (1x1, C0 -> embed_dim) -> Swin stage (dim embed_dim).
3. Stage 2: TAB x num_tab -> conv2 (1x1, embed_dim -> embed_dim/2) -> Swin stage (dim embed_dim/2).
4. Two per-token heads: score (ReLU output) and weight (Sigmoid output); frame score = sum(s*w) / sum(w).

The published TAB ends with ``(attn @ v).transpose(1, 2).reshape(B, C, N)``: a memory re-interpretation, not a
transpose back. It is reproduced exactly so that official weights keep their meaning.

Configurations are data (``CONFIGS``): ``full`` (state_dict keys/shapes equal the official checkpoint, 135,747,530
parameters; ``scale`` 0.8 for the KonIQ/KADID releases, 0.13 for PIPAL22), ``lite`` (CPU serving, 14x14 token grid)
and ``tiny`` (tests).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .checkpoints import unwrap_state_dict

__all__ = [
    "ManiqaConfig",
    "CONFIGS",
    "MANIQA",
    "build",
    "checkpoint_to_state_dict",
]


@dataclass(frozen=True)
class ManiqaConfig:
    """Hyper-parameters of one MANIQA variant."""

    img_size: int = 224
    patch_size: int = 8
    vit_dim: int = 768
    vit_depth: int = 12  # blocks built; only blocks up to max(feature_blocks) run
    vit_heads: int = 12
    vit_mlp_ratio: float = 4.0
    vit_num_classes: int = 1000  # >0: keep timm's final norm + class head (unused, present in official state_dict)
    feature_blocks: Tuple[int, ...] = (6, 7, 8, 9)
    embed_dim: int = 768  # conv1 output channels; stage 2 works at embed_dim // 2
    num_tab: int = 2
    swin_depths: Tuple[int, ...] = (2, 2)
    swin_heads: Tuple[int, ...] = (4, 4)
    window_size: int = 4
    dim_mlp: int = 768  # absolute hidden width of the Swin MLP (not a ratio)
    scale: float = 0.8  # Swin stage residual: x = scale * layer(x) + x
    drop: float = 0.1
    swin_unused_downsample: bool = True  # the official stride-2 conv that is built but never called
    description: str = ""

    @property
    def grid(self) -> int:
        return self.img_size // self.patch_size

    @property
    def num_tokens(self) -> int:
        return self.grid * self.grid

    def validate(self) -> "ManiqaConfig":
        if self.img_size % self.patch_size:
            raise ValueError(f"img_size {self.img_size} is not a multiple of patch_size {self.patch_size}")
        if self.grid % self.window_size:
            raise ValueError(f"window_size {self.window_size} does not divide the token grid {self.grid}")
        if max(self.feature_blocks) >= self.vit_depth:
            raise ValueError(f"feature_blocks {self.feature_blocks} exceed vit_depth {self.vit_depth}")
        if len(self.swin_depths) != len(self.swin_heads):
            raise ValueError("swin_depths and swin_heads must have the same length")
        for dim in (self.embed_dim, self.embed_dim // 2):
            for heads in self.swin_heads:
                if dim % heads:
                    raise ValueError(f"Swin dim {dim} is not divisible by {heads} heads")
        if self.vit_dim % self.vit_heads:
            raise ValueError(f"vit_dim {self.vit_dim} is not divisible by vit_heads {self.vit_heads}")
        return self


CONFIGS: Dict[str, ManiqaConfig] = {
    # Published configuration (IIGROUP/MANIQA, ViT-B/8 backbone). Keys and shapes match the official checkpoints.
    "full": ManiqaConfig(description="published MANIQA (ViT-B/8, 28x28 tokens, 302.8 GFLOPs/crop)"),
    # CPU serving: ViT with 16-px patches (14x14 tokens), features from its last two blocks, small Swin stages whose
    # 7x7 window divides the 14x14 grid.
    "lite": ManiqaConfig(
        patch_size=16, vit_dim=192, vit_depth=3, vit_heads=3, vit_num_classes=0, feature_blocks=(1, 2),
        embed_dim=128, num_tab=2, swin_depths=(2,), swin_heads=(4,), window_size=7, dim_mlp=256,
        swin_unused_downsample=False, description="CPU serving variant (ViT-S/16-like, 14x14 tokens)",
    ),
    # Unit tests only: a few thousand parameters, runs in milliseconds.
    "tiny": ManiqaConfig(
        img_size=32, patch_size=8, vit_dim=16, vit_depth=2, vit_heads=2, vit_num_classes=0, feature_blocks=(0, 1),
        embed_dim=16, num_tab=1, swin_depths=(2,), swin_heads=(2,), window_size=2, dim_mlp=16,
        swin_unused_downsample=False, description="test variant (32x32 input, 4x4 tokens)",
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# ViT backbone (timm naming: patch_embed.proj, cls_token, pos_embed, blocks.N.{norm1,attn.qkv,attn.proj,norm2,mlp})
# ---------------------------------------------------------------------------------------------------------------


class Mlp(nn.Module):
    """Two Linear layers with GELU between them (fc1, fc2)."""

    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class VitAttention(nn.Module):
    """Multi-head self-attention over all tokens with a fused qkv projection."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, n, c = x.shape
        qkv = self.qkv(x).reshape(-1, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1) * self.scale).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(-1, n, c))


class VitBlock(nn.Module):
    """Pre-norm transformer block (LayerNorm eps 1e-6, as timm's ViT)."""

    def __init__(self, dim: int, heads: int, mlp_ratio: float):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = VitAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    """Non-overlapping patches -> tokens via a strided convolution (``proj``)."""

    def __init__(self, patch: int, dim: int):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x).flatten(2).transpose(1, 2)


class VisionTransformer(nn.Module):
    """ViT in timm's state_dict layout; ``features`` runs only the blocks it needs."""

    def __init__(self, cfg: ManiqaConfig):
        super().__init__()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.vit_dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, cfg.num_tokens + 1, cfg.vit_dim))
        self.patch_embed = PatchEmbed(cfg.patch_size, cfg.vit_dim)
        self.blocks = nn.ModuleList(
            VitBlock(cfg.vit_dim, cfg.vit_heads, cfg.vit_mlp_ratio) for _ in range(cfg.vit_depth)
        )
        if cfg.vit_num_classes > 0:  # present in the official checkpoint, never used by MANIQA
            self.norm = nn.LayerNorm(cfg.vit_dim, eps=1e-6)
            self.head = nn.Linear(cfg.vit_dim, cfg.vit_num_classes)
        self.feature_blocks = tuple(cfg.feature_blocks)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """``[B,3,H,W]`` -> patch tokens of ``feature_blocks`` concatenated on channels, ``[B, N, C*k]``."""
        x = self.patch_embed(x)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.pos_embed
        taken = []
        for i in range(max(self.feature_blocks) + 1):
            x = self.blocks[i](x)
            if i in self.feature_blocks:
                taken.append(x[:, 1:])
        return torch.cat(taken, dim=2)


# ---------------------------------------------------------------------------------------------------------------
# Transposed attention block
# ---------------------------------------------------------------------------------------------------------------


class TABlock(nn.Module):
    """Transposed attention: rows are channels, q/k/v Linear layers act on the token axis (``dim`` = tokens)."""

    def __init__(self, dim: int, drop: float):
        super().__init__()
        self.c_q = nn.Linear(dim, dim)
        self.c_k = nn.Linear(dim, dim)
        self.c_v = nn.Linear(dim, dim)
        self.norm_fact = dim ** -0.5
        self.proj_drop = nn.Dropout(drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, c, n = x.shape
        attn = (self.c_q(x) @ self.c_k(x).transpose(-2, -1) * self.norm_fact).softmax(dim=-1)
        # Published layout: [B,C,N] @ -> transpose(1,2) [B,N,C] -> reshape to [B,C,N] (re-interpretation).
        out = (attn @ self.c_v(x)).transpose(1, 2).reshape(-1, c, n)
        return x + self.proj_drop(out)


# ---------------------------------------------------------------------------------------------------------------
# Swin stage (official MANIQA flavour: absolute MLP width, conv + ReLU after each layer, scaled outer residual)
# ---------------------------------------------------------------------------------------------------------------


def window_partition(x: torch.Tensor, ws: int) -> torch.Tensor:
    """``[B,H,W,C]`` -> ``[B*nW, ws*ws, C]``; the batch stays symbolic (view(-1, ...))."""
    _, h, w, c = x.shape
    x = x.reshape(-1, h // ws, ws, w // ws, ws, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, ws * ws, c)


def window_reverse(windows: torch.Tensor, ws: int, h: int, w: int) -> torch.Tensor:
    """``[B*nW, ws*ws, C]`` -> ``[B,H,W,C]``; never reads the batch as an int (keeps ONNX batch dynamic)."""
    c = windows.shape[-1]
    x = windows.reshape(-1, h // ws, w // ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, h, w, c)


def recover_folded(model: nn.Module, missing: list, leftovers: list) -> dict:
    """ONNX recovery (:mod:`frameq_models.export.onnx_weights`): the exporter stores each window
    attention's ``table[index]`` gather ``[ws^4, heads]`` instead of the table; every table row
    occurs in the gather, so it is read back. Tables in module order = gathers in graph order."""
    tables = [k for k in missing if k.endswith("relative_position_bias_table")]
    state = model.state_dict()
    gathers = [a for a in leftovers if a.ndim == 2 and any(a.shape[0] == state[t[:-len("bias_table")] + "index"].numel()
                                                          for t in tables)]
    if len(gathers) != len(tables):
        raise ValueError(f"maniqa: {len(tables)} relative-position tables to recover, {len(gathers)} gathers found")
    out = {}
    for key, gathered in zip(tables, gathers):
        index = state[key[:-len("bias_table")] + "index"].reshape(-1).numpy()
        table = np.zeros(tuple(state[key].shape), np.float32)
        table[index] = gathered
        out[key] = table
    return out


def relative_position_index(ws: int) -> torch.Tensor:
    """Index into the ``(2ws-1)^2`` bias table for every (query, key) pair inside one window, ``[ws*ws, ws*ws]``."""
    coords = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (ws - 1)
    return rel[:, :, 0] * (2 * ws - 1) + rel[:, :, 1]


def shifted_window_mask(grid: int, ws: int, shift: int) -> torch.Tensor:
    """Additive mask ``[nW, ws*ws, ws*ws]`` (0 inside one region, -100 across regions) for shifted windows."""
    region = torch.zeros(1, grid, grid, 1)
    bounds = (slice(0, -ws), slice(-ws, -shift), slice(-shift, None))
    label = 0
    for hs in bounds:
        for wsl in bounds:
            region[:, hs, wsl, :] = label
            label += 1
    ids = window_partition(region, ws).squeeze(-1)
    diff = ids.unsqueeze(1) - ids.unsqueeze(2)
    return torch.where(diff != 0, torch.tensor(-100.0), torch.tensor(0.0))


# The stored mask holds the published -100 for pairs from different regions. exp(-100) ~ 4e-44 is a float32
# denormal: it cannot change a softmax row (the row sum is >= 1) but it makes x86 kernels without flush-to-zero
# (onnxruntime's softmax and the following matmul) ~30x slower. The forward pass scales the mask to -1e4, whose
# exponential is exactly 0 in float32.
MASK_GAIN = 100.0


class WindowAttention(nn.Module):
    """Multi-head attention inside windows, with a learned relative position bias."""

    def __init__(self, dim: int, ws: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * ws - 1) ** 2, heads))
        self.register_buffer("relative_position_index", relative_position_index(ws))
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        _, n, c = x.shape
        qkv = self.qkv(x).reshape(-1, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q * self.scale) @ k.transpose(-2, -1)
        bias = self.relative_position_bias_table[self.relative_position_index.reshape(-1)]
        attn = attn + bias.reshape(n, n, self.heads).permute(2, 0, 1).unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = (attn.reshape(-1, nw, self.heads, n, n) + mask.unsqueeze(1).unsqueeze(0)).reshape(
                -1, self.heads, n, n
            )
        attn = attn.softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(-1, n, c))


class SwinBlock(nn.Module):
    """Pre-norm (shifted) window attention block on a fixed ``grid x grid`` token map."""

    def __init__(self, dim: int, grid: int, heads: int, ws: int, shift: int, dim_mlp: int):
        super().__init__()
        self.grid, self.ws, self.shift = grid, ws, shift
        if shift > 0:  # official checkpoints store the mask as a persistent buffer of the shifted blocks only
            self.register_buffer("attn_mask", shifted_window_mask(grid, ws, shift))
        else:
            self.attn_mask = None
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, ws, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, dim_mlp)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        c, g = x.shape[-1], self.grid
        y = self.norm1(x).reshape(-1, g, g, c)
        if self.shift:
            y = torch.roll(y, shifts=(-self.shift, -self.shift), dims=(1, 2))
        mask = None if self.attn_mask is None else self.attn_mask * MASK_GAIN
        y = self.attn(window_partition(y, self.ws), mask)
        y = window_reverse(y, self.ws, g, g)
        if self.shift:
            y = torch.roll(y, shifts=(self.shift, self.shift), dims=(1, 2))
        x = x + y.reshape(-1, g * g, c)
        return x + self.mlp(self.norm2(x))


class SwinLayer(nn.Module):
    """Swin blocks (alternating shift 0 / ws//2), then tokens -> map -> Conv3x3 -> ReLU -> tokens."""

    def __init__(self, dim: int, grid: int, depth: int, heads: int, ws: int, dim_mlp: int):
        super().__init__()
        self.grid = grid
        self.conv = nn.Conv2d(dim, dim, 3, 1, 1)
        self.blocks = nn.ModuleList(
            SwinBlock(dim, grid, heads, ws, 0 if i % 2 == 0 else ws // 2, dim_mlp) for i in range(depth)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for blk in self.blocks:
            x = blk(x)
        c, g = x.shape[-1], self.grid
        y = F.relu(self.conv(x.transpose(1, 2).reshape(-1, c, g, g)))
        return y.flatten(2).transpose(1, 2)


class SwinStage(nn.Module):
    """``[B,C,h,w]`` -> dropout -> tokens -> layers with residual ``scale * layer(x) + x`` -> ``[B,C,h,w]``."""

    def __init__(self, cfg: ManiqaConfig, dim: int):
        super().__init__()
        self.grid, self.scale = cfg.grid, cfg.scale
        self.dropout = nn.Dropout(cfg.drop)
        if cfg.swin_unused_downsample:  # built by the official code, never called; kept for strict loading
            self.downsample = nn.Conv2d(dim, dim, kernel_size=3, stride=2, padding=1)
        self.layers = nn.ModuleList(
            SwinLayer(dim, cfg.grid, d, h, cfg.window_size, cfg.dim_mlp) for d, h in zip(cfg.swin_depths, cfg.swin_heads)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        c, g = x.shape[1], self.grid
        x = self.dropout(x).flatten(2).transpose(1, 2)
        for layer in self.layers:
            x = self.scale * layer(x) + x
        return x.transpose(1, 2).reshape(-1, c, g, g)


# ---------------------------------------------------------------------------------------------------------------
# MANIQA
# ---------------------------------------------------------------------------------------------------------------


def _head(dim: int, drop: float, out_act: nn.Module) -> nn.Sequential:
    return nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(drop), nn.Linear(dim, 1), out_act)


class MANIQA(nn.Module):
    """MANIQA no-reference quality model.

    Args:
        cfg: a ``ManiqaConfig`` (see ``CONFIGS``).

    Input: ``[B, 3, img_size, img_size]`` float32, RGB, ``(pixel / 255 - 0.5) / 0.5``.
    ``forward`` returns the quality ``[B]`` (higher is better); ``forward_maps`` also returns the per-token score
    and weight maps ``[B, h, w]`` with ``score == sum(score_map * weight_map) / sum(weight_map)``.
    """

    def __init__(self, cfg: ManiqaConfig):
        super().__init__()
        self.cfg = cfg.validate()
        c0, n, d = cfg.vit_dim * len(cfg.feature_blocks), cfg.num_tokens, cfg.embed_dim
        self.vit = VisionTransformer(cfg)
        self.tablock1 = nn.ModuleList(TABlock(n, cfg.drop) for _ in range(cfg.num_tab))
        self.conv1 = nn.Conv2d(c0, d, 1, 1, 0)
        self.swintransformer1 = SwinStage(cfg, d)
        self.tablock2 = nn.ModuleList(TABlock(n, cfg.drop) for _ in range(cfg.num_tab))
        self.conv2 = nn.Conv2d(d, d // 2, 1, 1, 0)
        self.swintransformer2 = SwinStage(cfg, d // 2)
        self.fc_score = _head(d // 2, cfg.drop, nn.ReLU())
        self.fc_weight = _head(d // 2, cfg.drop, nn.Sigmoid())
        # Random (untrained) models: start the per-token score in the middle of its [0, 1] range instead of letting
        # the final ReLU zero most tokens. Linear/conv layers keep PyTorch's default initialisation.
        nn.init.constant_(self.fc_score[3].bias, 0.5)

    def forward_maps(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        g = self.cfg.grid
        x = self.vit.features(x).transpose(1, 2)  # [B, C0, N]
        for tab in self.tablock1:
            x = tab(x)
        x = self.swintransformer1(self.conv1(x.reshape(-1, x.shape[1], g, g)))
        x = x.flatten(2)
        for tab in self.tablock2:
            x = tab(x)
        x = self.swintransformer2(self.conv2(x.reshape(-1, x.shape[1], g, g)))
        tokens = x.flatten(2).transpose(1, 2)  # [B, N, C]
        s = self.fc_score(tokens).squeeze(-1)  # [B, N]
        w = self.fc_weight(tokens).squeeze(-1)
        score = (s * w).sum(dim=1) / w.sum(dim=1)
        return score, s.unflatten(1, (g, g)), w.unflatten(1, (g, g))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_maps(x)[0]


def build(config: str | ManiqaConfig = "lite", **overrides) -> MANIQA:
    """Build a MANIQA variant by name (``full``, ``lite``, ``tiny``) or from a config; ``overrides`` replace fields
    (e.g. ``scale=0.13`` for the PIPAL22 checkpoint)."""
    if isinstance(config, str):
        if config not in CONFIGS:
            raise KeyError(f"unknown MANIQA config {config!r}; expected one of {sorted(CONFIGS)}")
        config = CONFIGS[config]
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return MANIQA(dataclasses.replace(config, **overrides))


_WRAPPER_KEYS = ("state_dict", "model_state_dict", "params", "model", "net")


def checkpoint_to_state_dict(obj) -> Dict[str, torch.Tensor]:
    """Official checkpoint object -> plain state_dict: unwraps dict wrappers, a pickled module, and ``module.``."""
    return unwrap_state_dict(obj, _WRAPPER_KEYS)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def gflops(model: MANIQA) -> float:
    """FLOPs (2 x MAC, conv/linear/matmul) per crop in GFLOP, counted by ``FlopCounterMode`` at batch 1."""
    from torch.utils.flop_counter import FlopCounterMode

    size = model.cfg.img_size
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(torch.zeros(1, 3, size, size))
    return counter.get_total_flops() / 1e9



# ---------------------------------------------------------------------------------------------------------------
# Serving contract (read by export/onnx_graph.py and export/repository.py to write model.json)
# ---------------------------------------------------------------------------------------------------------------

FAMILY = "nr-iqa"
LICENCE = "Apache-2.0"  # architecture and code (IIGROUP/MANIQA is Apache-2.0)
INPUT_NAMES = ("image",)
OUTPUT_NAMES = ("score", "score_map", "weight_map")


def example_inputs(cfg: ManiqaConfig, batch: int = 1, seed: int = 0) -> Tuple[torch.Tensor, ...]:
    """Random inputs in the model's range ([-1, 1]) for tracing and parity checks."""
    gen = torch.Generator().manual_seed(seed)
    return (torch.rand(batch, 3, cfg.img_size, cfg.img_size, generator=gen) * 2 - 1,)


class ExportGraph(nn.Module):
    """What the ONNX graph computes: ``image [B,3,S,S]`` -> ``score [B]``, ``score_map``, ``weight_map [B,h,w]``."""

    def __init__(self, model: MANIQA):
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.model.forward_maps(image)


def serving(cfg: ManiqaConfig) -> dict:
    """model.json blocks that follow from the architecture (see models/MODEL-JSON.md)."""
    size = cfg.img_size
    return {
        "family": FAMILY,
        "preprocess": {
            "color_order": "RGB",
            "layout": "NCHW",
            "scale": 255.0,
            "mean": [0.5, 0.5, 0.5],
            "std": [0.5, 0.5, 0.5],
            "crop": {"policy": "five-point", "size": [size, size], "upscale_below": "bilinear"},
            "aggregate": "mean",
        },
        "score": {
            "direction": "higher-is-better",
            "range": [0.0, 1.0],
            "quality": {"kind": "linear", "low": 0.0, "high": 1.0},
        },
        "work_unit": f"{size}x{size} crop",
        "licence": LICENCE,
    }
