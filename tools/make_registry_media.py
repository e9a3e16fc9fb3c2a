"""Makes the project's committed media from data shipped by package registries (no fetched repositories).

Inputs (Debian bookworm packages; install with ``apt-get install opencv-doc python3-skimage``):

* ``opencv-doc`` 4.6.0+dfsg-12: ``/usr/share/doc/opencv-doc/examples/data/vtest.avi`` (OpenCV sample data,
  768x576, 10 fps, 795 frames of a pedestrian plaza seen by a fixed camera; Apache-2.0 AND BSD-3-Clause per
  ``/usr/share/doc/opencv-doc/copyright``, ``Files: *``).
* ``python3-skimage`` 0.19.3-8: ``/usr/lib/python3/dist-packages/skimage/data/camera.png`` and ``chelsea.png``
  (CC0 / public domain per skimage/data/README.txt; same bytes as scikit-image 0.26.0's wheel on PyPI).

Encoding needs PyAV (PyPI ``av`` 18.1.0, whose bundled FFmpeg has libx264) and NumPy; run with the local wheel store:

    python3 -m venv /tmp/venv-data
    /tmp/venv-data/bin/pip install --index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple \\
        --find-links /opt/wheels numpy==2.4.6 av==18.1.0 pillow==12.3.0
    /tmp/venv-data/bin/python tools/make_registry_media.py [demo] [frames] [oracles]

Writes (each listed with its licence line in the LICENSES.md of its folder):

* ``stream-app/src/main/resources/demo/clips/{pedestrians,plaza,people}.mp4`` - demo clips, H.264 at 10 fps
* ``operators/src/test/resources/frames/plaza_*`` - the video fixtures of io.frameq.frame
* ``operators/src/test/resources/oracles/camera*.png, chelsea_320x240_noisy.png`` - classic FR metric oracles
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
VTEST = Path("/usr/share/doc/opencv-doc/examples/data/vtest.avi")
SKIMAGE = Path("/usr/lib/python3/dist-packages/skimage/data")
CLIPS = ROOT / "stream-app/src/main/resources/demo/clips"
FRAMES = ROOT / "operators/src/test/resources/frames"
ORACLES = ROOT / "operators/src/test/resources/oracles"


def vtest_frames(first: int, count: int) -> list[np.ndarray]:
    """RGB24 frames first .. first+count-1 of vtest.avi (decoded by PyAV's FFmpeg, msmpeg4v3)."""
    out = []
    with av.open(str(VTEST)) as c:
        for i, f in enumerate(c.decode(video=0)):
            if i >= first:
                out.append(f.to_ndarray(format="rgb24"))
            if len(out) == count:
                break
    if len(out) != count:
        raise SystemExit(f"vtest.avi has fewer than {first + count} frames")
    return out


def scaled(rgb: np.ndarray, box: tuple[int, int, int, int] | None, w: int, h: int) -> np.ndarray:
    """Crop (x0, y0, x1, y1), then Lanczos-scale to w x h with Pillow."""
    im = Image.fromarray(rgb)
    if box is not None:
        im = im.crop(box)
    return np.asarray(im.resize((w, h), Image.LANCZOS))


def encode(path: Path, frames: list[np.ndarray], fps: int, codec: str, options: dict[str, str],
           container_options: dict[str, str] | None = None, fmt: str | None = None) -> None:
    with av.open(str(path), "w", format=fmt, options=container_options or {}) as out:
        s = out.add_stream(codec, rate=Fraction(fps, 1), options=options)
        s.width, s.height = frames[0].shape[1], frames[0].shape[0]
        s.pix_fmt = "yuv420p"
        for i, rgb in enumerate(frames):
            f = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            f.pts = i
            for p in s.encode(f):
                out.mux(p)
        for p in s.encode(None):
            out.mux(p)


X264_DEMO = {"preset": "medium", "crf": "26", "g": "50", "bf": "2", "profile": "high"}
X264_FIXTURE = {"preset": "medium", "crf": "26", "g": "15", "bf": "2", "profile": "high"}


def demo() -> None:
    # 30 s each at vtest's own 10 fps; the demo reads every 2nd frame, 120 of them.
    cases = {
        "pedestrians.mp4": (0, None, 640, 480),                 # the whole view
        "plaza.mp4": (250, (384, 0, 768, 288), 320, 240),       # top-right quarter: road, buildings, vans
        "people.mp4": (495, (0, 72, 768, 504), 640, 360),       # a 16:9 band, the last 30 s
    }
    for name, (first, box, w, h) in cases.items():
        frames = [scaled(f, box, w, h) for f in vtest_frames(first, 300)]
        encode(CLIPS / name, frames, 10, "libx264", X264_DEMO, {"movflags": "+faststart"})
        print(name, (CLIPS / name).stat().st_size, "bytes")


def bt601_limited_to_rgb(frame: av.VideoFrame) -> np.ndarray:
    """An RGB24 picture of a decoded yuv420p frame, computed here rather than by swscale: BT.601 limited range,
    chroma upsampled bilinearly with MPEG-2 siting (co-sited horizontally with even luma columns, centred
    vertically), each value rounded to nearest."""
    y, u, v = (np.asarray(p, dtype=np.float64) for p in _planes(frame))
    h, w = y.shape

    def up(c):
        cy = (np.arange(h) + 0.5) / 2 - 0.5          # centred vertically
        cx = np.arange(w) / 2.0                      # co-sited horizontally
        y0, x0 = np.floor(cy).astype(int), np.floor(cx).astype(int)
        fy, fx = (cy - y0)[:, None], (cx - x0)[None, :]
        ya, yb = np.clip(y0, 0, c.shape[0] - 1), np.clip(y0 + 1, 0, c.shape[0] - 1)
        xa, xb = np.clip(x0, 0, c.shape[1] - 1), np.clip(x0 + 1, 0, c.shape[1] - 1)
        top = c[ya][:, xa] * (1 - fx) + c[ya][:, xb] * fx
        bot = c[yb][:, xa] * (1 - fx) + c[yb][:, xb] * fx
        return top * (1 - fy) + bot * fy

    uu, vv = up(u) - 128.0, up(v) - 128.0
    yy = (y - 16.0) * 255.0 / 219.0
    r = yy + 255.0 / 112.0 * 0.701 * vv
    g = yy - 255.0 / 112.0 * 0.886 * 0.114 / 0.587 * uu - 255.0 / 112.0 * 0.701 * 0.299 / 0.587 * vv
    b = yy + 255.0 / 112.0 * 0.886 * uu
    return np.clip(np.rint(np.stack([r, g, b], axis=-1)), 0, 255).astype(np.uint8)


def _planes(frame: av.VideoFrame):
    a = frame.to_ndarray(format="yuv420p")
    h, w = frame.height, frame.width
    y = a[:h]
    rest = a[h:].reshape(-1)
    u = rest[: (h // 2) * (w // 2)].reshape(h // 2, w // 2)
    v = rest[(h // 2) * (w // 2):].reshape(h // 2, w // 2)
    return y, u, v


def frames() -> None:
    # 45 consecutive vtest frames (4.5 s of the source), stamped at 30 fps: a 1.5 s segment.
    src = vtest_frames(100, 45)
    f320 = [scaled(f, None, 320, 240) for f in src]
    encode(FRAMES / "plaza_320x240_h264.mp4", f320, 30, "libx264", X264_FIXTURE, {"movflags": "+faststart"})
    # max_delay 0.7 s: the mpegts muxer then starts the timeline at 1.4 s, as the ffmpeg CLI does by default.
    encode(FRAMES / "plaza_320x240_h264.ts", f320, 30, "libx264", X264_FIXTURE, {"max_delay": "700000"}, "mpegts")
    f160 = [scaled(f, None, 160, 120) for f in src[:15]]
    encode(FRAMES / "plaza_160x120_mpeg4.avi", f160, 30, "mpeg4", {"qscale": "5", "g": "15", "flags": "+qscale"},
           fmt="avi")
    with av.open(str(FRAMES / "plaza_320x240_h264.mp4")) as c:
        first = next(c.decode(video=0))
    Image.fromarray(bt601_limited_to_rgb(first), "RGB").save(FRAMES / "plaza_320x240_frame0.png", optimize=True)
    for n in ("plaza_320x240_h264.mp4", "plaza_320x240_h264.ts", "plaza_160x120_mpeg4.avi", "plaza_320x240_frame0.png"):
        print(n, (FRAMES / n).stat().st_size, "bytes")


def noisy(img: np.ndarray, seed: int, sigma: float) -> np.ndarray:
    """scikit-image's own SSIM test recipe (skimage/metrics/tests/test_structural_similarity.py):
    np.random.seed(5); clip(img + 20 * randn(*shape), 0, 255) cast to uint8 (truncation)."""
    np.random.seed(seed)
    return np.clip(img + sigma * np.random.randn(*img.shape), 0, 255).astype(np.uint8)


def oracles() -> None:
    cam = np.asarray(Image.open(SKIMAGE / "camera.png"))
    (ORACLES / "camera.png").write_bytes((SKIMAGE / "camera.png").read_bytes())  # unchanged bytes
    Image.fromarray(noisy(cam, 5, 20.0), "L").save(ORACLES / "camera_noisy.png", optimize=True)
    chelsea = np.asarray(Image.open(FRAMES / "chelsea_320x240.png").convert("RGB"))
    Image.fromarray(noisy(chelsea, 5, 20.0), "RGB").save(ORACLES / "chelsea_320x240_noisy.png", optimize=True)
    for n in ("camera.png", "camera_noisy.png", "chelsea_320x240_noisy.png"):
        print(n, (ORACLES / n).stat().st_size, "bytes")


if __name__ == "__main__":
    todo = sys.argv[1:] or ["demo", "frames", "oracles"]
    for step in todo:
        {"demo": demo, "frames": frames, "oracles": oracles}[step]()
