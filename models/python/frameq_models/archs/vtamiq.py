"""VTAMIQ: Vision Transformer with Attention Modulation for full-reference Image Quality assessment.

Paper: Andrei Chubarau, James Clark, "VTAMIQ: Transformers for Attention Modulated Image Quality Assessment",
arXiv 2110.01655 (2021). Official code: https://github.com/ch-andrei/VTAMIQ (no top-level licence file; its vendored
ViT port is MIT). This file is an independent implementation written from the published description and the official
2022 state_dict layout (commit 055a4e3, the code generation that matches the released KADIS-700k weights); no code
was copied.

Network (``full`` = the 2022 release configuration):

1. A ViT encodes a set of N patches of one image: each 16x16 patch is embedded on its own (``patch_embeddings``, a
   16x16 stride-16 conv = a linear map of the flattened patch), plus a position embedding looked up from the patch's
   centre (u, v) in [0, 1) on a 24x24 grid (row ``floor(24u)*24 + floor(24v) + 1`` of a 577-row table) and a scale
   embedding (row ``s + 1`` for scale s); a CLS token (rows 0) is prepended. Only the first 6 encoder layers are
   kept, then ``encoder_norm``; the output is the CLS token.
2. The same ViT encodes the reference and the distorted patches (same positions and scales); d = cls_ref - cls_dist.
3. DiffNet on d as ``[B, C, 1, 1]``: 4 residual groups of 4 RCABs (PReLU, 1x1 conv, channel attention) + 1x1 conv,
   then a 1x1 conv. 4. Predictor: Linear C -> C/4, PReLU, Linear -> 1. Output q ``[B]``, larger = more degradation
   for the released weights (targets were reversed MOS).

Configurations are data (``CONFIGS``): ``full`` (keys/shapes equal the official 2022 checkpoint, 57,310,882
parameters), ``lite`` (CPU serving) and ``tiny`` (tests).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict

import torch
import torch.nn.functional as F
from torch import nn

from .checkpoints import unwrap_state_dict

__all__ = ["VtamiqConfig", "CONFIGS", "VTAMIQ", "build", "checkpoint_to_state_dict"]


@dataclass(frozen=True)
class VtamiqConfig:
    """Hyper-parameters of one VTAMIQ variant."""

    patch_size: int = 16
    hidden: int = 768
    mlp_dim: int = 3072
    heads: int = 12
    layers: int = 6  # encoder layers kept (vit_num_keep_layers)
    pos_grid: int = 24  # position table side: 384 px / 16 px patches -> 24x24 + CLS = 577 rows
    num_scales: int = 5
    use_scale_embedding: bool = True
    num_groups: int = 4
    rcabs_per_group: int = 4
    reduction: int = 16
    dropout: float = 0.2  # embeddings and predictor
    num_patches: int = 1024  # patches per image at serving time (the 2022 test-time count)
    description: str = ""

    def validate(self) -> "VtamiqConfig":
        if self.hidden % self.heads:
            raise ValueError(f"hidden {self.hidden} is not divisible by heads {self.heads}")
        if self.hidden % self.reduction or self.hidden % 4:
            raise ValueError(f"hidden {self.hidden} must be divisible by reduction {self.reduction} and by 4")
        if self.num_scales < 1:
            raise ValueError("num_scales must be >= 1")
        return self


CONFIGS: Dict[str, VtamiqConfig] = {
    "full": VtamiqConfig(description="VTAMIQ 2022 release (ViT-B/16, 6 layers, DiffNet 4x4 RCAB)"),
    "lite": VtamiqConfig(
        hidden=192, mlp_dim=768, heads=3, layers=4, num_groups=2, rcabs_per_group=2, num_patches=256,
        description="CPU serving variant (ViT dim 192, 4 layers, 256 patches per image)",
    ),
    "tiny": VtamiqConfig(
        patch_size=4, hidden=32, mlp_dim=64, heads=2, layers=2, pos_grid=4, num_scales=3, num_groups=1,
        rcabs_per_group=2, reduction=8, num_patches=8, description="test variant (4x4 patches)",
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# ViT with patch-set input (official 2022 naming: embeddings.*, encoder.layer.N.{attention_norm,ffn_norm,ffn,attn})
# ---------------------------------------------------------------------------------------------------------------


class UvPosEmbedding(nn.Module):
    """Position table indexed by the patch centre (u, v) in [0, 1) on a ``grid x grid`` lattice; row 0 is CLS."""

    def __init__(self, grid: int, hidden: int):
        super().__init__()
        self.grid = grid
        self.positional_embeddings = nn.Parameter(torch.zeros(1, grid * grid + 1, hidden))

    def forward(self, uv: torch.Tensor) -> torch.Tensor:
        cell = torch.floor(uv * self.grid).clamp(0, self.grid - 1).to(torch.int64)  # clamp: inputs are in [0, 1)
        return self.positional_embeddings[0][cell[..., 0] * self.grid + cell[..., 1] + 1]

    def cls(self) -> torch.Tensor:
        return self.positional_embeddings[:, 0]


class ScaleEmbedding(nn.Module):
    """Scale table: row 0 for CLS, row ``s + 1`` for a patch cut at scale s (s in 0..num_scales-1)."""

    def __init__(self, num_scales: int, hidden: int):
        super().__init__()
        self.num_scales = num_scales
        self.scale_embeddings = nn.Parameter(torch.zeros(1, num_scales + 1, hidden))

    def forward(self, scales: torch.Tensor) -> torch.Tensor:
        # the published code clamps to [0, num_scales] (one past the table); valid scales are 0..num_scales-1
        row = scales[..., 0].clamp(0, self.num_scales - 1).to(torch.int64) + 1
        return self.scale_embeddings[0][row]

    def cls(self) -> torch.Tensor:
        return self.scale_embeddings[:, 0]


class Embeddings(nn.Module):
    """Patch set ``[B, N, 3, P, P]`` + positions + scales -> tokens ``[B, N + 1, C]`` (CLS first)."""

    def __init__(self, cfg: VtamiqConfig):
        super().__init__()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, cfg.hidden))
        self.patch_embeddings = nn.Conv2d(3, cfg.hidden, kernel_size=cfg.patch_size, stride=cfg.patch_size)
        self.positional_embeddings = UvPosEmbedding(cfg.pos_grid, cfg.hidden)
        if cfg.use_scale_embedding:
            self.scale_embeddings = ScaleEmbedding(cfg.num_scales, cfg.hidden)
        self.use_scale_embedding = cfg.use_scale_embedding
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, patches: torch.Tensor, uv: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
        # A PxP stride-P conv on a PxP patch is one matrix product over the flattened (c, y, x) patch.
        w = self.patch_embeddings.weight
        x = F.linear(patches.flatten(2), w.flatten(1), self.patch_embeddings.bias)  # [B, N, C]
        x = x + self.positional_embeddings(uv)
        cls = self.cls_token + self.positional_embeddings.cls()
        if self.use_scale_embedding:
            x = x + self.scale_embeddings(scales)
            cls = cls + self.scale_embeddings.cls()
        x = torch.cat((cls.expand(x.shape[0], -1, -1), x), dim=1)
        return self.dropout(x)


class Attention(nn.Module):
    """Multi-head self-attention with separate query/key/value/out projections."""

    def __init__(self, hidden: int, heads: int):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, hidden)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        return x.unflatten(-1, (self.heads, self.head_dim)).transpose(1, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        attn = (q @ k.transpose(-1, -2) / self.head_dim ** 0.5).softmax(dim=-1)
        return self.out((attn @ v).transpose(1, 2).flatten(2))


class Mlp(nn.Module):
    def __init__(self, hidden: int, mlp_dim: int):
        super().__init__()
        self.fc1 = nn.Linear(hidden, mlp_dim)
        self.fc2 = nn.Linear(mlp_dim, hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm encoder layer (LayerNorm eps 1e-6)."""

    def __init__(self, cfg: VtamiqConfig):
        super().__init__()
        self.attention_norm = nn.LayerNorm(cfg.hidden, eps=1e-6)
        self.ffn_norm = nn.LayerNorm(cfg.hidden, eps=1e-6)
        self.ffn = Mlp(cfg.hidden, cfg.mlp_dim)
        self.attn = Attention(cfg.hidden, cfg.heads)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.attention_norm(x))
        return x + self.ffn(self.ffn_norm(x))


