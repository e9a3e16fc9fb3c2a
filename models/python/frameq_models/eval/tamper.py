#!/usr/bin/env python3
"""Tamper benchmark: how soon `frameq analyze` alerts on a camera that is covered, turned away or put out of focus,
onsets as they happen in the field rather than between two frames.

A hand or a bag is brought over the lens in about half a second, out of focus and dark, sliding in from one edge; a
camera knocked or turned by hand swings over about a second, smeared by the motion, and then stays on its new view;
a focus ring turned by hand blurs the view over about a second (a Gaussian whose sigma grows to ``--defocus-sigma``
pixels of a 640 px wide picture: a lens focused far from the scene spreads each point over a disc).
This command renders those events on real clean clips from ``--onset-s`` on (the clips stay outside the
repository; the renders go to the output folder), runs the whole pipeline on them through ``frameq analyze``, and
reports per clip and fault: the first frame flagged with the right type after the onset, the first alert carrying
it, and any flag or alert before the onset (a false one: the clip is clean up to then).

    python -m frameq_models eval-tamper --clips DATA/real-faults/clean-footage DATA/video \
        --jar stream-app/target/frameq.jar --out /tmp/tamper-bench [--faults hand,turn,defocus] [--max-fps 5]

Writes DIR/results.md (tables), DIR/timeline.png (per clip: flags and alerts around the onset), DIR/clips/ (the
rendered clips) and DIR/analyze/ (what `frameq analyze` wrote). Needs numpy, OpenCV (cv2) and matplotlib.

The view of every rendered clip, before and after a turn, is a window over half of the clip's width, enlarged back
to the clip's size, so the camera's normal view and its turned view do not overlap; the clean part is the same
window throughout. The hand is a smooth, dark, shaded occluder with a soft edge and light sensor noise.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The fault each rendered event must be diagnosed as, and the alert kind that must carry it.
RIGHT_TYPE = {"hand": "covered", "turn": "moved", "defocus": "defocused"}
HAND_SECONDS = 0.6  # from the first finger in view to the lens fully covered
TURN_SECONDS = 1.0  # from the first movement to the new view
DEFOCUS_SECONDS = 1.0  # from the first touch of the focus ring to the most blur
DEFOCUS_SIGMA = 4.0  # the most blur: Gaussian sigma in pixels of a 640 px wide picture
AE_SECONDS = 0.8  # auto-exposure settling after the lens is covered (with --hand-gain)
TURN_SUBFRAMES = 6  # positions averaged over one frame interval: the motion smear of a turning camera
VIDEO_EXT = {".mp4", ".avi", ".mkv", ".mov"}
# baseline.warmup.samples (8) at baseline.warmup.interval.ms (200 ms), with a margin: a camera has no normal to
# leave before this
WARMUP_S = 2.0


@dataclass(frozen=True)
class Event:
    kind: str
    onset_s: float
    edge: int  # hand: 0 left, 1 right, 2 bottom; turn: unused
    seconds: float = 0.0  # how long the hand takes to cover the lens, the camera to turn or the focus to go (0: default)
    gain: float = 1.0  # hand: the most the auto-exposure brightens the covered picture (1: no auto-exposure)
    extent: float = 0.5  # turn: how far the view moves, as a share of the scene's width (its view is half of it)
    sigma: float = DEFOCUS_SIGMA  # defocus: the most blur, Gaussian sigma in pixels of a 640 px wide picture


def window(frame: np.ndarray, left: float) -> np.ndarray:
    """The half of the frame's width starting at ``left`` (a share of the width), enlarged back to full size."""
    import cv2
    h, w = frame.shape[:2]
    x0 = int(round(left * w))
    x0 = max(0, min(w - w // 2, x0))
    crop = frame[:, x0:x0 + w // 2]
    return cv2.resize(crop, (w, h), interpolation=cv2.INTER_LINEAR)


def turn(frame: np.ndarray, since_s: float, frame_s: float, seconds: float = TURN_SECONDS,
         extent: float = 0.5) -> np.ndarray:
    """The view of a camera that starts turning ``since_s`` ago (negative: not yet), from the left half of the scene
    ``extent`` of the scene's width to the right (0.5: onto the other half; 0.05: a tenth of its own view) over
    ``seconds``, each frame smeared over the positions it swept in ``frame_s``."""
    def at(t: float) -> float:
        return extent * min(1.0, max(0.0, t / seconds))
    if since_s <= 0 or since_s - frame_s >= seconds:
        return window(frame, at(since_s))
    acc = np.zeros(frame.shape, np.float64)
    for k in range(TURN_SUBFRAMES):
        acc += window(frame, at(since_s - frame_s * k / TURN_SUBFRAMES))
    return np.clip(acc / TURN_SUBFRAMES + 0.5, 0, 255).astype(np.uint8)


def greyscale(frame: np.ndarray) -> bool:
    """True for a picture without colour (an IR night camera): its channels differ by a level or two at most."""
    f = frame.astype(np.int16)
    return float(np.percentile(np.abs(f[..., 0] - f[..., 1]) + np.abs(f[..., 1] - f[..., 2]), 90)) <= 4


def hand(frame: np.ndarray, since_s: float, edge: int, rng: np.random.Generator,
         seconds: float = HAND_SECONDS, gain: float = 1.0) -> np.ndarray:
    """A dark, out-of-focus occluder that slides in from ``edge`` over ``seconds`` and then covers the lens. With
    ``gain`` > 1 the camera's auto-exposure answers the darkening: from the onset until ``AE_SECONDS`` after the lens
    is covered it brightens the picture up to ``gain`` times, and the sensor noise with it, as a real camera with a
    hand over it does."""
    view = window(frame, 0.0)
    if since_s <= 0:
        return view
    h, w = view.shape[:2]
    progress = min(1.0, since_s / seconds)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    along = {0: xx / w, 1: 1 - xx / w, 2: 1 - yy / h}[edge]  # 0 at the edge it comes from
    soft = 0.04 + 0.08 * (1 - progress)  # the edge of something an inch from the lens is wide
    reach = progress * (1 + 2 * soft)
    alpha = np.clip((reach - along) / (2 * soft) + 0.5, 0, 1)
    # Skin or cloth lit from the uncovered side: a smooth gradient, brighter towards the light, never flat.
    shade = 35 + 40 * (1 - along) * (1 - 0.6 * progress) + 6 * np.sin(3.1 * yy / h + 1.7 * xx / w)
    # BGR: warm, or grey before a camera in IR night mode, which sees no colour
    tint = (1.0, 1.0, 1.0) if greyscale(view) else (0.78, 0.88, 1.0)
    colour = np.stack([shade * tint[0], shade * tint[1], shade * tint[2]], axis=-1)
    out = view.astype(np.float64) * (1 - alpha[..., None]) + colour * alpha[..., None]
    g = 1 + (gain - 1) * min(1.0, since_s / (seconds + AE_SECONDS))
    out = out * g + rng.normal(0, 2.0 * g, out.shape)  # sensor noise: the occluder is smooth, the picture is not
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def defocus(frame: np.ndarray, since_s: float, seconds: float = DEFOCUS_SECONDS,
            sigma: float = DEFOCUS_SIGMA) -> np.ndarray:
    """The camera's view losing focus from ``since_s`` ago (negative: not yet): the blur grows evenly over ``seconds``
    to a Gaussian of ``sigma`` pixels at 640 px across, then stays."""
    import cv2
    view = window(frame, 0.0)
    if since_s <= 0:
        return view
    s = sigma * view.shape[1] / 640 * min(1.0, since_s / seconds)
    return cv2.GaussianBlur(view, (0, 0), s) if s >= 0.3 else view


def render(clip: Path, event: Event, out: Path, seed: int, fps_out: float) -> float:
    """Writes the clip with the event rendered from its onset to ``out`` (MP4) at no more than ``fps_out`` frames
    per second (the analysis samples fewer anyway); returns the clip's duration."""
    import cv2
    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    step = max(1, int(round(fps / fps_out))) if fps_out > 0 else 1
    writer = None
    rng = np.random.default_rng(seed)
    i = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        i += 1
        if (i - 1) % step:
            continue
        if frame.shape[1] > 1280:  # the rendered views are enlarged halves anyway
            frame = cv2.resize(frame, (1280, int(round(frame.shape[0] * 1280 / frame.shape[1]))))
        since = (i - 1) / fps - event.onset_s
        if event.kind == "turn":
            img = turn(frame, since, step / fps, event.seconds or TURN_SECONDS, event.extent)
        elif event.kind == "defocus":
            img = defocus(frame, since, event.seconds or DEFOCUS_SECONDS, event.sigma)
        else:
            img = hand(frame, since, event.edge, rng, event.seconds or HAND_SECONDS, event.gain)
        if writer is None:
            out.parent.mkdir(parents=True, exist_ok=True)
            writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps / step, (img.shape[1], img.shape[0]))
        writer.write(img)
    cap.release()
    if writer is not None:
        writer.release()
    return i / fps


def duration_s(clip: Path) -> float:
    import cv2
    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    frames = cap.get(cv2.CAP_PROP_FRAME_COUNT)
    cap.release()
    return frames / fps


def onset_for(duration: float, wanted: float, within: float) -> float | None:
    """The onset for a clip: ``wanted``, or earlier where the clip is short, but never before the baselines' warm-up
    (WARMUP_S) and always leaving ``within`` seconds and a little more after it; None for a clip too short for both."""
    onset = min(wanted, duration - within - 0.5)
    return onset if onset >= WARMUP_S else None


def clips_under(folders: list[Path]) -> list[Path]:
    found = []
    for f in folders:
        found += [p for p in sorted(f.rglob("*")) if p.suffix.lower() in VIDEO_EXT] if f.is_dir() else [f]
    return found


@dataclass
class Outcome:
    stream: str
    kind: str
    frames_before: int
    flagged_before: int
    alerts_before: int
    first_flag_s: float | None  # after the onset, with the right type
    first_alert_s: float | None  # after the onset, an alert carrying the right type
    judged_after: int


def frames_by_stream(analyze_dir: Path, streams) -> dict[str, list[dict]]:
    """The scores events `frameq analyze` wrote for ``streams``, per stream, in capture order."""
    per_stream: dict[str, list[dict]] = {s: [] for s in streams}
    for line in (analyze_dir / "events.jsonl").read_text().splitlines():
        e = json.loads(line)
        if e["stream"] in per_stream:
            per_stream[e["stream"]].append(e)
    for frames in per_stream.values():
        frames.sort(key=lambda e: e["capture_ts"])
    return per_stream


def carries(event: dict, fault: str) -> bool:
    """The frame was flagged with ``fault``, as a spatial fault or as a degradation."""
    return fault in {x["type"] for x in event.get("faults", [])} | set(event["degradations"])


def outcomes(analyze_dir: Path, events: dict[str, Event], start_ms: int,
             per_stream: dict[str, list[dict]] | None = None) -> list[Outcome]:
    per_stream = per_stream if per_stream is not None else frames_by_stream(analyze_dir, events)
    alerts: dict[str, list[dict]] = {s: [] for s in events}
    alerts_file = analyze_dir / "alerts.jsonl"
    for line in (alerts_file.read_text().splitlines() if alerts_file.exists() else []):
        a = json.loads(line)
        if a["stream"] in alerts and a["state"] == "open":
            alerts[a["stream"]].append(a)
    result = []
    for stream, ev in events.items():
        onset_ms = start_ms + ev.onset_s * 1000
        right = RIGHT_TYPE[ev.kind]
        frames = per_stream[stream]
        before = [f for f in frames if f["capture_ts"] < onset_ms]
        after = [f for f in frames if f["capture_ts"] >= onset_ms]
        hit = next((f for f in after if carries(f, right)), None)
        opened = sorted(alerts[stream], key=lambda a: a["window_end"])
        early = [a for a in opened if a["window_end"] < onset_ms]
        right_alert = next((a for a in opened if a["window_end"] >= onset_ms
                            and (right in a["top_degradations"] or any(x["type"] == right for x in a.get("faults") or []))), None)
        result.append(Outcome(
            stream, ev.kind, len(before), sum(1 for f in before if f["verdict"] == "degraded"), len(early),
            None if hit is None else (hit["capture_ts"] - onset_ms) / 1000,
            None if right_alert is None else (right_alert["window_end"] - onset_ms) / 1000, len(after)))
    return result


def report(rows: list[Outcome], within_s: float) -> str:
    lines = [f"| clip | fault | clean frames flagged before the onset | alerts before the onset | first `{'`/`'.join(RIGHT_TYPE.values())}` flag after the onset (s) | alert with the right type after the onset (s) |",
             "|---|---|---|---|---|---|"]
    fmt = lambda v: "missed" if v is None else f"{v:.1f}"
    for r in sorted(rows, key=lambda r: (r.kind, r.stream)):
        if r.judged_after == 0:
            continue
        lines.append(f"| {r.stream.rsplit('__', 1)[0]} | {r.kind} | {r.flagged_before} of {r.frames_before} | {r.alerts_before} | "
                     f"{fmt(r.first_flag_s)} | {fmt(r.first_alert_s)} |")
    lines += ["", f"| fault | clips | right-type alert within {within_s:g} s | median alert delay (s) | missed | clips with a false alert before the onset |",
              "|---|---|---|---|---|---|"]
    for kind in sorted({r.kind for r in rows}):
        rs = [r for r in rows if r.kind == kind and r.judged_after > 0]
        delays = [r.first_alert_s for r in rs if r.first_alert_s is not None]
        within = sum(1 for d in delays if d <= within_s)
        median = f"{float(np.median(delays)):.1f}" if delays else "-"
        lines.append(f"| {kind} | {len(rs)} | {within} | {median} | {len(rs) - len(delays)} | {sum(1 for r in rs if r.alerts_before)} |")
    return "\n".join(lines) + "\n"


def plot(rows: list[Outcome], per_stream: dict[str, list[dict]], events: dict[str, Event], start_ms: int,
         out: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    frames = {s: [((e["capture_ts"] - start_ms) / 1000 - events[s].onset_s, e["verdict"] == "degraded",
                   carries(e, RIGHT_TYPE[events[s].kind])) for e in evs] for s, evs in per_stream.items()}
    streams = sorted(frames, key=lambda s: (events[s].kind, s))
    fig, ax = plt.subplots(figsize=(11, 0.28 * len(streams) + 1.2))
    for y, s in enumerate(streams):
        pts = frames[s]
        ax.scatter([t for t, d, r in pts if d and not r], [y] * sum(1 for _, d, r in pts if d and not r), s=6, c="orange")
        ax.scatter([t for t, d, r in pts if r], [y] * sum(1 for _, d, r in pts if r), s=6, c="red")
        o = next(r for r in rows if r.stream == s)
        if o.first_alert_s is not None:
            ax.plot([o.first_alert_s], [y], marker="|", markersize=12, c="black")
    ax.axvline(0, c="grey", lw=1)
    ax.axvline(3, c="grey", lw=1, ls="--")
    ax.set_yticks(range(len(streams)), [s.replace("__", " / ")[:48] for s in streams], fontsize=6)
    ax.set_xlabel("seconds after the onset (red: right type, orange: another flag, |: alert with the right type opens; dashed: 3 s)")
    ax.set_xlim(-10, 12)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--clips", type=Path, nargs="+", required=True, help="clean clips or folders of them")
    ap.add_argument("--jar", type=Path, required=True, help="stream-app/target/frameq.jar")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--faults", default="hand,turn", help="comma-separated events to render (hand, turn, defocus)")
    ap.add_argument("--onset-s", type=float, default=10.0, help="seconds of clean footage before the event")
    ap.add_argument("--hand-s", type=float, default=HAND_SECONDS, help="seconds the hand takes to cover the lens")
    ap.add_argument("--hand-gain", type=float, default=1.0,
                    help="auto-exposure gain the camera reaches under the hand, brightening picture and noise (1: none)")
    ap.add_argument("--defocus-s", type=float, default=DEFOCUS_SECONDS, help="seconds the focus takes to go")
    ap.add_argument("--defocus-sigma", type=float, default=DEFOCUS_SIGMA,
                    help="the most blur: Gaussian sigma in pixels of a 640 px wide picture")
    ap.add_argument("--turn-s", type=float, default=TURN_SECONDS, help="seconds the camera takes to turn")
    ap.add_argument("--max-fps", type=float, default=5.0,
                    help="frames per second analysed (frameq analyze --max-fps; 0: every frame, rendered at the clip's rate)")
    ap.add_argument("--turn-extent", type=float, default=0.5,
                    help="how far the camera turns, as a share of the scene's width; its view is half of it (0.5: onto "
                         "the other half, 0.05: by a tenth of its view)")
    ap.add_argument("--within-s", type=float, default=3.0, help="the alert delay the summary counts against")
    ap.add_argument("--reuse", action="store_true", help="report from DIR/analyze without rendering or analysing again")


def run(args) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    kinds = [k.strip() for k in args.faults.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in RIGHT_TYPE]
    if unknown:
        print(f"unknown --faults {unknown}: expected some of {sorted(RIGHT_TYPE)}", file=sys.stderr)
        return 2
    start_ms = 0
    events: dict[str, Event] = {}
    rendered = []
    too_short = []
    for n, clip in enumerate(clips_under(args.clips)):
        onset = onset_for(duration_s(clip), args.onset_s, args.within_s)
        if onset is None:
            too_short.append(clip.stem)
            continue
        for kind in kinds:
            stream = f"{clip.stem}__{kind}"
            seconds = {"hand": args.hand_s, "turn": args.turn_s, "defocus": args.defocus_s}[kind]
            ev = Event(kind, onset, n % 3, seconds, args.hand_gain if kind == "hand" else 1.0, args.turn_extent,
                       args.defocus_sigma)
            path = args.out / "clips" / f"{stream}.mp4"
            if not (args.reuse and path.exists()):
                duration = render(clip, ev, path, seed=n, fps_out=2 * args.max_fps)
                print(f"rendered {path.name} ({duration:.1f} s)", file=sys.stderr)
            events[stream] = ev
            rendered.append(f"{stream}={path}")
    analyze_dir = args.out / "analyze"
    if not (args.reuse and (analyze_dir / "events.jsonl").exists()):
        cmd = ["java", "-jar", str(args.jar), "analyze", *rendered, "--max-fps", str(args.max_fps), "--threads", "2",
               "--start-time", str(start_ms), "--out", str(analyze_dir)]
        print(" ".join(cmd[:4]) + f" ... ({len(rendered)} clips)", file=sys.stderr)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode not in (0, 3):
            print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
            return proc.returncode
    per_stream = frames_by_stream(analyze_dir, events)
    rows = outcomes(analyze_dir, events, start_ms, per_stream)
    text = report(rows, args.within_s)
    if too_short:
        text += (f"\nNot rendered (shorter than {WARMUP_S:g} s of warm-up plus {args.within_s:g} s): "
                 + ", ".join(sorted(too_short)) + "\n")
    (args.out / "results.md").write_text(text)
    plot(rows, per_stream, events, start_ms, args.out / "timeline.png")
    print(text)
    return 0


def add_parser(sub) -> None:
    """``python -m frameq_models eval-tamper``."""
    ap = sub.add_parser("eval-tamper", help="time to alert on clean clips with a hand over the lens, a turned camera or lost focus "
                                            "rendered from an onset (frameq analyze); data stays outside the repository")
    add_arguments(ap)
    ap.set_defaults(func=lambda args, argv: run(args))
