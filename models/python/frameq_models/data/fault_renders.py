"""Synthetic camera faults rendered on clean photos, for training the fault-head classifier (archs/faulthead.py).

Each renderer takes a clean HxWx3 uint8 RGB image and a numpy Generator and returns the faulty image. The renders
follow the physics roughly, not a look tuned to the development photos:

- ``raindrops``: drops on the glass are small convex lenses out of focus: inside each (elliptic, soft-edged) drop the
  scene is seen inverted and shrunk, blurred, with a bright rim highlight; many small drops or a few big ones.
- ``soiled``: dust / mud blobs (blurred, attenuated, tinted towards a dirt colour) or a fingerprint-like smear (a
  large soft region that scatters light: blurred, black level lifted, contrast squeezed).
- ``low_visibility``: the atmospheric scattering model I = J t + A (1 - t), t = exp(-beta d), with a depth ramp
  (far at the top) or patchy smoke (t from smooth noise).
- ``glare``: a clipped light source with a wide halo that veils its neighbourhood, plus flare streaks.
- ``defocused``: disc (defocus) or line (motion) blur over the whole frame.
- ``dark``: under-exposure (gain 0.03-0.2) with sensor-like shot and read noise, quantised.
- ``overexposed``: gain 1.8-4 with clipping.
- ``covered``: most of the frame behind something near the lens (hand, tape, film): heavy blur, flat colour.
- ``clean`` variants (hard negatives): small exposure changes, mild noise, JPEG, and shallow depth of field (the
  background blurred, a sharp subject region kept), which a naive blur or soiling cue mistakes for a fault.
"""
from __future__ import annotations

import cv2
import numpy as np

__all__ = ["RENDERERS", "render", "clean_variant"]


def _f(img: np.ndarray) -> np.ndarray:
    return img.astype(np.float32) / 255.0


