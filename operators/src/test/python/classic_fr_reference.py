"""Cross-check values for ClassicFrTest: a NumPy/SciPy port of Wang's MATLAB ssim.m (2011, automatic
downsampling) and msssim.m, written independently of the Java code (2-D correlation with
scipy.signal.correlate2d, padding with numpy.pad 'symmetric').

It also prints the same SSIM and PSNR values from scikit-image (skimage.metrics, an implementation that
shares no code with either: Gaussian weights, sigma 1.5, population covariance and data_range 255 are its
documented settings for matching Wang et al.; ssim.m's automatic downsampling is applied first as a 2x2 block
mean, which is what imfilter(ones(2)/4, 'symmetric', 'same') then every 2nd pixel is for even sizes).
Images: oracles/camera.png (python3-skimage 0.19.3-8, CC0), camera_noisy.png and chelsea_320x240_noisy.png
(tools/make_registry_media.py: skimage's own SSIM-test noise recipe), frames/chelsea_320x240.png. Run from the
repository root with numpy, scipy, pillow and scikit-image (e.g. models/python/.venv):

    models/python/.venv/bin/python operators/src/test/python/classic_fr_reference.py
"""

from pathlib import Path

import numpy as np
from PIL import Image
from scipy.signal import correlate2d

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ORACLES = RESOURCES / "oracles"
RGB2GRAY = (0.298936021293775, 0.587043074451121, 0.114020904255103)  # MATLAB rgb2gray


def load(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)


def gray(a):
    return np.round(a[..., 0] * RGB2GRAY[0] + a[..., 1] * RGB2GRAY[1] + a[..., 2] * RGB2GRAY[2])


def window():
    x = np.arange(-5, 6)
    g = np.exp(-(x[:, None] ** 2 + x[None, :] ** 2) / (2 * 1.5 ** 2))
    return g / g.sum()


def box_downsample(img, f):
    """imfilter(img, ones(f)/f^2, 'symmetric', 'same') then img(1:f:end, 1:f:end); kernel centre floor((f+1)/2)."""
    c = (f + 1) // 2
    p = np.pad(img, ((c - 1, f - c), (c - 1, f - c)), mode="symmetric")
    out = sum(p[dy:dy + img.shape[0], dx:dx + img.shape[1]] for dy in range(f) for dx in range(f)) / (f * f)
    return out[::f, ::f]


def terms(a, b, L=255.0):
    w = window()
    c1, c2 = (0.01 * L) ** 2, (0.03 * L) ** 2
    f = lambda x: correlate2d(x, w, mode="valid")  # noqa: E731
    m1, m2 = f(a), f(b)
    s11, s22, s12 = f(a * a) - m1 * m1, f(b * b) - m2 * m2, f(a * b) - m1 * m2
    ssim_map = ((2 * m1 * m2 + c1) * (2 * s12 + c2)) / ((m1 * m1 + m2 * m2 + c1) * (s11 + s22 + c2))
    cs_map = (2 * s12 + c2) / (s11 + s22 + c2)
    return ssim_map.mean(), cs_map.mean()


def ssim(a, b):
    f = max(1, int(np.floor(min(a.shape) / 256 + 0.5)))
    if f > 1:
        a, b = box_downsample(a, f), box_downsample(b, f)
    return terms(a, b)[0]


def msssim(a, b):
    weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]
    out = 1.0
    for level, w in enumerate(weights):
        s, cs = terms(a, b)
        out *= max(s if level == len(weights) - 1 else cs, 0.0) ** w
        if level < len(weights) - 1:
            a, b = box_downsample(a, 2), box_downsample(b, 2)
    return out


def psnr(a, b):
    return 10 * np.log10(255.0 ** 2 / np.mean((a - b) ** 2))


def skimage_ssim(a, b, downsample=True):
    from skimage.metrics import structural_similarity
    if downsample and min(a.shape) >= 384:  # f = round(min / 256) = 2 for the 512 px camera
        a, b = (x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).mean(axis=(1, 3)) for x in (a, b))
    return structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                 data_range=255)


def main() -> None:
    from skimage.metrics import peak_signal_noise_ratio
    c, cn = load(ORACLES / "camera.png"), load(ORACLES / "camera_noisy.png")
    r, rd = load(RESOURCES / "frames" / "chelsea_320x240.png"), load(ORACLES / "chelsea_320x240_noisy.png")
    print("camera     ssim", repr(ssim(gray(cn), gray(c))), "skimage", repr(skimage_ssim(gray(cn), gray(c))),
          "ms-ssim", repr(msssim(gray(cn), gray(c))), "psnr", repr(psnr(c, cn)),
          "skimage", repr(peak_signal_noise_ratio(c, cn, data_range=255)))
    print("camera     ssim without downsampling (skimage; IPOL imdiff published 0.357959091663361)",
          repr(skimage_ssim(gray(cn), gray(c), downsample=False)))
    print("chelsea    ssim(luma)", repr(ssim(gray(rd), gray(r))), "skimage", repr(skimage_ssim(gray(rd), gray(r))),
          "ssim(channel mean)", repr(np.mean([ssim(rd[..., k], r[..., k]) for k in range(3)])),
          "skimage", repr(np.mean([skimage_ssim(rd[..., k], r[..., k]) for k in range(3)])),
          "ms-ssim(luma)", repr(msssim(gray(rd), gray(r))), "psnr(rgb)", repr(psnr(r, rd)),
          "skimage", repr(peak_signal_noise_ratio(r, rd, data_range=255)))


if __name__ == "__main__":
    main()
