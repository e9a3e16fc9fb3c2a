"""Renders each camera fault FrameQ names on a real fixed-camera frame, lets FrameQ judge the renders, and draws
what it reported: docs/img/fault-gallery.jpg for the README.

The base frame is frame 100 of OpenCV's vtest.avi (Debian opencv-doc 4.6.0+dfsg-12,
/usr/share/doc/opencv-doc/examples/data/vtest.avi, a fixed camera over a pedestrian plaza; Apache-2.0 AND
BSD-3-Clause). The faults are rendered by this script (simple optical models, written here); FrameQ judges them
with `frameq analyze` (each photo on its own, as `frameq score` would), and the picture shows, for every render,
the fault cells of its score event outlined in red and the model's worst cells (model_map.worst_cells) in yellow
when the verdict includes low_quality. Nothing is drawn that the event does not say.

    mvn -o -B -q -DskipTests package
    python3 tools/fault_gallery.py [--jar stream-app/target/frameq.jar] [--out docs/img/fault-gallery.jpg]

Needs numpy and opencv-python (headless) and Java 17.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VTEST = Path("/usr/share/doc/opencv-doc/examples/data/vtest.avi")


def base_frame(index: int = 100) -> np.ndarray:
    cap = cv2.VideoCapture(str(VTEST))
    cap.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, frame = cap.read()
    if not ok:
        sys.exit(f"cannot read frame {index} of {VTEST} (apt-get install opencv-doc)")
    return frame


def haze(img, t=0.35, airlight=215.0):
    return np.clip(img.astype(np.float32) * t + airlight * (1 - t), 0, 255).astype(np.uint8)


def covered(img):
    # a translucent film or a hand close to the lens: almost no texture left, a little light through it
    blurred = cv2.GaussianBlur(img, (0, 0), 25)
    return np.clip(150 + (blurred.astype(np.float32) - 128) / 10, 0, 255).astype(np.uint8)


def soiled(img, rng):
    out = img.astype(np.float32)
    h, w = img.shape[:2]
    blurred = cv2.GaussianBlur(img, (0, 0), 12).astype(np.float32)
    mask = np.zeros((h, w), np.float32)
    for _ in range(3):
        cx, cy = rng.uniform(0.15 * w, 0.6 * w), rng.uniform(0.2 * h, 0.8 * h)
        cv2.ellipse(mask, (int(cx), int(cy)), (int(rng.uniform(0.1, 0.18) * w), int(rng.uniform(0.1, 0.2) * h)),
                    rng.uniform(0, 180), 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 15)[..., None]
    veiled = blurred * 0.55 + 0.45 * 170  # a smear scatters light: blurred and lifted towards grey
    return np.clip(out * (1 - mask) + veiled * mask, 0, 255).astype(np.uint8)


def raindrops(img, rng, drops=45):
    out = img.copy()
    h, w = img.shape[:2]
    blurred = cv2.GaussianBlur(img, (0, 0), 6)
    for _ in range(drops):
        r = int(rng.uniform(0.02, 0.045) * w)
        cx, cy = int(rng.uniform(r, w - r)), int(rng.uniform(r, h - r))
        # a drop is a small lens: it shows a blurred, flipped, brighter view of what lies above it
        y0, y1, x0, x1 = max(0, cy - 2 * r), min(h, cy + 2 * r), max(0, cx - 2 * r), min(w, cx + 2 * r)
        patch = cv2.resize(cv2.flip(blurred[y0:y1, x0:x1], 0), (2 * r, 2 * r))
        patch = np.clip(patch.astype(np.float32) * 0.8 + 60, 0, 255).astype(np.uint8)
        mask = np.zeros((2 * r, 2 * r), np.uint8)
        cv2.circle(mask, (r, r), r - 1, 255, -1)
        region = out[cy - r:cy + r, cx - r:cx + r]
        region[mask > 0] = patch[mask > 0]
        cv2.circle(out, (cx, cy), r - 1, (235, 235, 235), 1, cv2.LINE_AA)
    return out


def glare(img):
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = 0.72 * w, 0.22 * h
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / w
    veil = 255 * np.exp(-d / 0.12)[..., None]
    streak = 255 * np.exp(-np.abs(yy - cy) / 6)[..., None] * np.exp(-np.abs(xx - cx) / (0.5 * w))[..., None]
    return np.clip(img.astype(np.float32) + 1.6 * veil + 0.6 * streak, 0, 255).astype(np.uint8)


def colour_cast(img):
    return np.clip(img.astype(np.float32) * np.array([0.6, 0.95, 1.35]), 0, 255).astype(np.uint8)  # BGR: too warm


RENDERS = {
    "covered": lambda img, rng: covered(img),
    "soiled": soiled,
    "raindrops": raindrops,
    "low_visibility": lambda img, rng: haze(img),
    "glare": lambda img, rng: glare(img),
    "defocused": lambda img, rng: cv2.GaussianBlur(img, (0, 0), 3.5),
    "colour_cast": lambda img, rng: colour_cast(img),
    "dark": lambda img, rng: np.clip(img.astype(np.float32) * 0.1, 0, 255).astype(np.uint8),
    "overexposed": lambda img, rng: np.clip(img.astype(np.float32) * 2.8, 0, 255).astype(np.uint8),
}


def cells(event):
    """(red fault cells, yellow model cells, cols, rows) of one score event."""
    landscape = event["width"] >= event["height"]
    cols, rows = (8, 6) if landscape else (6, 8)
    degradations = set(event["degradations"])
    red = set()
    for f in event.get("faults") or []:
        if f["type"] in degradations and len(f["cells"]) < cols * rows:
            red.update(f["cells"])
    yellow = set()
    mm = event.get("model_map")
    if mm and "low_quality" in degradations:
        yellow.update(mm["worst_cells"])
    return red, yellow, cols, rows


def tile(img, event, rendered, width=320):
    h, w = img.shape[:2]
    scale = width / w
    t = cv2.resize(img, (width, int(h * scale)), interpolation=cv2.INTER_AREA)
    red, yellow, cols, rows = cells(event)
    cw, ch = t.shape[1] / cols, t.shape[0] / rows
    for colour, chosen in (((0, 215, 255), yellow), ((40, 40, 255), red)):
        for c in chosen:
            x, y = (c % cols) * cw, (c // cols) * ch
            cv2.rectangle(t, (int(x) + 1, int(y) + 1), (int(x + cw) - 1, int(y + ch) - 1), colour, 2)
    said = [d for d in event["degradations"] if d != "low_quality"]
    faults = {f["type"]: f["confidence"] for f in event.get("faults") or []}
    words = ", ".join(f"{d} {faults[d]:.2f}" if d in faults else d for d in said) or "nothing"
    caption = np.full((44, t.shape[1], 3), 255, np.uint8)
    cv2.putText(caption, f"rendered: {rendered}", (6, 17), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    q = event["quality"]
    cv2.putText(caption, f"FrameQ: {words}; q {q:.2f}", (6, 37), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                (0, 0, 170) if said else (0, 110, 0), 1, cv2.LINE_AA)
    return np.vstack([t, caption])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jar", default=str(ROOT / "stream-app/target/frameq.jar"))
    ap.add_argument("--out", default=str(ROOT / "docs/img/fault-gallery.jpg"))
    args = ap.parse_args()
    rng = np.random.default_rng(7)
    base = base_frame()
    with tempfile.TemporaryDirectory() as tmp:
        photos = Path(tmp) / "renders"
        photos.mkdir()
        names = ["clean"] + list(RENDERS)
        images = {"clean": base}
        for name, render in RENDERS.items():
            images[name] = render(base, rng)
        for i, name in enumerate(names):
            cv2.imwrite(str(photos / f"{i:02d}-{name}.png"), images[name])
        out = Path(tmp) / "report"
        subprocess.run(["java", "-jar", args.jar, "analyze", str(photos), "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
        events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    if len(events) != len(names):
        sys.exit(f"expected {len(names)} events, got {len(events)}")
    tiles = [tile(images[n], e, n) for n, e in zip(names, events)]
    rows = [np.hstack(tiles[i:i + 5]) for i in range(0, len(tiles), 5)]
    width = max(r.shape[1] for r in rows)
    rows = [np.hstack([r, np.full((r.shape[0], width - r.shape[1], 3), 255, np.uint8)]) for r in rows]
    params = [cv2.IMWRITE_JPEG_QUALITY, 82] if args.out.lower().endswith((".jpg", ".jpeg")) else [cv2.IMWRITE_PNG_COMPRESSION, 9]
    cv2.imwrite(args.out, np.vstack(rows), params)
    for n, e in zip(names, events):
        print(f"{n:15s} -> {e['verdict']:8s} {e['degradations']} q={e['quality']:.2f}")


if __name__ == "__main__":
    main()
