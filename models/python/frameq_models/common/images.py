"""Image decoding shared by the golden writers and the codec reference (no resizing: goldens need exact pixels)."""

from __future__ import annotations

import os

import numpy as np
from PIL import Image


def load_rgb(path: str | os.PathLike) -> np.ndarray:
    """Decode an image file to ``uint8 [H, W, 3]`` RGB."""
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"), dtype=np.uint8).copy()