class Encoder(nn.Module):
    def __init__(self, cfg: VtamiqConfig):
        super().__init__()
        self.encoder_norm = nn.LayerNorm(cfg.hidden, eps=1e-6)
        self.layer = nn.ModuleList(Block(cfg) for _ in range(cfg.layers))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for blk in self.layer:
            x = blk(x)
        return self.encoder_norm(x)


class VisionTransformer(nn.Module):
    """Patch set -> CLS feature ``[B, C]``."""

    def __init__(self, cfg: VtamiqConfig):
        super().__init__()
        self.embeddings = Embeddings(cfg)
        self.encoder = Encoder(cfg)

    def forward(self, patches: torch.Tensor, uv: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
        return self.encoder(self.embeddings(patches, uv, scales))[:, 0]


# ---------------------------------------------------------------------------------------------------------------
# DiffNet (RCAN residual groups with channel attention, on a 1x1 map) and predictor
# ---------------------------------------------------------------------------------------------------------------


class CALayer(nn.Module):
    """Channel attention: global average -> 1x1 conv down -> PReLU -> 1x1 conv up -> sigmoid -> rescale."""

    def __init__(self, channels: int, reduction: int):
        super().__init__()
        self.conv_du = nn.Sequential(
            nn.Conv2d(channels, channels // reduction, 1), nn.PReLU(), nn.Conv2d(channels // reduction, channels, 1),
            nn.Sigmoid(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.conv_du(x.mean(dim=(2, 3), keepdim=True))


class RCAB(nn.Module):
    """Residual channel-attention block; indices 0 and 3 are the published empty (no batch-norm) placeholders."""

    def __init__(self, channels: int, reduction: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Sequential(), nn.PReLU(), nn.Conv2d(channels, channels, 1), nn.Sequential(),
            CALayer(channels, reduction),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class ResidualGroup(nn.Module):
    def __init__(self, channels: int, num_rcabs: int, reduction: int):
        super().__init__()
        self.body = nn.Sequential(
            *[RCAB(channels, reduction) for _ in range(num_rcabs)], nn.Conv2d(channels, channels, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class VTAMIQ(nn.Module):
    """VTAMIQ full-reference quality model.

    Inputs: ``patches_ref``, ``patches_dist`` ``[B, N, 3, P, P]`` float32 (ImageNet-normalised RGB), ``positions``
    ``[B, N, 2]`` float32 patch-centre (u = row, v = column) in [0, 1), ``scales`` ``[B, N, 2]`` int64 (scale index in
    both columns). Output ``[B]``: for the released weights, larger = more degradation.
    """

    def __init__(self, cfg: VtamiqConfig):
        super().__init__()
        self.cfg = cfg.validate()
        c = cfg.hidden
        self.transformer = VisionTransformer(cfg)
        self.diff_net = nn.Sequential(
            *[ResidualGroup(c, cfg.rcabs_per_group, cfg.reduction) for _ in range(cfg.num_groups)],
            nn.Conv2d(c, c, 1),
        )
        self.q_predictor = nn.Sequential(
            nn.Dropout(cfg.dropout), nn.Linear(c, c // 4), nn.PReLU(), nn.Dropout(cfg.dropout), nn.Linear(c // 4, 1)
        )
        for p in (self.transformer.embeddings.cls_token, self.transformer.embeddings.positional_embeddings
                  .positional_embeddings):
            nn.init.trunc_normal_(p, std=0.02)
        if cfg.use_scale_embedding:
            nn.init.trunc_normal_(self.transformer.embeddings.scale_embeddings.scale_embeddings, std=0.02)

    def forward(self, patches_ref: torch.Tensor, patches_dist: torch.Tensor, positions: torch.Tensor,
                scales: torch.Tensor) -> torch.Tensor:
        # One encoder pass over ref and dist stacked on the batch axis (same weights, same positions and scales).
        feats = self.transformer(
            torch.cat((patches_ref, patches_dist)), torch.cat((positions, positions)), torch.cat((scales, scales))
        )
        ref, dist = feats.chunk(2)
        d = (ref - dist).unsqueeze(-1).unsqueeze(-1)  # [B, C, 1, 1]
        return self.q_predictor(self.diff_net(d).flatten(1)).flatten()


def build(config: str | VtamiqConfig = "lite", **overrides) -> VTAMIQ:
    """Build a VTAMIQ variant by name (``full``, ``lite``, ``tiny``) or from a config; ``overrides`` replace fields."""
    if isinstance(config, str):
        if config not in CONFIGS:
            raise KeyError(f"unknown VTAMIQ config {config!r}; expected one of {sorted(CONFIGS)}")
        config = CONFIGS[config]
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return VTAMIQ(dataclasses.replace(config, **overrides))


_WRAPPER_KEYS = ("model_state_dict", "state_dict", "params", "model")


def checkpoint_to_state_dict(obj) -> Dict[str, torch.Tensor]:
    """Official checkpoint object -> plain state_dict (the 2022 release wraps it under ``model_state_dict``)."""
    return unwrap_state_dict(obj, _WRAPPER_KEYS)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def example_inputs(cfg: VtamiqConfig, batch: int = 1, seed: int = 0, num_patches: int | None = None):
    """Random inputs in the model's ranges: patches ~ ImageNet-normalised values, uv in [0, 1), scales in range."""
    gen = torch.Generator().manual_seed(seed)
    n, p = num_patches or cfg.num_patches, cfg.patch_size
    ref = torch.rand(batch, n, 3, p, p, generator=gen) * 4 - 2
    dist = ref + 0.3 * torch.randn(batch, n, 3, p, p, generator=gen)
    uv = torch.rand(batch, n, 2, generator=gen) * (1 - 1e-6)
    s = torch.randint(0, cfg.num_scales, (batch, n, 1), generator=gen).expand(batch, n, 2).contiguous()
    return ref, dist, uv, s


def gflops(model: VTAMIQ, num_patches: int | None = None) -> float:
    """FLOPs (2 x MAC, conv/linear/matmul) per image pair with ``num_patches`` patches, in GFLOP."""
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(*example_inputs(model.cfg, 1, num_patches=num_patches))
    return counter.get_total_flops() / 1e9


# ---------------------------------------------------------------------------------------------------------------
# Serving contract (read by export/onnx_graph.py and export/repository.py to write model.json)
# ---------------------------------------------------------------------------------------------------------------

FAMILY = "fr-iqa"
LICENCE = "none declared upstream (ch-andrei/VTAMIQ has no licence file); independent re-implementation"
INPUT_NAMES = ("patches_ref", "patches_dist", "positions", "scales")
OUTPUT_NAMES = ("score",)
DYNAMIC_AXES = {
    "patches_ref": {0: "batch", 1: "patches"},
    "patches_dist": {0: "batch", 1: "patches"},
    "positions": {0: "batch", 1: "patches"},
    "scales": {0: "batch", 1: "patches"},
    "score": {0: "batch"},
}
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


class ExportGraph(nn.Module):
    """What the ONNX graph computes: the four patch-set inputs -> ``score [B]``."""

    def __init__(self, model: VTAMIQ):
        super().__init__()
        self.model = model

    def forward(self, patches_ref, patches_dist, positions, scales):
        return self.model(patches_ref, patches_dist, positions, scales)


def unfold_onnx_state(model: VTAMIQ, state: dict) -> dict:
    """The exporter folds ``cls_token + pos.cls() + scale.cls()`` into one constant; recovered from
    ONNX (:mod:`frameq_models.export.onnx_weights`), ``cls_token`` holds that sum: take the others back out."""
    emb = "transformer.embeddings."
    out = dict(state)
    cls = out[emb + "cls_token"] - out[emb + "positional_embeddings.positional_embeddings"][:, 0]
    if model.cfg.use_scale_embedding:
        cls = cls - out[emb + "scale_embeddings.scale_embeddings"][:, 0]
    out[emb + "cls_token"] = cls
    return out


def serving(cfg: VtamiqConfig) -> dict:
    """model.json blocks that follow from the architecture (see models/MODEL-JSON.md, policy ``patches``)."""
    p = cfg.patch_size
    return {
        "family": FAMILY,
        "preprocess": {
            "color_order": "RGB",
            "layout": "BNCHW",
            "scale": 255.0,
            "mean": IMAGENET_MEAN,
            "std": IMAGENET_STD,
            "crop": {"policy": "patches", "size": [p, p], "count": cfg.num_patches, "scales": cfg.num_scales,
                     "sampling": "caps"},
            "aggregate": "mean",
        },
        "score": {
            "direction": "lower-is-better",
            "range": [0.0, 1.0],
            "quality": {"kind": "linear", "low": 1.0, "high": 0.0},
        },
        "work_unit": f"image pair, {cfg.num_patches} patches of {p}x{p}",
        "licence": LICENCE,
    }
