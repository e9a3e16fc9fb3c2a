"""``bench-decode FILE``: JPEG decode time of libjpeg-turbo (through OpenCV and Pillow) on given bytes.

The anchor for FrameQ's decoder: ``frameq bench`` writes the 1080p JPEG it times to
``bench-out/decode-1080p.jpg``; timing the same bytes here, on the same machine and moment, says how
far FrameQ's decode is from libjpeg-turbo's. Single thread, median of ``--runs`` after a warm-up,
bytes in memory to a packed 8-bit RGB/BGR array (the same work as FrameQ's decode to RgbImage).
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path


def _median_ms(fn, runs: int, warmup: int = 10) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2] * 1000.0


def measure(path: Path, runs: int = 60) -> dict:
    data = path.read_bytes()
    result = {"file": str(path), "bytes": len(data), "runs": runs}
    try:
        import cv2
        import numpy as np

        cv2.setNumThreads(1)
        buf = np.frombuffer(data, np.uint8)
        result["opencv"] = cv2.__version__
        result["opencv_imdecode_ms_median"] = _median_ms(lambda: cv2.imdecode(buf, cv2.IMREAD_COLOR), runs)
    except ImportError:
        result["opencv"] = None
    from PIL import Image, features

    result["pillow_libjpeg_turbo"] = bool(features.check_feature("libjpeg_turbo"))

    def pil():
        with Image.open(io.BytesIO(data)) as im:
            im.load()

    result["pillow_decode_ms_median"] = _median_ms(pil, runs)
    return result


def _run(args, argv) -> int:
    print(json.dumps(measure(Path(args.file), args.runs), indent=2))
    return 0


def add_parser(sub) -> None:
    d = sub.add_parser("bench-decode", help="JPEG decode ms of libjpeg-turbo (OpenCV, Pillow) on a file, 1 thread")
    d.add_argument("file", help="a JPEG, e.g. bench-out/decode-1080p.jpg written by `frameq bench`")
    d.add_argument("--runs", type=int, default=60)
    d.set_defaults(func=_run)
