"""Fixtures for BilinearResamplerTest: a small random RGB image and Pillow's BILINEAR resizes of it.

Java's BilinearResampler must reproduce these bit for bit. Run from the repository root:

    /work/venv/bin/python operators/src/test/python/make_resample_fixtures.py
"""

from pathlib import Path

import numpy as np
from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "resources" / "resample"
SIZES = [(53, 29), (31, 40), (70, 17), (224, 123), (12, 9), (31, 17)]  # (width, height); source is 31x17


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    src = rng.integers(0, 256, size=(17, 31, 3), dtype=np.uint8)
    src[:, :8] = 255  # flat and saturated areas next to noise: clamping and rounding paths
    src[:6, :] = 0
    Image.fromarray(src, "RGB").save(OUT / "source.png")
    for w, h in SIZES:
        Image.fromarray(src, "RGB").resize((w, h), Image.BILINEAR).save(OUT / f"pil-{w}x{h}.png")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
