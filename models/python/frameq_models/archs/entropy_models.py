"""Entropy models and GDN for the learned codecs (WACNN, STF), written from the published descriptions.

Facts used (Ballé et al. 2017/2018 "variational image compression with a scale hyperprior"; CompressAI's documented
behaviour and its state_dict layout; /work/shared/specs/seed-models.md section 5). No code was copied.

- ``LowerBound``: ``max(x, bound)`` whose gradient passes where ``x >= bound`` or the gradient pushes ``x`` upwards.
- ``NonNegativeParametrizer``: stores ``sqrt(max(v + pedestal, pedestal))``; effective value
  ``max(stored, bound)^2 - pedestal`` with ``pedestal = 2^-36`` and ``bound = sqrt(minimum + pedestal)``.
- ``GDN``: ``y = x / sqrt(beta + conv1x1(x^2, gamma))``; ``IGDN`` multiplies by the square root instead.
- ``EntropyBottleneck``: the factorized prior (per-channel monotone density of filters (3, 3, 3, 3)).
- ``GaussianConditional``: a Gaussian with a per-element scale, quantised to a table of 64 scales.
- ``pmf_to_quantized_cdf``: probability mass -> 16-bit integer CDF, with the zero-frequency fix.

Integer tables (``_quantized_cdf`` int32 ``[rows, max_len]``, ``_cdf_length`` int32 ``[rows]``, ``_offset`` int32
``[rows]``) are what a range coder needs; ``update()`` builds them (see ``frameq_models.codec.rans`` for the coder).
"""

from __future__ import annotations

import math
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

PRECISION = 16  # bits of the quantised CDFs (total frequency 65536)
TAIL_MASS = 1e-9
LIKELIHOOD_BOUND = 1e-9
SCALE_BOUND = 0.11
SCALE_TABLE_SIZE = 64
SCALE_TABLE_MAX = 256.0


def default_scale_table() -> torch.Tensor:
    """64 scales, log-spaced from 0.11 to 256."""
    return torch.exp(torch.linspace(math.log(SCALE_BOUND), math.log(SCALE_TABLE_MAX), SCALE_TABLE_SIZE))


# ---------------------------------------------------------------------------------------------------------------
# Bounds and GDN
# ---------------------------------------------------------------------------------------------------------------


class _LowerBoundFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, bound):
        ctx.save_for_backward(x, bound)
        return torch.max(x, bound)

    @staticmethod
    def backward(ctx, grad):
        x, bound = ctx.saved_tensors
        passes = (x >= bound) | (grad < 0)
        return passes.type(grad.dtype) * grad, None


