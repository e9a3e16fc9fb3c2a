"""WACNN: the window-attention CNN codec of "The Devil Is in the Details" (learned image compression).

Paper: Renjie Zou, Chunfeng Song, Zhaoxiang Zhang, "The Devil Is in the Details: Window-based Attention for Image
Compression", CVPR 2022. Official code: https://github.com/Googolxx/STF (Apache-2.0; ``-a cnn``), built on CompressAI.
This file is an independent implementation written from the published description and the official state_dict layout
(key names and shapes, /work/shared/specs); no code was copied. Entropy models: ``frameq_models.archs.entropy_models``;
range coder: ``frameq_models.codec.rans``.

Network (``full`` = the published configuration, N 192, M 320, 10 slices of 32 channels, support 5):

- g_a: conv5x5/2 3->N, GDN, conv/2, GDN, WAM(N, win 8, shift 4), conv/2, GDN, conv/2 N->M, WAM(M, win 4, shift 2)
  -> y ``[M, H/16, W/16]``; g_s mirrors it with 5x5 stride-2 transposed convs and IGDN.
- WAM: ``x + conv_a(x) * sigmoid(conv_b(x))``; conv_a = 3 residual units, conv_b = window attention (shifted-window
  mask, relative position bias, + residual, no norm/MLP), 3 residual units, 1x1 conv.
- h_a: conv3x3 M->M, ->288, ->256 /2, ->224, ->N /2 (GELU between) -> z ``[N, H/64, W/64]``.
- h_mean_s, h_scale_s: conv N->N, subpel x2 ->224, conv ->256, subpel x2 ->288, conv ->M (GELU between).
- Channel-wise autoregression over slices: mu_i = cc_mean[i]([means, yhat_0..yhat_{k-1}]), sigma_i likewise from
  the scales, k = min(i, support); yhat_i = round(y_i - mu_i) + mu_i, then yhat_i += 0.5 tanh(lrp[i]([means,
  yhat_0..yhat_{k-1}, yhat_i])).
- z: EntropyBottleneck(N); y: GaussianConditional with the 64-entry scale table.

Configurations (``CONFIGS``): ``full`` (state_dict keys/shapes equal the official checkpoint, 75,235,779 parameters),
``lite`` (smaller widths, CPU serving) and ``tiny`` (tests). Inputs are RGB in [0, 1], H and W multiples of 64.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .entropy_models import GDN, EntropyBottleneck, GaussianConditional, default_scale_table

__all__ = ["WacnnConfig", "CONFIGS", "WACNN", "build", "checkpoint_to_state_dict"]


@dataclass(frozen=True)
class WacnnConfig:
    N: int = 192
    M: int = 320
    num_slices: int = 10
    max_support_slices: int = 5
    heads: int = 8
    windows: Tuple[int, int] = (8, 4)  # WAM after the 2nd GDN (dim N) and after the last conv (dim M)
    hyper_mid: Tuple[int, int, int] = (288, 256, 224)  # h_a widths after M->M; h_s runs them backwards
    cc_widths: Tuple[int, ...] = (224, 176, 128, 64)  # hidden widths of the cc_mean/cc_scale/lrp nets
    test_size: int = 256  # H = W used for GFLOPs and example inputs
    description: str = ""

    @property
    def slice_depth(self) -> int:
        return self.M // self.num_slices

    def validate(self) -> "WacnnConfig":
        if self.M % self.num_slices:
            raise ValueError(f"M {self.M} is not a multiple of num_slices {self.num_slices}")
        if self.N % self.heads or self.M % self.heads:
            raise ValueError("heads must divide N and M")
        if self.test_size % 64:
            raise ValueError("test_size must be a multiple of 64")
        return self


CONFIGS: Dict[str, WacnnConfig] = {
    "full": WacnnConfig(description="published WACNN (-a cnn): N 192, M 320, 10 slices, support 5"),
    "lite": WacnnConfig(N=48, M=96, num_slices=3, max_support_slices=2, heads=4, hyper_mid=(64, 56, 48),
                        cc_widths=(48, 32, 32), description="CPU variant: N 48, M 96, 3 slices of 32, support 2"),
    "tiny": WacnnConfig(N=8, M=16, num_slices=2, max_support_slices=1, heads=2, hyper_mid=(12, 12, 12),
                        cc_widths=(8,), test_size=64, description="tests only: N 8, M 16, 2 slices of 8"),
}


# ---------------------------------------------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------------------------------------------


def conv(cin: int, cout: int, k: int = 5, stride: int = 2) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2)


def deconv(cin: int, cout: int, k: int = 5, stride: int = 2) -> nn.ConvTranspose2d:
    return nn.ConvTranspose2d(cin, cout, k, stride=stride, padding=k // 2, output_padding=stride - 1)


def conv3x3(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1)


def subpel_conv3x3(cin: int, cout: int, r: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout * r * r, 3, padding=1), nn.PixelShuffle(r))


class ResidualUnit(nn.Module):
    """1x1 N->N/2, GELU, 3x3, GELU, 1x1 N/2->N, + identity, GELU."""

    def __init__(self, n: int):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(n, n // 2, 1), nn.GELU(), nn.Conv2d(n // 2, n // 2, 3, padding=1),
                                  nn.GELU(), nn.Conv2d(n // 2, n, 1))
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.conv(x) + x)


def relative_position_index(ws: int) -> torch.Tensor:
    coords = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij")).flatten(1)  # 2, ws*ws
    rel = coords[:, :, None] - coords[:, None, :] + (ws - 1)
    return rel[0] * (2 * ws - 1) + rel[1]


class WindowAttention(nn.Module):
    """Multi-head self-attention inside ws x ws windows with a learned relative position bias."""

    def __init__(self, dim: int, heads: int, ws: int):
        super().__init__()
        self.heads, self.ws = heads, ws
        self.scale = (dim // heads) ** -0.5
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * ws - 1) ** 2, heads))
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)
        self.register_buffer("relative_position_index", relative_position_index(ws))
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        """``x`` ``[Bw, T, C]`` (T = ws*ws); ``mask`` ``[nW, T, T]`` (0 / -100) or None."""
        bw, t, c = x.shape
        qkv = self.qkv(x).reshape(bw, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * self.scale, qkv[1], qkv[2]
        attn = q @ k.transpose(-2, -1)
        bias = self.relative_position_bias_table[self.relative_position_index.reshape(-1)]
        attn = attn + bias.reshape(t, t, -1).permute(2, 0, 1).unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = attn.reshape(-1, nw, self.heads, t, t) + mask.unsqueeze(1).unsqueeze(0)
            attn = attn.reshape(-1, self.heads, t, t)
        attn = attn.softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(bw, t, c))


def _windows(x: torch.Tensor, ws: int) -> torch.Tensor:
    """``[B, H, W, C]`` -> ``[B * nW, ws*ws, C]``."""
    b, h, w, c = x.shape
    x = x.reshape(b, h // ws, ws, w // ws, ws, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, ws * ws, c)


def _unwindows(x: torch.Tensor, ws: int, b: int, h: int, w: int) -> torch.Tensor:
    c = x.shape[-1]
    x = x.reshape(b, h // ws, w // ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(b, h, w, c)


def shift_mask(h: int, w: int, ws: int, shift: int, like: torch.Tensor) -> torch.Tensor:
    """Shifted-window mask ``[nW, T, T]`` (0 within a region, -100 across regions), built from tensor ops on the
    (possibly traced) sizes so that the ONNX graph stays correct for any H, W."""
    def regions(n):
        idx = torch.arange(n, device=like.device)
        return (idx >= n - ws).long() + (idx >= n - shift).long()

    region = regions(h)[:, None] * 3 + regions(w)[None, :]  # [h, w]
    win = _windows(region[None, :, :, None], ws)[..., 0]  # [nW, T]
    diff = win[:, :, None] != win[:, None, :]
    return diff.to(like.dtype) * -100.0


class WinBasedAttention(nn.Module):
    """Window attention on ``[B, C, H, W]`` (zero padding to the window, cyclic shift with mask) + residual."""

    def __init__(self, dim: int, heads: int, ws: int, shift: int):
        super().__init__()
        self.ws, self.shift = ws, shift
        self.attn = WindowAttention(dim, heads, ws)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        ws = self.ws
        t = x.permute(0, 2, 3, 1)
        pad_b, pad_r = (ws - h % ws) % ws, (ws - w % ws) % ws
        t = F.pad(t, (0, 0, 0, pad_r, 0, pad_b))
        hp, wp = t.shape[1], t.shape[2]
        mask = None
        if self.shift > 0:
            t = torch.roll(t, shifts=(-self.shift, -self.shift), dims=(1, 2))
            mask = shift_mask(hp, wp, ws, self.shift, t)
        out = _unwindows(self.attn(_windows(t, ws), mask), ws, b, hp, wp)
        if self.shift > 0:
            out = torch.roll(out, shifts=(self.shift, self.shift), dims=(1, 2))
        out = out[:, :h, :w, :].permute(0, 3, 1, 2)
        return x + out


class WAM(nn.Module):
    """Window attention module: ``x + conv_a(x) * sigmoid(conv_b(x))``."""

    def __init__(self, dim: int, heads: int, ws: int, shift: int):
        super().__init__()
        self.conv_a = nn.Sequential(ResidualUnit(dim), ResidualUnit(dim), ResidualUnit(dim))
        self.conv_b = nn.Sequential(WinBasedAttention(dim, heads, ws, shift), ResidualUnit(dim), ResidualUnit(dim),
                                    ResidualUnit(dim), nn.Conv2d(dim, dim, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv_a(x) * torch.sigmoid(self.conv_b(x))


def _entropy_net(cin: int, widths: Tuple[int, ...], cout: int) -> nn.Sequential:
    layers: List[nn.Module] = []
    dims = (cin, *widths)
    for a, b in zip(dims[:-1], dims[1:]):
        layers += [conv3x3(a, b), nn.GELU()]
    layers.append(conv3x3(dims[-1], cout))
    return nn.Sequential(*layers)


# ---------------------------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------------------------


def ste_round(x: torch.Tensor) -> torch.Tensor:
    return (torch.round(x) - x).detach() + x


class WACNN(nn.Module):
    def __init__(self, cfg: WacnnConfig):
        super().__init__()
        self.cfg = cfg.validate()
        n, m, h = cfg.N, cfg.M, cfg.heads
        w1, w2 = cfg.windows
        a, b, c = cfg.hyper_mid
        self.g_a = nn.Sequential(conv(3, n), GDN(n), conv(n, n), GDN(n), WAM(n, h, w1, w1 // 2), conv(n, n),
                                 GDN(n), conv(n, m), WAM(m, h, w2, w2 // 2))
        self.g_s = nn.Sequential(WAM(m, h, w2, w2 // 2), deconv(m, n), GDN(n, inverse=True), deconv(n, n),
                                 GDN(n, inverse=True), WAM(n, h, w1, w1 // 2), deconv(n, n), GDN(n, inverse=True),
                                 deconv(n, 3))
        self.h_a = nn.Sequential(conv3x3(m, m), nn.GELU(), conv3x3(m, a), nn.GELU(), conv3x3(a, b, stride=2),
                                 nn.GELU(), conv3x3(b, c), nn.GELU(), conv3x3(c, n, stride=2))

        def h_s() -> nn.Sequential:
            return nn.Sequential(conv3x3(n, n), nn.GELU(), subpel_conv3x3(n, c, 2), nn.GELU(), conv3x3(c, b),
                                 nn.GELU(), subpel_conv3x3(b, a, 2), nn.GELU(), conv3x3(a, m))

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

    # --- per-slice nets (what the ONNX graphs compute) ---

    def support_count(self, i: int) -> int:
        return min(i, self.cfg.max_support_slices)

    def slice_params(self, i: int, means: torch.Tensor, scales: torch.Tensor, support: List[torch.Tensor]):
        """(mu_i, sigma_i) for slice i from the hyper outputs and the first ``support_count(i)`` decoded slices."""
        support = support[:self.support_count(i)]
        mu = self.cc_mean_transforms[i](torch.cat([means, *support], dim=1))
        sigma = self.cc_scale_transforms[i](torch.cat([scales, *support], dim=1))
        return mu, sigma

    def slice_lrp(self, i: int, means: torch.Tensor, support: List[torch.Tensor], y_hat: torch.Tensor):
        """Latent residual prediction ``0.5 * tanh(lrp_i(...))`` added to the decoded slice."""
        support = support[:self.support_count(i)]
        return 0.5 * torch.tanh(self.lrp_transforms[i](torch.cat([means, *support, y_hat], dim=1)))

    # --- training forward ---

    def forward(self, x: torch.Tensor) -> dict:
        """Training/eval pass: ``{"x_hat", "likelihoods": {"y", "z"}}`` (uniform noise for the rates in training,
        straight-through rounding for the reconstructions)."""
        y = self.g_a(x)
        z = self.h_a(y)
        _, z_likelihoods = self.entropy_bottleneck(z)
        medians = self.entropy_bottleneck.medians().reshape(1, -1, 1, 1)
        z_hat = ste_round(z - medians) + medians
        means, scales = self.h_mean_s(z_hat), self.h_scale_s(z_hat)
        y_hats: List[torch.Tensor] = []
        likelihoods = []
        for i, y_i in enumerate(y.chunk(self.cfg.num_slices, dim=1)):
            mu, sigma = self.slice_params(i, means, scales, y_hats)
            _, lik = self.gaussian_conditional(y_i, sigma, mu)
            likelihoods.append(lik)
            y_hat = ste_round(y_i - mu) + mu
            y_hats.append(y_hat + self.slice_lrp(i, means, y_hats, y_hat))
        x_hat = self.g_s(torch.cat(y_hats, dim=1))
        return {"x_hat": x_hat, "likelihoods": {"y": torch.cat(likelihoods, dim=1), "z": z_likelihoods}}

    def aux_loss(self) -> torch.Tensor:
        return self.entropy_bottleneck.loss()

    @torch.no_grad()
    def update(self) -> None:
        """Build the integer CDF tables of both entropy models (call after training / loading weights)."""
        self.entropy_bottleneck.update()
        self.gaussian_conditional.update(default_scale_table())

    # --- reference codec (Python; Java reproduces it with the exported graphs) ---

    @torch.no_grad()
    def compress(self, x: torch.Tensor) -> dict:
        """One image ``[1, 3, H, W]`` (H, W multiples of 64) -> ``{"y": bytes, "z": bytes, "z_shape": (h, w)}``."""
        from ..codec.rans import RansEncoder

        y = self.g_a(x)
        z = self.h_a(y)
        eb, gc = self.entropy_bottleneck, self.gaussian_conditional
        z_sym = eb.symbols(z)
        z_idx = torch.arange(z.shape[1], dtype=torch.int32).reshape(1, -1, 1, 1).expand_as(z_sym)
        t = eb.tables()
        enc = RansEncoder()
        enc.encode_with_indexes(z_sym.reshape(-1).tolist(), z_idx.reshape(-1).tolist(), t["quantized_cdf"],
                                t["cdf_length"], t["offset"])
        z_bytes = enc.flush()
        z_hat = eb.dequantize(z_sym)
        means, scales = self.h_mean_s(z_hat), self.h_scale_s(z_hat)
        g = gc.tables()
        enc = RansEncoder()
        y_hats: List[torch.Tensor] = []
        symbols: List[torch.Tensor] = []
        for i, y_i in enumerate(y.chunk(self.cfg.num_slices, dim=1)):
            mu, sigma = self.slice_params(i, means, scales, y_hats)
            idx = gc.build_indexes(sigma)
            sym = torch.round(y_i - mu).to(torch.int32)
            symbols.append(sym)
            enc.encode_with_indexes(sym.reshape(-1).tolist(), idx.reshape(-1).tolist(), g["quantized_cdf"],
                                    g["cdf_length"], g["offset"])
            y_hat = sym.float() + mu
            y_hats.append(y_hat + self.slice_lrp(i, means, y_hats, y_hat))
        return {"y": enc.flush(), "z": z_bytes, "z_shape": tuple(z.shape[2:]),
                "y_symbols": torch.cat(symbols, dim=1), "z_symbols": z_sym}

    @torch.no_grad()
    def decompress(self, y_bytes: bytes, z_bytes: bytes, z_shape: Tuple[int, int], return_symbols: bool = False):
        """Inverse of ``compress``: the image ``[1, 3, 16 h_y, 16 w_y]`` in [0, 1] (and the decoded y symbols)."""
        from ..codec.rans import RansDecoder

        eb, gc = self.entropy_bottleneck, self.gaussian_conditional
        c, (zh, zw) = self.cfg.N, z_shape
        t = eb.tables()
        z_idx = torch.arange(c, dtype=torch.int32).reshape(1, -1, 1, 1).expand(1, c, zh, zw)
        z_sym = RansDecoder(z_bytes).decode_with_indexes(z_idx.reshape(-1).tolist(), t["quantized_cdf"],
                                                         t["cdf_length"], t["offset"])
        z_hat = eb.dequantize(torch.tensor(z_sym, dtype=torch.int32).reshape(1, c, zh, zw))
        means, scales = self.h_mean_s(z_hat), self.h_scale_s(z_hat)
        g = gc.tables()
        dec = RansDecoder(y_bytes)
        y_hats: List[torch.Tensor] = []
        symbols: List[torch.Tensor] = []
        for i in range(self.cfg.num_slices):
            mu, sigma = self.slice_params(i, means, scales, y_hats)
            idx = gc.build_indexes(sigma)
            sym = dec.decode_with_indexes(idx.reshape(-1).tolist(), g["quantized_cdf"], g["cdf_length"], g["offset"])
            sym = torch.tensor(sym, dtype=torch.int32).reshape(mu.shape)
            symbols.append(sym)
            y_hat = sym.float() + mu
            y_hats.append(y_hat + self.slice_lrp(i, means, y_hats, y_hat))
        x_hat = self.g_s(torch.cat(y_hats, dim=1)).clamp(0, 1)
        return (x_hat, torch.cat(symbols, dim=1)) if return_symbols else x_hat


def build(config: str | WacnnConfig = "lite", **overrides) -> WACNN:
    cfg = CONFIGS[config] if isinstance(config, str) else config
    overrides = {k: v for k, v in overrides.items() if v is not None and k in {f.name for f in dataclasses.fields(cfg)}}
    return WACNN(dataclasses.replace(cfg, **overrides))


_WRAPPER_KEYS = ("state_dict", "model_state_dict", "params", "model", "net")


def checkpoint_to_state_dict(obj) -> Dict[str, torch.Tensor]:
    """Official checkpoints are ``{epoch, state_dict, ...}``; strips ``module.`` and drops the unused ``h_s.*``."""
    if isinstance(obj, dict):
        for key in _WRAPPER_KEYS:
            if key in obj and isinstance(obj[key], dict):
                obj = obj[key]
                break
    state = {(k[7:] if k.startswith("module.") else k): v for k, v in obj.items()}
    return {k: v for k, v in state.items() if not k.startswith("h_s.")}


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def gflops(model: WACNN, size: int | None = None) -> float:
    """FLOPs (2 x MAC, conv/linear/matmul) of one forward pass (g_a, h_a, h_s, slices, g_s) per ``size``^2 image."""
    from torch.utils.flop_counter import FlopCounterMode

    size = size or model.cfg.test_size
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model.eval()(torch.zeros(1, 3, size, size))
    return counter.get_total_flops() / 1e9


FAMILY = "codec"
LICENCE = "Apache-2.0"  # Googolxx/STF (and its vendored CompressAI) are Apache-2.0
