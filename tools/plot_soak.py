"""Plots a `tools/soak.sh` run: memory (RSS, heap in use, NMT committed), threads and file descriptors from its CSV,
and the demo's largest per-stream lag from its log, as one PNG.

    models/python/.venv/bin/python tools/plot_soak.py SOAK.csv OUT.png   # reads SOAK.log beside the CSV when present
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TABLE = re.compile(r"^── t=\s*(\d+)s")
LAG = re.compile(r"\s(\d+(?:\.\d+)?)s\s")


def lag_series(log: Path) -> tuple[list[float], list[float]]:
    """(t, largest lag in s) per live table of the demo's output."""
    ts, lags, current, best = [], [], None, 0.0
    for line in log.read_text(errors="replace").splitlines():
        m = TABLE.match(line)
        if m:
            if current is not None:
                ts.append(current)
                lags.append(best)
            current, best = float(m.group(1)), 0.0
        elif current is not None and line.startswith("cam-"):
            found = LAG.findall(line)
            if found:
                best = max(best, float(found[-1]))
    return ts, lags


def main(src: str, dst: str) -> None:
    with open(src, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["rss_kb"]]
    t = [float(r["elapsed_s"]) / 60 for r in rows]
    log = Path(src).with_suffix(".log")
    panels = 3 if log.exists() else 2
    fig, axes = plt.subplots(panels, 1, figsize=(7.5, 2.4 * panels), dpi=110, sharex=True)
    mem = axes[0]
    for key, label in (("rss_kb", "process RSS"), ("nmt_committed_kb", "JVM committed (NMT)"), ("heap_used_kb", "heap in use")):
        points = [(x, float(r[key]) / 1024) for x, r in zip(t, rows) if r.get(key)]
        mem.plot([p[0] for p in points], [p[1] for p in points], marker=".", markersize=3, label=label)
    mem.set_ylabel("MiB")
    mem.set_ylim(bottom=0)
    mem.legend(loc="lower right", fontsize=8)
    mem.set_title(f"tools/soak.sh: {t[-1]:.0f} min, a sample every {60 * (t[1] - t[0]):.0f} s", fontsize=10)
    counts = axes[1]
    counts.plot(t, [int(r["threads"]) for r in rows], label="threads")
    counts.plot(t, [int(r["fds"]) for r in rows], label="file descriptors")
    counts.set_ylim(bottom=0)
    counts.legend(loc="lower right", fontsize=8)
    if panels == 3:
        lt, lags = lag_series(log)
        axes[2].plot([x / 60 for x in lt], lags, color="tab:red", linewidth=0.8)
        axes[2].set_ylabel("largest lag (s)")
        axes[2].set_ylim(bottom=0)
    axes[-1].set_xlabel("minutes into the soak")
    for ax in axes:
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(dst)
    print(f"wrote {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