class LowerBound(nn.Module):
    """``max(x, bound)``; keeps gradients that would lift ``x`` above the bound (training only)."""

    def __init__(self, bound: float):
        super().__init__()
        self.register_buffer("bound", torch.tensor([float(bound)]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if torch.jit.is_tracing() or not torch.is_grad_enabled():
            return torch.max(x, self.bound)
        return _LowerBoundFn.apply(x, self.bound)


class NonNegativeParametrizer(nn.Module):
    """Re-parametrisation that keeps a parameter >= ``minimum`` (stores a square root, offset by a pedestal)."""

    def __init__(self, minimum: float = 0.0, reparam_offset: float = 2.0 ** -18):
        super().__init__()
        pedestal = reparam_offset ** 2
        self.register_buffer("pedestal", torch.tensor([pedestal]))
        self.lower_bound = LowerBound((minimum + pedestal) ** 0.5)

    def init(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sqrt(torch.max(x + self.pedestal, self.pedestal))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lower_bound(x) ** 2 - self.pedestal


class GDN(nn.Module):
    """Generalized divisive normalisation (``inverse=True``: IGDN)."""

    def __init__(self, channels: int, inverse: bool = False, beta_min: float = 1e-6, gamma_init: float = 0.1):
        super().__init__()
        self.inverse = inverse
        self.beta_reparam = NonNegativeParametrizer(minimum=beta_min)
        self.gamma_reparam = NonNegativeParametrizer()
        # parameters are registered before the parametrizers only in the state_dict order (params come first)
        self.beta = nn.Parameter(self.beta_reparam.init(torch.ones(channels)))
        self.gamma = nn.Parameter(self.gamma_reparam.init(gamma_init * torch.eye(channels)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        c = x.shape[1]
        beta = self.beta_reparam(self.beta)
        gamma = self.gamma_reparam(self.gamma).reshape(c, c, 1, 1)
        norm = torch.sqrt(F.conv2d(x * x, gamma, beta))
        return x * norm if self.inverse else x / norm


# ---------------------------------------------------------------------------------------------------------------
# pmf -> quantised CDF
# ---------------------------------------------------------------------------------------------------------------


def _round_half_away(x: np.ndarray) -> np.ndarray:
    f = np.floor(x)
    return np.where(x - f >= 0.5, f + 1, f)


def pmf_to_quantized_cdf(pmf: Sequence[float], precision: int = PRECISION) -> np.ndarray:
    """Integer CDF (length ``len(pmf) + 1``, first 0, last ``2**precision``) with no zero-width interval.

    ``pmf`` holds the symbol probabilities followed by the tail mass (float32 values, as the reference coder gets
    them). Steps: frequencies ``round(p * 2^precision)`` (half away from zero), rescale to the total with integer
    division, prefix sum, force the last entry, then give every zero-width interval one count stolen from the
    interval with the smallest frequency above 1 (scanning intervals in order)."""
    p = np.asarray(pmf, dtype=np.float32).astype(np.float64)
    total_freq = 1 << precision
    freq = _round_half_away(p * total_freq).astype(np.int64)
    freq = np.maximum(freq, 0)
    cdf = np.zeros(len(p) + 1, dtype=np.int64)
    cdf[1:] = freq
    total = int(cdf.sum())
    if total <= 0:
        raise ValueError("pmf has no mass")
    cdf = (total_freq * cdf) // total
    cdf = np.cumsum(cdf)
    cdf[-1] = total_freq
    for i in range(len(cdf) - 1):
        if cdf[i] != cdf[i + 1]:
            continue
        widths = np.diff(cdf)
        candidates = np.where(widths > 1, widths, np.iinfo(np.int64).max)
        steal = int(np.argmin(candidates))
        if candidates[steal] == np.iinfo(np.int64).max:
            raise ValueError("cannot fix a zero-width interval: no interval wider than 1")
        if steal < i:
            cdf[steal + 1:i + 1] -= 1
        else:
            cdf[i + 1:steal + 1] += 1
    return cdf


def _pack_cdfs(pmfs, tails, lengths) -> Tuple[torch.Tensor, torch.Tensor]:
    """Rows of quantised CDFs padded with zeros to ``max(length) + 2``; returns (cdf int32, cdf_length int32)."""
    rows = len(lengths)
    max_len = int(max(lengths)) + 2
    table = np.zeros((rows, max_len), dtype=np.int32)
    for r in range(rows):
        n = int(lengths[r])
        cdf = pmf_to_quantized_cdf(np.concatenate([pmfs[r][:n], tails[r:r + 1]]))
        table[r, :n + 2] = cdf
    return torch.from_numpy(table), torch.tensor(np.asarray(lengths) + 2, dtype=torch.int32)


def _normal_cdf(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * torch.erfc(-x / math.sqrt(2.0))


class EntropyModel(nn.Module):
    """Shared buffers: ``_offset``, ``_quantized_cdf``, ``_cdf_length`` (int32, empty until ``update()``)."""

    def __init__(self):
        super().__init__()
        self.likelihood_lower_bound = LowerBound(LIKELIHOOD_BOUND)
        self.register_buffer("_offset", torch.zeros(0, dtype=torch.int32))
        self.register_buffer("_quantized_cdf", torch.zeros(0, dtype=torch.int32))
        self.register_buffer("_cdf_length", torch.zeros(0, dtype=torch.int32))

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # table buffers change size with update(): take the checkpoint's shapes before copying
        for name in ("_offset", "_quantized_cdf", "_cdf_length", "scale_table"):
            key = prefix + name
            if key in state_dict and hasattr(self, name):
                getattr(self, name).resize_(state_dict[key].shape)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def tables(self) -> dict:
        """The integer tables a range coder needs, as numpy int32 arrays."""
        if self._quantized_cdf.numel() == 0:
            raise RuntimeError("entropy tables are empty: call update() first")
        return {"quantized_cdf": self._quantized_cdf.numpy().astype(np.int32),
                "cdf_length": self._cdf_length.numpy().astype(np.int32),
                "offset": self._offset.numpy().astype(np.int32)}


def _noise_or_round(x: torch.Tensor, training: bool, means: Optional[torch.Tensor]) -> torch.Tensor:
    if training:
        return x + torch.empty_like(x).uniform_(-0.5, 0.5)
    if means is None:
        return torch.round(x)
    return torch.round(x - means) + means


class EntropyBottleneck(EntropyModel):
    """Factorized prior for z: per channel, a monotone cumulative ``c(v)`` built from small dense layers."""

    def __init__(self, channels: int, filters: Sequence[int] = (3, 3, 3, 3), init_scale: float = 10.0,
                 tail_mass: float = TAIL_MASS):
        super().__init__()
        self.channels = channels
        self.filters = tuple(filters)
        self.tail_mass = tail_mass
        dims = (1, *self.filters, 1)
        scale = init_scale ** (1.0 / (len(self.filters) + 1))
        for i in range(len(self.filters) + 1):
            init = math.log(math.expm1(1.0 / scale / dims[i + 1]))
            self.register_parameter(f"_matrix{i}", nn.Parameter(torch.full((channels, dims[i + 1], dims[i]), init)))
            self.register_parameter(f"_bias{i}", nn.Parameter(torch.rand(channels, dims[i + 1], 1) - 0.5))
            if i < len(self.filters):
                self.register_parameter(f"_factor{i}", nn.Parameter(torch.zeros(channels, dims[i + 1], 1)))
        self.quantiles = nn.Parameter(torch.tensor([-init_scale, 0.0, init_scale]).repeat(channels, 1, 1))
        t = math.log(2.0 / tail_mass - 1.0)
        self.register_buffer("target", torch.tensor([-t, 0.0, t]))

    def medians(self) -> torch.Tensor:
        return self.quantiles[:, 0, 1].detach()

    def logits_cumulative(self, v: torch.Tensor, stop_gradient: bool = False) -> torch.Tensor:
        """``v`` ``[C, 1, N]`` -> logits of the cumulative ``[C, 1, N]``."""
        logits = v
        for i in range(len(self.filters) + 1):
            matrix = getattr(self, f"_matrix{i}")
            bias = getattr(self, f"_bias{i}")
            if stop_gradient:
                matrix, bias = matrix.detach(), bias.detach()
            logits = torch.matmul(F.softplus(matrix), logits) + bias
            if i < len(self.filters):
                factor = getattr(self, f"_factor{i}")
                if stop_gradient:
                    factor = factor.detach()
                logits = logits + torch.tanh(factor) * torch.tanh(logits)
        return logits

    def _likelihood(self, v: torch.Tensor, stop_gradient: bool = False):
        lower = self.logits_cumulative(v - 0.5, stop_gradient)
        upper = self.logits_cumulative(v + 0.5, stop_gradient)
        sign = -torch.sign(lower + upper).detach()
        return torch.abs(torch.sigmoid(sign * upper) - torch.sigmoid(sign * lower)), lower, upper

    def loss(self) -> torch.Tensor:
        """Auxiliary loss that moves ``quantiles`` to the tail/median/tail points of the density."""
        logits = self.logits_cumulative(self.quantiles, stop_gradient=True)
        return torch.abs(logits - self.target).sum()

    def forward(self, x: torch.Tensor, training: Optional[bool] = None) -> Tuple[torch.Tensor, torch.Tensor]:
        """``x`` ``[B, C, H, W]`` -> (noisy or rounded x, likelihoods)."""
        training = self.training if training is None else training
        b, c, h, w = x.shape
        v = x.permute(1, 0, 2, 3).reshape(c, 1, -1)
        medians = self.quantiles[:, :, 1:2].detach()
        v_hat = _noise_or_round(v, training, None if training else medians)
        lik, _, _ = self._likelihood(v_hat)
        lik = self.likelihood_lower_bound(lik)
        back = lambda t: t.reshape(c, b, h, w).permute(1, 0, 2, 3)
        return back(v_hat), back(lik)

    @torch.no_grad()
    def update(self) -> None:
        """Build ``_offset``, ``_quantized_cdf``, ``_cdf_length`` from the learned density and quantiles."""
        medians = self.quantiles[:, 0, 1]
        minima = torch.ceil(medians - self.quantiles[:, 0, 0]).int().clamp(min=0)
        maxima = torch.ceil(self.quantiles[:, 0, 2] - medians).int().clamp(min=0)
        self._offset = (-minima).to(torch.int32)
        start = medians - minima
        length = maxima + minima + 1
        max_length = int(length.max())
        samples = torch.arange(max_length, dtype=torch.float32)[None, :] + start[:, None]
        pmf, lower, upper = self._likelihood(samples[:, None, :], stop_gradient=True)
        pmf = pmf[:, 0, :]
        tail = torch.sigmoid(lower[:, 0, :1]) + torch.sigmoid(-upper[:, 0, -1:])
        cdf, cdf_length = _pack_cdfs(pmf.numpy(), tail[:, 0].numpy(), length.numpy())
        self._quantized_cdf, self._cdf_length = cdf, cdf_length

    def symbols(self, z: torch.Tensor) -> torch.Tensor:
        """Integer symbols ``round(z - median_c)`` (int32, half to even)."""
        return torch.round(z - self.medians().reshape(1, -1, 1, 1)).to(torch.int32)

    def dequantize(self, symbols: torch.Tensor) -> torch.Tensor:
        return symbols.float() + self.medians().reshape(1, -1, 1, 1)


class GaussianConditional(EntropyModel):
    """Gaussian conditional for y with scales quantised to ``scale_table`` (index = first table entry >= sigma)."""

    def __init__(self, scale_table: Optional[torch.Tensor] = None, scale_bound: float = SCALE_BOUND,
                 tail_mass: float = TAIL_MASS):
        super().__init__()
        self.tail_mass = tail_mass
        self.register_buffer("scale_table", torch.zeros(0) if scale_table is None else scale_table.clone())
        self.register_buffer("scale_bound", torch.tensor([float(scale_bound)]))
        self.lower_bound_scale = LowerBound(scale_bound)

    def likelihood(self, values: torch.Tensor, scales: torch.Tensor, means: Optional[torch.Tensor] = None):
        if means is not None:
            values = values - means
        scales = self.lower_bound_scale(scales)
        values = torch.abs(values)
        upper = _normal_cdf((0.5 - values) / scales)
        lower = _normal_cdf((-0.5 - values) / scales)
        return upper - lower

    def forward(self, x: torch.Tensor, scales: torch.Tensor, means: Optional[torch.Tensor] = None,
                training: Optional[bool] = None) -> Tuple[torch.Tensor, torch.Tensor]:
        training = self.training if training is None else training
        x_hat = _noise_or_round(x, training, means)
        return x_hat, self.likelihood_lower_bound(self.likelihood(x_hat, scales, means))

    @torch.no_grad()
    def update(self, scale_table: Optional[torch.Tensor] = None) -> None:
        """Build the tables for ``scale_table`` (default: the 64 log-spaced scales 0.11 .. 256)."""
        table = default_scale_table() if scale_table is None else scale_table
        self.scale_table = table.clone().float()
        multiplier = -_ndtri(self.tail_mass / 2)
        center = torch.ceil(self.scale_table * multiplier).int()
        length = 2 * center + 1
        max_length = int(length.max())
        samples = torch.abs(torch.arange(max_length)[None, :].int() - center[:, None]).float()
        s = self.scale_table[:, None]
        upper = _normal_cdf((0.5 - samples) / s)
        lower = _normal_cdf((-0.5 - samples) / s)
        pmf = upper - lower
        tail = 2 * lower[:, 0]
        cdf, cdf_length = _pack_cdfs(pmf.numpy(), tail.numpy(), length.numpy())
        self._quantized_cdf, self._cdf_length = cdf, cdf_length
        self._offset = (-center).to(torch.int32)

    def build_indexes(self, scales: torch.Tensor) -> torch.Tensor:
        """Table row per element: the smallest k with ``sigma <= table[k]``, clamped to the last row (int32)."""
        scales = self.lower_bound_scale(scales)
        indexes = torch.full(scales.shape, len(self.scale_table) - 1, dtype=torch.int32)
        for s in self.scale_table[:-1]:
            indexes -= (scales <= s).to(torch.int32)
        return indexes


def _ndtri(p: float) -> float:
    """Inverse of the standard normal CDF (bisection on erfc; float64, enough for table building)."""
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if 0.5 * math.erfc(-mid / math.sqrt(2.0)) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