def _u8(img: np.ndarray) -> np.ndarray:
    return np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _big_blur(x: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur with a large sigma, done on a shrunk copy (the result is smooth anyway)."""
    if sigma < 6:
        return cv2.GaussianBlur(x, (0, 0), sigma)
    h, w = x.shape[:2]
    k = sigma / 3
    small = cv2.resize(x, (max(1, int(w / k)), max(1, int(h / k))), interpolation=cv2.INTER_AREA)
    return cv2.resize(cv2.GaussianBlur(small, (0, 0), 3), (w, h), interpolation=cv2.INTER_LINEAR)


def _smooth_noise(h: int, w: int, rng: np.random.Generator, scale: float) -> np.ndarray:
    """Smooth random field in [0, 1] with features about `scale` of the frame size."""
    k = max(2, int(round(1 / scale)))
    small = rng.random((k, int(k * w / h) + 1)).astype(np.float32)
    f = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    f -= f.min()
    return f / max(1e-6, f.max())


def raindrops(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = _f(img)
    h, w = x.shape[:2]
    out = x.copy()
    big = rng.random() < 0.4
    n = int(rng.integers(4, 15)) if big else int(rng.integers(15, 90))
    rmin, rmax = (0.04, 0.12) if big else (0.01, 0.045)
    blur_all = rng.random() < 0.5  # camera focused beyond the glass: the whole view a little soft
    if blur_all:
        s = rng.uniform(0.5, 2.0) * w / 640
        out = cv2.GaussianBlur(out, (0, 0), s)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # The view through a drop is out of focus; a few blur levels of the frame, made once, serve every drop.
    sigmas = [max(1.0, w * rmin / 4), max(1.0, w * (rmin + rmax) / 8), max(1.0, w * rmax / 4)]
    blurred = [_big_blur(x, s) for s in sigmas]
    for _ in range(n):
        r = rng.uniform(rmin, rmax) * w
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        ry = r * rng.uniform(0.7, 1.3)
        y0, y1 = max(0, int(cy - ry - 2)), min(h, int(cy + ry + 3))
        x0, x1 = max(0, int(cx - r - 2)), min(w, int(cx + r + 3))
        if y1 <= y0 or x1 <= x0:
            continue
        k = rng.uniform(1.5, 4.0)  # the drop lens shows a wider, inverted view
        my = (cy - (yy[y0:y1, x0:x1] - cy) * k).clip(0, h - 1)
        mx = (cx - (xx[y0:y1, x0:x1] - cx) * k).clip(0, w - 1)
        src = blurred[int(np.argmin([abs(s - r / rng.uniform(3, 8)) for s in sigmas]))]
        view = cv2.remap(src, mx, my, cv2.INTER_LINEAR)
        dd = ((yy[y0:y1, x0:x1] - cy) / ry) ** 2 + ((xx[y0:y1, x0:x1] - cx) / r) ** 2
        edge = np.clip((1.0 - dd) / 0.25, 0, 1)[..., None]  # soft border
        rim = np.exp(-((dd - 0.85) / 0.08) ** 2)[..., None] * rng.uniform(0.0, 0.25)
        dark_rim = np.exp(-((dd - 0.97) / 0.05) ** 2)[..., None] * rng.uniform(0.1, 0.5)
        view = view * rng.uniform(0.85, 1.15) + rim
        patch = out[y0:y1, x0:x1]
        patch = patch * (1 - edge) + view * edge
        out[y0:y1, x0:x1] = patch * (1 - dark_rim * (1 - edge))
    return _u8(out)


def soiled(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = _f(img)
    h, w = x.shape[:2]
    if rng.random() < 0.5:
        # Dust / mud: a few opaque-ish blobs out of focus.
        field = _smooth_noise(h, w, rng, rng.uniform(0.08, 0.25))
        thr = rng.uniform(0.55, 0.8)
        mask = np.clip((field - thr) / 0.1, 0, 1)
        mask = cv2.GaussianBlur(mask, (0, 0), w * 0.01)[..., None] * rng.uniform(0.5, 0.95)
        dirt = np.array(rng.choice([[0.35, 0.28, 0.2], [0.5, 0.5, 0.48], [0.25, 0.22, 0.2], [0.6, 0.55, 0.45]]),
                        np.float32) * rng.uniform(0.7, 1.3)
        blur = _big_blur(x, w * rng.uniform(0.01, 0.03))
        out = x * (1 - mask) + (blur * 0.4 + dirt * 0.6) * mask
    else:
        # Smear (fingerprint, grease, dried water): light scattered over a large soft region.
        field = _smooth_noise(h, w, rng, rng.uniform(0.15, 0.5))
        mask = np.clip((field - rng.uniform(0.1, 0.5)) / 0.3, 0, 1)[..., None] * rng.uniform(0.5, 1.0)
        blur = cv2.GaussianBlur(x, (0, 0), w * rng.uniform(0.006, 0.02))
        mean = x.reshape(-1, 3).mean(0)
        veil = rng.uniform(0.15, 0.45)
        # scattered light: the smear glows with the frame's own average light, brighter near bright parts
        glow = _big_blur(x, w * 0.08) * 0.5 + mean * 0.5
        smeared = blur * (1 - veil) + glow * veil * rng.uniform(1.0, 1.6)
        if rng.random() < 0.5:  # streaky texture of a wipe
            streak = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), 2)
            streak = cv2.blur(streak, (max(3, w // 20), 1))
            smeared = smeared + (streak[..., None] - streak.mean()) * 0.3
        out = x * (1 - mask) + smeared * mask
    return _u8(out)


def low_visibility(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = _f(img)
    h, w = x.shape[:2]
    a = rng.uniform(0.65, 0.95) * np.array([1.0, 1.0, 1.0]) + rng.normal(0, 0.03, 3)
    if rng.random() < 0.6:
        ramp = np.linspace(1.0, rng.uniform(0.2, 0.6), h, dtype=np.float32)[:, None]  # far at the top
        depth = np.broadcast_to(ramp, (h, w)) + 0.2 * _smooth_noise(h, w, rng, 0.3)
    else:
        depth = 0.4 + 0.6 * _smooth_noise(h, w, rng, rng.uniform(0.2, 0.5))  # patchy smoke
    beta = rng.uniform(0.8, 2.5)
    t = np.exp(-beta * depth)[..., None].astype(np.float32)
    out = x * t + a.astype(np.float32) * (1 - t)
    return _u8(out)


def glare(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = _f(img)
    h, w = x.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    out = x.copy()
    for _ in range(int(rng.integers(1, 3))):
        cy, cx = rng.uniform(-0.1 * h, 0.9 * h), rng.uniform(0, w)
        r2 = ((yy - cy) ** 2 + (xx - cx) ** 2) / (w * w)
        core = np.exp(-r2 / (rng.uniform(0.02, 0.06) ** 2)) * 3.0
        halo = np.exp(-r2 / (rng.uniform(0.15, 0.4) ** 2)) * rng.uniform(0.3, 0.8)
        colour = np.array([1.0, rng.uniform(0.85, 1.0), rng.uniform(0.6, 1.0)], np.float32)
        light = (core + halo)[..., None] * colour
        if rng.random() < 0.6:  # streaks through the source
            streaks = np.zeros((h, w), np.float32)
            for _ in range(int(rng.integers(2, 7))):
                ang = rng.uniform(0, np.pi)
                p = (xx - cx) * np.sin(ang) - (yy - cy) * np.cos(ang)
                streaks += np.exp(-(p / (w * 0.004)) ** 2) * np.exp(-np.sqrt(r2) / 0.3)
            light += (streaks * rng.uniform(0.3, 1.0))[..., None] * colour
        out = out * (1 - 0.3 * np.clip(halo, 0, 1))[..., None] + light
    return _u8(out)


def defocused(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = _f(img)
    w = x.shape[1]
    if rng.random() < 0.65:
        r = max(2, int(round(rng.uniform(0.006, 0.025) * w)))
        k = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
        cv2.circle(k, (r, r), r, 1.0, -1)
    else:
        n = max(5, int(round(rng.uniform(0.012, 0.05) * w)))
        k = np.zeros((n, n), np.float32)
        k[n // 2, :] = 1.0
        rot = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), rng.uniform(0, 180), 1.0)
        k = cv2.warpAffine(k, rot, (n, n))
    k /= k.sum()
    return _u8(cv2.filter2D(x, -1, k, borderType=cv2.BORDER_REFLECT))


def _sensor_noise(x: np.ndarray, rng: np.random.Generator, gain: float) -> np.ndarray:
    """Shot noise grows with the amplification of a dark exposure; read noise stays."""
    shot = rng.normal(0, 1, x.shape).astype(np.float32) * np.sqrt(np.maximum(x, 0) * 0.01 * gain)
    read = rng.normal(0, 1, x.shape).astype(np.float32) * rng.uniform(0.002, 0.01)
    return x + shot * rng.uniform(0.0, 0.3) + read


def dark(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = _f(img) ** 2.2
    g = rng.uniform(0.02, 0.18)
    y = np.clip(_sensor_noise(x * g, rng, 1.0 / g), 0, 1) ** (1 / 2.2)
    return _u8(y)


def overexposed(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = _f(img) ** 2.2
    g = rng.uniform(2.5, 8.0)
    return _u8(np.clip(x * g, 0, 1) ** (1 / 2.2))


def covered(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = _f(img)
    h, w = x.shape[:2]
    colour = rng.uniform(0.05, 0.8, 3).astype(np.float32)
    if rng.random() < 0.5:
        colour = colour * 0 + rng.uniform(0.05, 0.8)  # grey tape, a dark hand
    blur = _big_blur(x, w * 0.08)
    cover = blur * rng.uniform(0.0, 0.4) + colour * (1 - rng.uniform(0.0, 0.4))
    cover = cover + (_smooth_noise(h, w, rng, 0.3)[..., None] - 0.5) * rng.uniform(0.0, 0.15)
    if rng.random() < 0.3:  # partly covered from one side, soft edge
        ramp = np.linspace(-1, 1, w, dtype=np.float32)[None, :] + rng.uniform(-0.6, -0.3)
        m = np.clip(ramp * 5 + 0.5, 0, 1)
        m = np.broadcast_to(m, (h, w))[..., None]
        if rng.random() < 0.5:
            m = m[:, ::-1]
        return _u8(x * m + cover * (1 - m))
    return _u8(cover)


RENDERERS = {
    "raindrops": raindrops,
    "soiled": soiled,
    "low_visibility": low_visibility,
    "glare": glare,
    "defocused": defocused,
    "dark": dark,
    "overexposed": overexposed,
    "covered": covered,
}


def clean_variant(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A clean frame as cameras vary it: exposure within normal range, noise, JPEG, shallow depth of field."""
    x = _f(img)
    h, w = x.shape[:2]
    u = rng.random()
    if u < 0.3:
        x = np.clip((x ** 2.2) * rng.uniform(0.5, 1.5), 0, 1) ** (1 / 2.2)
    elif u < 0.5:
        # Shallow depth of field: the background soft, a subject region sharp.
        r = max(2, int(round(rng.uniform(0.005, 0.02) * w)))
        soft = cv2.GaussianBlur(x, (0, 0), r)
        cy, cx = rng.uniform(0.3, 0.7) * h, rng.uniform(0.3, 0.7) * w
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        d = ((yy - cy) / (h * rng.uniform(0.2, 0.45))) ** 2 + ((xx - cx) / (w * rng.uniform(0.2, 0.45))) ** 2
        m = np.clip(1.5 - d, 0, 1)[..., None]
        x = x * m + soft * (1 - m)
    elif u < 0.7:
        x = np.clip(_sensor_noise(x, rng, 1.0), 0, 1)
    out = _u8(x)
    if rng.random() < 0.5:
        ok, enc = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(40, 95))])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)[..., ::-1].copy()
    return out


def render(img: np.ndarray, kind: str, rng: np.random.Generator) -> np.ndarray:
    """`kind` is a fault class of archs.faulthead.CLASSES or 'clean'."""
    if kind == "clean":
        return clean_variant(img, rng)
    return RENDERERS[kind](img, rng)
