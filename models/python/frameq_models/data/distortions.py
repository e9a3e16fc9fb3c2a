"""Synthetic image distortions for training and evaluating no-reference IQA models.

Two groups, both at five levels:

* the 25 distortion types of KADID-10k (Lin, Hosu, Saupe, QoMEX 2019), re-implemented from
  their published descriptions with our own parameters (the numbers below are chosen so that the
  five levels span "just visible" to "very annoying" on 224-256 px crops; they are not KADID's
  exact MATLAB settings);
* camera faults seen on surveillance and driving feeds: defocus, camera shake, low light with
  sensor noise, over-exposure, haze, lens dirt, rain drops, partial occlusion, and a
  camera-pipeline noise model (mosaic -> sensor noise -> demosaic -> in-camera denoise and
  sharpening -> JPEG) that produces realistic *mild* noise;
* delivery: ``rescale``, a picture made smaller (area filter) and shown at its original size again
  (bicubic), as a lower rung of a CDN bitrate ladder is compared with its origin.

The registry :data:`REGISTRY` is plain data (name, family, KADID id, parameter name, the parameter
at levels 1..5 and at level 0 = "no visible change").  Levels are continuous: ``level`` may be any
float in [0, 5]; the parameter is interpolated linearly between the table entries (rounded where
the implementation needs an integer, e.g. JPEG quality).

Every call is deterministic: :func:`apply` seeds its generator from ``(seed, type index)`` only,
so different levels of one type on one image share the same random pattern (noise field, motion
trajectory, blob positions) and differ only in strength.  OpenCV is used single-threaded.

Images are ``uint8`` RGB arrays of shape (H, W, 3); the output has the same shape and dtype.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

cv2.setNumThreads(1)

__all__ = [
    "DistortionType",
    "REGISTRY",
    "NAMES",
    "KADID_NAMES",
    "CAMERA_NAMES",
    "get",
    "param_at",
    "apply",
]


@dataclass(frozen=True)
class DistortionType:
    name: str
    family: str  # blur, color, compression, noise, brightness, spatial, sharpness, camera
    source: str  # "kadid", "camera" or "delivery"
    kadid_id: int | None
    param: str  # what the level parameter means
    levels: tuple[float, float, float, float, float]
    identity: float  # parameter value at level 0 (no visible change)
    integer: bool = False  # round the interpolated parameter


def _t(name, family, source, kid, param, levels, identity, integer=False):
    return DistortionType(name, family, source, kid, param, tuple(float(v) for v in levels),
                          float(identity), integer)


#: The distortion registry (data only; implementations are looked up by name).
REGISTRY: tuple[DistortionType, ...] = (
    _t("gaussian_blur", "blur", "kadid", 1, "sigma_px", (0.8, 1.3, 2.0, 3.2, 5.0), 0.0),
    _t("lens_blur", "blur", "kadid", 2, "disk_radius_px", (1.0, 1.8, 2.8, 4.2, 6.5), 0.0),
    _t("motion_blur", "blur", "kadid", 3, "length_px", (2.0, 4.0, 7.0, 11.0, 17.0), 0.0),
    _t("color_diffusion", "color", "kadid", 4, "ab_sigma_px", (1.5, 3.0, 6.0, 10.0, 15.0), 0.0),
    _t("color_shift", "color", "kadid", 5, "shift_px", (1.0, 2.0, 4.0, 6.5, 10.0), 0.0),
    _t("color_quantization", "color", "kadid", 6, "colors", (64, 40, 24, 14, 8), 256, True),
    _t("color_saturation_1", "color", "kadid", 7, "hsv_s_scale", (0.7, 0.5, 0.32, 0.16, 0.0), 1.0),
    _t("color_saturation_2", "color", "kadid", 8, "lab_ab_scale", (1.5, 2.0, 2.7, 3.6, 5.0), 1.0),
    _t("jpeg2000", "compression", "kadid", 9, "compression_ratio", (30, 60, 110, 180, 300), 4.0),
    _t("jpeg", "compression", "kadid", 10, "quality", (50, 35, 22, 12, 6), 98, True),
    _t("white_noise", "noise", "kadid", 11, "sigma", (0.02, 0.035, 0.05, 0.075, 0.11), 0.0),
    _t("color_noise", "noise", "kadid", 12, "chroma_sigma", (0.02, 0.04, 0.065, 0.1, 0.15), 0.0),
    _t("impulse_noise", "noise", "kadid", 13, "density", (0.003, 0.01, 0.025, 0.05, 0.09), 0.0),
    _t("multiplicative_noise", "noise", "kadid", 14, "sigma", (0.05, 0.1, 0.16, 0.24, 0.35), 0.0),
    _t("denoise", "noise", "kadid", 15, "noise_sigma", (0.03, 0.05, 0.075, 0.105, 0.15), 0.0),
    _t("brighten", "brightness", "kadid", 16, "gamma_amount", (0.25, 0.5, 0.85, 1.3, 2.0), 0.0),
    _t("darken", "brightness", "kadid", 17, "gamma_amount", (0.25, 0.5, 0.85, 1.3, 2.0), 0.0),
    _t("mean_shift", "brightness", "kadid", 18, "shift", (0.05, 0.1, 0.15, 0.22, 0.3), 0.0),
    _t("jitter", "spatial", "kadid", 19, "max_shift_px", (0.6, 1.1, 1.8, 2.7, 4.0), 0.0),
    _t("non_eccentricity_patch", "spatial", "kadid", 20, "patches_per_64k_px",
       (5, 10, 18, 28, 42), 0.0),
    _t("pixelate", "spatial", "kadid", 21, "block_px", (2.0, 3.0, 4.0, 6.0, 9.0), 1.0),
    _t("quantization", "spatial", "kadid", 22, "levels", (32, 20, 13, 9, 6), 256, True),
    _t("color_block", "spatial", "kadid", 23, "blocks_per_64k_px", (1, 2, 4, 6, 9), 0.0),
    _t("high_sharpen", "sharpness", "kadid", 24, "unsharp_amount", (1.0, 2.0, 3.5, 5.5, 8.5), 0.0),
    _t("contrast_change", "sharpness", "kadid", 25, "contrast_scale",
       (0.75, 0.6, 0.47, 0.36, 0.26), 1.0),
    # camera faults
    _t("defocus", "camera", "camera", None, "disk_radius_px", (1.5, 2.5, 3.8, 5.5, 8.0), 0.0),
    _t("camera_shake", "camera", "camera", None, "path_length_px", (3, 6, 10, 15, 22), 0.0),
    _t("low_light", "camera", "camera", None, "log2_underexposure", (1.5, 2.3, 3.2, 4.2, 5.3), 0.0),
    _t("over_exposure", "camera", "camera", None, "exposure_gain", (1.6, 2.2, 3.1, 4.4, 6.5), 1.0),
    _t("haze", "camera", "camera", None, "beta", (0.12, 0.25, 0.45, 0.75, 1.2), 0.0),
    _t("lens_dirt", "camera", "camera", None, "opacity", (0.15, 0.3, 0.45, 0.6, 0.78), 0.0),
    _t("rain_drops", "camera", "camera", None, "drops_per_64k_px", (3, 6, 11, 17, 26), 0.0),
    _t("occlusion", "camera", "camera", None, "area_fraction", (0.05, 0.1, 0.18, 0.28, 0.4), 0.0),
    _t("camera_noise", "camera", "camera", None, "log2_iso_gain", (1.0, 2.0, 3.0, 4.0, 5.0), 0.0),
    # delivery: a lower rung of an adaptive-bitrate ladder, shown at the origin size
    _t("rescale", "scaling", "delivery", None, "down_factor", (1.5, 2.0, 2.8, 4.0, 5.6), 1.0),
)

NAMES: tuple[str, ...] = tuple(t.name for t in REGISTRY)
KADID_NAMES: tuple[str, ...] = tuple(t.name for t in REGISTRY if t.source == "kadid")
CAMERA_NAMES: tuple[str, ...] = tuple(t.name for t in REGISTRY if t.source == "camera")
_INDEX = {t.name: i for i, t in enumerate(REGISTRY)}


def get(name: str) -> DistortionType:
    try:
        return REGISTRY[_INDEX[name]]
    except KeyError:
        raise KeyError(f"unknown distortion {name!r}; known: {', '.join(NAMES)}") from None


def param_at(dist: DistortionType | str, level: float) -> float:
    """Parameter of ``dist`` at a continuous ``level`` in [0, 5] (linear interpolation)."""
    if isinstance(dist, str):
        dist = get(dist)
    if not 0.0 <= level <= 5.0:
        raise ValueError(f"level must be in [0, 5], got {level}")
    p = float(np.interp(level, [0, 1, 2, 3, 4, 5], (dist.identity,) + dist.levels))
    return float(round(p)) if dist.integer else p


def apply(img: np.ndarray, name: str, level: float, seed: int = 0) -> np.ndarray:
    """Distort ``img`` (uint8 RGB HxWx3) with type ``name`` at ``level`` (0..5), deterministically."""
    if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"expected uint8 HxWx3 RGB, got {img.dtype} {img.shape}")
    dist = get(name)
    p = param_at(dist, level)
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, _INDEX[name]])
    if level == 0.0 and name != "camera_noise":
        return img.copy()
    out = _IMPL[name](img, p, rng)
    if out.dtype != np.uint8:
        out = _to_u8(out)
    return np.ascontiguousarray(out)


# ----------------------------------------------------------------------------- helpers

def _f32(img: np.ndarray) -> np.ndarray:
    return img.astype(np.float32) * np.float32(1.0 / 255.0)


def _to_u8(x: np.ndarray) -> np.ndarray:
    return np.clip(x * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _srgb_to_linear(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4).astype(np.float32)


def _linear_to_srgb(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return np.where(x <= 0.0031308, x * 12.92, 1.055 * np.power(x, 1 / 2.4) - 0.055).astype(
        np.float32)


def _gblur(x: np.ndarray, sigma: float) -> np.ndarray:
    if sigma <= 0.05:
        return x.copy()
    return cv2.GaussianBlur(x, (0, 0), sigmaX=float(sigma), borderType=cv2.BORDER_REFLECT_101)


def _disk_kernel(radius: float) -> np.ndarray:
    """Anti-aliased disk PSF of the given radius (supersampled 8x)."""
    r = max(float(radius), 0.5)
    half = int(np.ceil(r)) + 1
    ss = 8
    coords = (np.arange(-half * ss, (half + 1) * ss) + 0.5) / ss - 0.5
    yy, xx = np.meshgrid(coords, coords, indexing="ij")
    inside = (xx * xx + yy * yy <= r * r).astype(np.float32)
    n = 2 * half + 1
    k = inside[: n * ss, : n * ss].reshape(n, ss, n, ss).mean(axis=(1, 3))
    return k / k.sum()


def _splat_path(points: np.ndarray) -> np.ndarray:
    """PSF from a sampled path (N x 2 array of x, y) by bilinear splatting."""
    pts = points - points.mean(axis=0)
    half = int(np.ceil(np.abs(pts).max())) + 2
    n = 2 * half + 1
    k = np.zeros((n, n), np.float64)
    x = pts[:, 0] + half
    y = pts[:, 1] + half
    x0 = np.floor(x).astype(int)
    y0 = np.floor(y).astype(int)
    fx = x - x0
    fy = y - y0
    for dx, dy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                      (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        np.add.at(k, (y0 + dy, x0 + dx), w)
    return (k / k.sum()).astype(np.float32)


def _line_kernel(length: float, angle: float) -> np.ndarray:
    n = max(int(np.ceil(length * 4)), 2)
    t = np.linspace(-length / 2, length / 2, n)
    pts = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
    return _splat_path(pts)


def _shake_kernel(length: float, rng: np.random.Generator) -> np.ndarray:
    """Camera-shake PSF: a random walk with momentum, rescaled to the requested path length."""
    steps = 64
    v = rng.normal(size=2)
    v /= np.linalg.norm(v) + 1e-9
    pos = [np.zeros(2)]
    for _ in range(steps):
        v = 0.8 * v + 0.45 * rng.normal(size=2)
        v /= np.linalg.norm(v) + 1e-9
        pos.append(pos[-1] + v)
    pts = np.asarray(pos)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1).sum()
    pts *= length / max(seg, 1e-6)
    # densify
    dense = np.concatenate([np.linspace(pts[i], pts[i + 1], 6, endpoint=False)
                            for i in range(steps)] + [pts[-1:]], axis=0)
    return _splat_path(dense)


def _conv(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    return cv2.filter2D(x, -1, k, borderType=cv2.BORDER_REFLECT_101)


def _smooth_field(h: int, w: int, scale: float, rng: np.random.Generator) -> np.ndarray:
    """Smooth random field in [0, 1] with features of about ``scale`` pixels."""
    gh = max(int(np.ceil(h / scale)) + 2, 2)
    gw = max(int(np.ceil(w / scale)) + 2, 2)
    g = rng.random((gh, gw)).astype(np.float32)
    f = cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
    f -= f.min()
    return f / max(float(f.max()), 1e-6)


def _jpeg(img_u8: np.ndarray, quality: int, subsampling: int = 2) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(img_u8).save(buf, format="JPEG", quality=int(np.clip(quality, 1, 100)),
                                 subsampling=subsampling)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def _soft_disc_mask(h, w, cx, cy, rx, ry, angle, soft):
    mask = np.zeros((h, w), np.float32)
    cv2.ellipse(mask, (int(cx * 16), int(cy * 16)), (max(int(rx * 16), 16), max(int(ry * 16), 16)),
                float(angle), 0, 360, 1.0, -1, cv2.LINE_AA, 4)
    if soft > 0:
        mask = _gblur(mask, soft)
    return mask


def _area_count(per_64k: float, h: int, w: int, rng: np.random.Generator) -> int:
    expected = per_64k * h * w / 65536.0
    base = int(np.floor(expected))
    return base + int(rng.random() < expected - base)


# ----------------------------------------------------------------------------- KADID types

def _gaussian_blur(img, sigma, rng):
    return _gblur(_f32(img), sigma)


def _lens_blur(img, radius, rng):
    return _conv(_f32(img), _disk_kernel(radius))


def _motion_blur(img, length, rng):
    angle = rng.uniform(0, np.pi)
    return _conv(_f32(img), _line_kernel(length, angle))


def _lab(img):
    return cv2.cvtColor(_f32(img), cv2.COLOR_RGB2Lab)


def _from_lab(lab):
    return np.clip(cv2.cvtColor(lab.astype(np.float32), cv2.COLOR_Lab2RGB), 0, 1)


def _color_diffusion(img, sigma, rng):
    lab = _lab(img)
    lab[..., 1] = _gblur(np.ascontiguousarray(lab[..., 1]), sigma)
    lab[..., 2] = _gblur(np.ascontiguousarray(lab[..., 2]), sigma)
    return _from_lab(lab)


def _color_shift(img, shift, rng):
    x = _f32(img)
    ang = rng.uniform(0, 2 * np.pi)
    dx, dy = shift * np.cos(ang), shift * np.sin(ang)
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    h, w = x.shape[:2]
    g_shift = cv2.warpAffine(np.ascontiguousarray(x[..., 1]), m, (w, h), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REFLECT_101)
    gray = cv2.cvtColor(x, cv2.COLOR_RGB2GRAY)
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.sqrt(gx * gx + gy * gy)
    mask = _gblur(mag, 1.0 + shift / 2)
    mask = np.clip(mask / max(float(np.percentile(mask, 90)), 1e-4), 0, 1)
    x[..., 1] = x[..., 1] * (1 - mask) + g_shift * mask
    return x


def _color_quantization(img, colors, rng):
    pil = Image.fromarray(img)
    pal = pil.quantize(colors=int(colors), method=Image.Quantize.MEDIANCUT)
    q = pil.quantize(palette=pal, dither=Image.Dither.FLOYDSTEINBERG)
    return np.asarray(q.convert("RGB"))


def _color_saturation_1(img, scale, rng):
    hsv = cv2.cvtColor(_f32(img), cv2.COLOR_RGB2HSV)
    hsv[..., 1] = np.clip(hsv[..., 1] * scale, 0, 1)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


def _color_saturation_2(img, scale, rng):
    lab = _lab(img)
    lab[..., 1:] *= scale
    return _from_lab(lab)


def _jpeg2000(img, ratio, rng):
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG2000", quality_mode="rates",
                              quality_layers=[float(ratio)], irreversible=True)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def _jpeg_type(img, quality, rng):
    return _jpeg(img, int(quality))


def _white_noise(img, sigma, rng):
    x = _f32(img)
    return x + rng.standard_normal(x.shape, dtype=np.float32) * np.float32(sigma)


def _color_noise(img, sigma, rng):
    ycc = cv2.cvtColor(_f32(img), cv2.COLOR_RGB2YCrCb)
    n = rng.standard_normal(ycc.shape[:2] + (2,), dtype=np.float32) * np.float32(sigma)
    ycc[..., 1:] += n
    return cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB)


def _impulse_noise(img, density, rng):
    out = img.copy()
    u = rng.random(img.shape[:2])
    salt = rng.random(img.shape[:2]) < 0.5
    hit = u < density
    out[hit & salt] = 255
    out[hit & ~salt] = 0
    return out


def _multiplicative_noise(img, sigma, rng):
    x = _f32(img)
    return x * (1 + rng.standard_normal(x.shape, dtype=np.float32) * np.float32(sigma))


def _denoise(img, sigma, rng):
    noisy = _to_u8(_white_noise(img, sigma, rng))
    h = float(sigma * 255 * 0.9)
    return cv2.fastNlMeansDenoisingColored(noisy, None, h, h, 5, 13)


def _brighten(img, amount, rng):
    lab = _lab(img)
    lum = np.clip(lab[..., 0] / 100.0, 0, 1)
    lab[..., 0] = 100.0 * (1 - (1 - lum) ** (1 + amount))
    return _from_lab(lab)


def _darken(img, amount, rng):
    lab = _lab(img)
    lum = np.clip(lab[..., 0] / 100.0, 0, 1)
    lab[..., 0] = 100.0 * lum ** (1 + amount)
    return _from_lab(lab)


def _mean_shift(img, shift, rng):
    sign = 1.0 if rng.random() < 0.5 else -1.0
    return _f32(img) + np.float32(sign * shift)


def _jitter(img, amount, rng):
    h, w = img.shape[:2]
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    d = rng.uniform(-1, 1, size=(2, h, w)).astype(np.float32) * np.float32(amount)
    return cv2.remap(img, gx + d[0], gy + d[1], cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REFLECT_101)


def _non_eccentricity_patch(img, per_64k, rng):
    out = img.copy()
    h, w = img.shape[:2]
    s = int(np.clip(round(min(h, w) / 18), 6, 24))
    n = _area_count(per_64k, h, w, rng)
    for _ in range(n):
        y = int(rng.integers(0, h - s + 1))
        x = int(rng.integers(0, w - s + 1))
        oy = int(np.clip(y + rng.integers(-3 * s, 3 * s + 1), 0, h - s))
        ox = int(np.clip(x + rng.integers(-3 * s, 3 * s + 1), 0, w - s))
        out[y:y + s, x:x + s] = img[oy:oy + s, ox:ox + s]
    return out


def _pixelate(img, block, rng):
    h, w = img.shape[:2]
    sh, sw = max(1, int(round(h / block))), max(1, int(round(w / block)))
    small = cv2.resize(img, (sw, sh), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)


def _rescale(img, factor, rng):
    h, w = img.shape[:2]
    sh, sw = max(1, int(round(h / factor))), max(1, int(round(w / factor)))
    small = cv2.resize(img, (sw, sh), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _quantization(img, levels, rng):
    step = 255.0 / (levels - 1)
    return np.clip(np.round(img.astype(np.float32) / step) * step, 0, 255).astype(np.uint8)


def _color_block(img, per_64k, rng):
    out = img.copy()
    h, w = img.shape[:2]
    s = int(np.clip(round(min(h, w) / 10), 8, 48))
    n = max(1, _area_count(per_64k, h, w, rng))
    for _ in range(n):
        y = int(rng.integers(0, h - s + 1))
        x = int(rng.integers(0, w - s + 1))
        out[y:y + s, x:x + s] = rng.integers(0, 256, size=3, dtype=np.uint8)
    return out


def _high_sharpen(img, amount, rng):
    x = _f32(img)
    return x + np.float32(amount) * (x - _gblur(x, 1.5))


def _contrast_change(img, scale, rng):
    x = _f32(img)
    m = x.mean(axis=(0, 1), keepdims=True)
    return m + (x - m) * np.float32(scale)


# ----------------------------------------------------------------------------- camera faults

def _defocus(img, radius, rng):
    lin = _srgb_to_linear(_f32(img))
    k = _disk_kernel(radius)
    k = _gblur(k.astype(np.float32), 0.25 * radius)
    k /= k.sum()
    return _linear_to_srgb(_conv(lin, k))


def _camera_shake(img, length, rng):
    lin = _srgb_to_linear(_f32(img))
    return _linear_to_srgb(_conv(lin, _shake_kernel(length, rng)))


def _poisson_gaussian(lin, photons, read_e, rng):
    """Sensor noise on a linear signal: Poisson shot noise (photons at full scale) + read noise."""
    e = rng.poisson(np.clip(lin, 0, 1) * photons).astype(np.float32)
    e += rng.standard_normal(lin.shape, dtype=np.float32) * np.float32(read_e)
    return e / np.float32(photons)


def _low_light(img, stops, rng):
    # Scene exposure drops by 2**-stops; the camera's auto gain recovers 60 % of the stops,
    # so the frame is darker AND amplifies shot + read noise; a 10-bit ADC quantises the raw.
    lin = _srgb_to_linear(_f32(img))
    exposure = 2.0 ** (-stops)
    full_photons = 6000.0
    raw = _poisson_gaussian(lin * exposure, full_photons, 2.5, rng)
    raw = np.round(np.clip(raw, 0, 1) * 1023) / 1023
    gain = 2.0 ** (0.6 * stops)
    out = _linear_to_srgb(raw * gain)
    return _to_u8(out)


def _over_exposure(img, gain, rng):
    lin = _srgb_to_linear(_f32(img)) * np.float32(gain)
    return _linear_to_srgb(lin)


def _haze(img, beta, rng):
    x = _f32(img)
    h, w = x.shape[:2]
    ramp = np.linspace(1.0, 0.35, h, dtype=np.float32)[:, None]  # far at the top
    depth = 0.65 * ramp + 0.35 * _smooth_field(h, w, max(h, w) / 2.5, rng)
    t = np.exp(-beta * depth)[..., None]
    air = np.float32(rng.uniform(0.78, 0.95)) * np.array([1.0, 1.0, 1.02], np.float32)
    return x * t + air * (1 - t)


def _lens_dirt(img, opacity, rng):
    x = _f32(img)
    h, w = x.shape[:2]
    size = min(h, w)
    mask = np.zeros((h, w), np.float32)
    for _ in range(int(rng.integers(3, 7))):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        rx, ry = rng.uniform(0.1, 0.3) * size, rng.uniform(0.1, 0.3) * size
        m = _soft_disc_mask(h, w, cx, cy, rx, ry, rng.uniform(0, 180), 0.08 * size)
        mask = np.maximum(mask, m * rng.uniform(0.6, 1.0))
    mask *= np.float32(opacity)
    blurred = _gblur(x, 0.04 * size + 2)
    veil = np.float32(rng.uniform(0.55, 0.85))
    smear = 0.45 * blurred + 0.55 * veil  # scattered light fills the smudge
    return x * (1 - mask[..., None]) + smear * mask[..., None]


def _rain_drops(img, per_64k, rng):
    x = _f32(img)
    h, w = x.shape[:2]
    size = min(h, w)
    n = max(1, _area_count(per_64k, h, w, rng))
    blurred = _gblur(x, 0.02 * size + 2.0)
    out = x.copy()
    for _ in range(n):
        r = rng.uniform(0.015, 0.07) * size
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        ry = r * rng.uniform(1.0, 1.5)
        m = _soft_disc_mask(h, w, cx, cy, r, ry, rng.uniform(-20, 20), 0.15 * r + 0.5)
        # a drop refracts a blurred, inverted view of the scene: approximate by the blurred
        # frame mirrored about the drop centre, brightened a little, with a thin dark rim
        y0, y1 = int(max(cy - 2 * ry, 0)), int(min(cy + 2 * ry + 1, h))
        x0, x1 = int(max(cx - 2 * r, 0)), int(min(cx + 2 * r + 1, w))
        if y1 - y0 < 2 or x1 - x0 < 2:
            continue
        patch = blurred[y0:y1, x0:x1][::-1, ::-1] * 1.08 + 0.04
        rim = np.clip(m[y0:y1, x0:x1] * (1 - m[y0:y1, x0:x1]) * 4, 0, 1)[..., None] * 0.07
        mm = m[y0:y1, x0:x1, None]
        out[y0:y1, x0:x1] = out[y0:y1, x0:x1] * (1 - mm) + patch * mm - rim
    return out


def _occlusion(img, frac, rng):
    # an out-of-focus object close to the lens enters from one border
    x = _f32(img)
    h, w = x.shape[:2]
    side = int(rng.integers(0, 4))
    target = frac * h * w
    r = np.sqrt(target / np.pi) * 1.35
    along = rng.uniform(0.2, 0.8)
    if side == 0:
        cx, cy = along * w, -0.25 * r
    elif side == 1:
        cx, cy = along * w, h + 0.25 * r
    elif side == 2:
        cx, cy = -0.25 * r, along * h
    else:
        cx, cy = w + 0.25 * r, along * h
    soft = 0.03 * min(h, w) + 1
    m = _soft_disc_mask(h, w, cx, cy, r * rng.uniform(0.8, 1.2), r * rng.uniform(0.8, 1.2),
                        rng.uniform(0, 180), soft)
    base = np.float32(rng.uniform(0.08, 0.35)) * rng.uniform(0.8, 1.2, size=3).astype(np.float32)
    shade = 0.75 + 0.25 * _smooth_field(h, w, max(h, w) / 3, rng)
    obj = base[None, None, :] * shade[..., None]
    return x * (1 - m[..., None]) + obj * m[..., None]


def _camera_noise(img, stops, rng):
    """Camera pipeline: mosaic -> Poisson-Gaussian noise -> demosaic -> denoise -> sharpen -> JPEG.

    ``stops`` is the ISO gain over base in stops (0 = base ISO, almost no visible noise).
    """
    h, w = img.shape[:2]
    lin = _srgb_to_linear(_f32(img))
    # RGGB mosaic
    raw = np.empty((h, w), np.float32)
    raw[0::2, 0::2] = lin[0::2, 0::2, 0]
    raw[0::2, 1::2] = lin[0::2, 1::2, 1]
    raw[1::2, 0::2] = lin[1::2, 0::2, 1]
    raw[1::2, 1::2] = lin[1::2, 1::2, 2]
    # Poisson-Gaussian noise in its heteroscedastic Gaussian form, var = x / photons + read^2, with
    # one standard-normal field shared by all levels (same seed -> same grain, scaled); the
    # amplitude ramps in linearly below 1 stop, so level 0 is noise-free.
    photons = 8000.0 / (2.0 ** stops)
    read = (1.5 + 0.6 * stops) / photons
    z = rng.standard_normal(raw.shape, dtype=np.float32)
    sigma = np.sqrt(np.clip(raw, 0, 1) / photons + read * read) * min(stops, 1.0)
    raw = raw + sigma.astype(np.float32) * z
    raw16 = np.clip(np.round(raw * 4095), 0, 4095).astype(np.uint16) * 16
    # OpenCV's Bayer codes name the 2x2 pattern starting at the second row/column:
    # an RGGB sensor is COLOR_BayerBG2RGB in OpenCV's convention.
    rgb = cv2.cvtColor(raw16, cv2.COLOR_BayerBG2RGB).astype(np.float32) / 65535.0
    srgb = _linear_to_srgb(rgb)
    # in-camera noise reduction: light edge-preserving on luma, stronger blur on chroma
    # (fixed strength, so that visible noise grows monotonically with the gain)
    ycc = cv2.cvtColor(srgb, cv2.COLOR_RGB2YCrCb)
    ycc[..., 0] = cv2.bilateralFilter(np.ascontiguousarray(ycc[..., 0]), 5, 0.015, 1.2)
    ycc[..., 1] = _gblur(np.ascontiguousarray(ycc[..., 1]), 1.2)
    ycc[..., 2] = _gblur(np.ascontiguousarray(ycc[..., 2]), 1.2)
    # sharpening on luma
    amount = float(rng.uniform(0.4, 0.9))
    ycc[..., 0] = ycc[..., 0] + amount * (ycc[..., 0] - _gblur(np.ascontiguousarray(ycc[..., 0]), 1.0))
    out = cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB)
    quality = int(rng.integers(82, 95))
    return _jpeg(_to_u8(out), quality)


_IMPL = {
    "gaussian_blur": _gaussian_blur,
    "lens_blur": _lens_blur,
    "motion_blur": _motion_blur,
    "color_diffusion": _color_diffusion,
    "color_shift": _color_shift,
    "color_quantization": _color_quantization,
    "color_saturation_1": _color_saturation_1,
    "color_saturation_2": _color_saturation_2,
    "jpeg2000": _jpeg2000,
    "jpeg": _jpeg_type,
    "white_noise": _white_noise,
    "color_noise": _color_noise,
    "impulse_noise": _impulse_noise,
    "multiplicative_noise": _multiplicative_noise,
    "denoise": _denoise,
    "brighten": _brighten,
    "darken": _darken,
    "mean_shift": _mean_shift,
    "jitter": _jitter,
    "non_eccentricity_patch": _non_eccentricity_patch,
    "pixelate": _pixelate,
    "quantization": _quantization,
    "color_block": _color_block,
    "high_sharpen": _high_sharpen,
    "contrast_change": _contrast_change,
    "defocus": _defocus,
    "camera_shake": _camera_shake,
    "low_light": _low_light,
    "over_exposure": _over_exposure,
    "haze": _haze,
    "lens_dirt": _lens_dirt,
    "rain_drops": _rain_drops,
    "occlusion": _occlusion,
    "camera_noise": _camera_noise,
    "rescale": _rescale,
}

assert set(_IMPL) == set(NAMES), "registry and implementations disagree"
