"""Classic full-reference quality metrics, following the reference MATLAB implementations.

* :func:`ssim` - Wang, Bovik, Sheikh, Simoncelli (2004), ``ssim.m`` conventions: 11x11 Gaussian
  window (sigma 1.5), K = (0.01, 0.03), L = 255, ``filter2(..., 'valid')`` statistics and the
  *automatic downsampling* of the 2009 release: ``f = max(1, round(min(M, N) / 256))``, an f x f
  box filter with symmetric padding, then every f-th pixel.
* :func:`ms_ssim` - Wang, Simoncelli, Bovik (2003), ``msssim.m``: five scales, weights
  (0.0448, 0.2856, 0.3001, 0.2363, 0.1333), 2x2 box filter (symmetric padding) and decimation
  between scales, contrast-structure terms at scales 1..4 and the full SSIM at scale 5.
* :func:`gmsd` - Xue, Zhang, Mou, Bovik (2014), ``GMSD.m``: 2x2 mean filter (zero padding,
  ``conv2 'same'``) and decimation by 2, Prewitt gradients /3, T = 170, standard deviation
  (N - 1 normalisation) of the gradient-magnitude similarity map. Lower is better.

Inputs are arrays on the 0..255 scale: 2-D grey or H x W x 3 RGB. RGB inputs are reduced to
luminance Y = 0.299 R + 0.587 G + 0.114 B in double precision (the Y of YIQ, ``rgb2ntsc``); with
this conversion GMSD reproduces the published MATLAB value for TID2013 i01_01_5 vs I01 to 1e-15.
The published SSIM for that RGB pair (0.7842) is matched by the mean of per-channel SSIMs
(``color="channels"``, the convention of the piq package), not by luminance SSIM (0.880).
The argument order is (distorted, reference), as in the reference code.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["luminance", "ssim", "ms_ssim", "ms_ssim_and_ssim", "gmsd", "MS_SSIM_WEIGHTS"]

MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
_LUMA = (0.299, 0.587, 0.114)


def luminance(img: np.ndarray) -> np.ndarray:
    """Y = 0.299 R + 0.587 G + 0.114 B as float64 (grey input is returned as float64)."""
    img = np.asarray(img)
    if img.ndim == 2:
        return img.astype(np.float64)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"expected HxW or HxWx3, got {img.shape}")
    x = img.astype(np.float64)
    return x[..., 0] * _LUMA[0] + x[..., 1] * _LUMA[1] + x[..., 2] * _LUMA[2]


def _gray_pair(dist, ref):
    a, b = luminance(dist), luminance(ref)
    if a.shape != b.shape:
        raise ValueError(f"images differ in size: {a.shape} vs {b.shape}")
    return a, b


def _gaussian_window(size: int = 11, sigma: float = 1.5) -> np.ndarray:
    """1-D factor of ``fspecial('gaussian', size, sigma)`` (the 2-D window is its outer product;
    fspecial's eps-threshold zeroes nothing for size 11, sigma 1.5)."""
    r = (size - 1) / 2.0
    x = np.arange(size) - r
    g = np.exp(-(x ** 2) / (2 * sigma * sigma))
    return g / g.sum()


def _filter_valid(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """MATLAB ``filter2(outer(g, g), x, 'valid')``, computed separably."""
    k = len(g)
    full = cv2.sepFilter2D(x, cv2.CV_64F, g, g, anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)
    return full[: x.shape[0] - k + 1, : x.shape[1] - k + 1]


def _box_symmetric_decimate(x: np.ndarray, f: int) -> np.ndarray:
    """``imfilter(x, ones(f)/f^2, 'symmetric', 'same')`` then ``x(1:f:end, 1:f:end)``."""
    if f <= 1:
        return x
    c = (f + 1) // 2  # MATLAB centre of an f-tap kernel (1-based)
    before, after = c - 1, f - c
    p = np.pad(x, ((before, after), (before, after)), mode="symmetric")
    s = np.zeros_like(x)
    for dy in range(f):
        for dx in range(f):
            s += p[dy:dy + x.shape[0], dx:dx + x.shape[1]]
    s /= f * f
    return s[::f, ::f]


def _ssim_stats(a, b, win, data_range):
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    mu1 = _filter_valid(a, win)
    mu2 = _filter_valid(b, win)
    mu1_sq, mu2_sq, mu12 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    s1 = _filter_valid(a * a, win) - mu1_sq
    s2 = _filter_valid(b * b, win) - mu2_sq
    s12 = _filter_valid(a * b, win) - mu12
    cs_map = (2 * s12 + c2) / (s1 + s2 + c2)
    ssim_map = ((2 * mu12 + c1) / (mu1_sq + mu2_sq + c1)) * cs_map
    return float(ssim_map.mean()), float(cs_map.mean())


def ssim(dist: np.ndarray, ref: np.ndarray, data_range: float = 255.0,
         downsample: bool = True, color: str = "luma") -> float:
    """Mean SSIM with Wang's ``ssim.m`` conventions (automatic downsampling by default).

    ``color``: "luma" (SSIM of the luminance) or "channels" (mean of the per-channel SSIMs of an
    RGB pair).
    """
    if color == "channels":
        dist, ref = np.asarray(dist), np.asarray(ref)
        if dist.ndim != 3:
            raise ValueError("color='channels' needs HxWx3 inputs")
        return float(np.mean([ssim(dist[..., c], ref[..., c], data_range, downsample)
                              for c in range(dist.shape[2])]))
    if color != "luma":
        raise ValueError(f"color must be 'luma' or 'channels', got {color!r}")
    a, b = _gray_pair(dist, ref)
    if downsample:
        f = max(1, int(np.floor(min(a.shape) / 256.0 + 0.5)))
        a, b = _box_symmetric_decimate(a, f), _box_symmetric_decimate(b, f)
    win = _gaussian_window()
    if min(a.shape) < len(win):
        raise ValueError(f"image too small for SSIM: {a.shape}")
    return _ssim_stats(a, b, win, data_range)[0]


def ms_ssim(dist: np.ndarray, ref: np.ndarray, data_range: float = 255.0) -> float:
    """Multi-scale SSIM (``msssim.m``); images need at least 176 px on the short side.

    Negative contrast-structure terms (possible for inverted content) are clamped at 0, so the
    product stays real-valued.
    """
    return ms_ssim_and_ssim(dist, ref, data_range)[0]


def ms_ssim_and_ssim(dist: np.ndarray, ref: np.ndarray,
                     data_range: float = 255.0) -> tuple[float, float]:
    """(MS-SSIM, single-scale SSIM without downsampling) sharing the first-scale statistics."""
    a, b = _gray_pair(dist, ref)
    win = _gaussian_window()
    need = len(win) * 2 ** (len(MS_SSIM_WEIGHTS) - 1)
    if min(a.shape) < need:
        raise ValueError(f"image too small for 5-scale MS-SSIM (needs {need} px): {a.shape}")
    vals = []
    first = None
    for i, w in enumerate(MS_SSIM_WEIGHTS):
        s, cs = _ssim_stats(a, b, win, data_range)
        first = s if first is None else first
        last = i == len(MS_SSIM_WEIGHTS) - 1
        vals.append(max(s if last else cs, 0.0) ** w)
        if not last:
            a, b = _box_symmetric_decimate(a, 2), _box_symmetric_decimate(b, 2)
    return float(np.prod(vals)), float(first)


def _conv2_same_zero(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """MATLAB ``conv2(x, k, 'same')`` with zero padding."""
    kh, kw = k.shape
    kf = k[::-1, ::-1]  # convolution = correlation with the flipped kernel
    # 'same' takes the full result from index floor(k/2) on (0-based)
    top, left = (kh - 1) - kh // 2, (kw - 1) - kw // 2
    p = np.pad(x, ((top, kh - 1 - top), (left, kw - 1 - left)))
    out = np.zeros_like(x, dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            if kf[i, j] != 0:
                out += kf[i, j] * p[i:i + x.shape[0], j:j + x.shape[1]]
    return out


def gmsd(dist: np.ndarray, ref: np.ndarray, t: float = 170.0) -> float:
    """Gradient Magnitude Similarity Deviation (``GMSD.m``); 0 for identical images."""
    a, b = _gray_pair(dist, ref)
    ave = np.full((2, 2), 0.25)
    a = _conv2_same_zero(a, ave)[::2, ::2]
    b = _conv2_same_zero(b, ave)[::2, ::2]
    dx = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], np.float64) / 3.0
    dy = dx.T
    g1 = np.sqrt(_conv2_same_zero(a, dx) ** 2 + _conv2_same_zero(a, dy) ** 2)
    g2 = np.sqrt(_conv2_same_zero(b, dx) ** 2 + _conv2_same_zero(b, dy) ** 2)
    q = (2 * g1 * g2 + t) / (g1 * g1 + g2 * g2 + t)
    return float(np.std(q, ddof=1))
