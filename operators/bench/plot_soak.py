"""Plots the memory samples of a `frameq bench --soak-seconds N` run (soak.csv) as a PNG.

    /work/main/models/python/.venv/bin/python operators/bench/plot_soak.py bench-out/soak.csv docs/bench-soak-memory.png
"""

import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(src: str, dst: str) -> None:
    with open(src, newline="") as f:
        rows = list(csv.DictReader(f))
    t = [float(r["t_s"]) for r in rows]
    fig, ax = plt.subplots(figsize=(7, 3.2), dpi=110)
    for key, label in (("rss_mib", "process RSS"), ("heap_used_mib", "JVM heap in use"), ("direct_mib", "direct buffers")):
        ax.plot(t, [float(r[key]) for r in rows], marker=".", label=label)
    ax.set_xlabel("seconds into the soak")
    ax.set_ylabel("MiB")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="center right", fontsize=8)
    ax.set_title(f"frameq bench soak: memory every {t[1] - t[0]:.0f} s" if len(t) > 1 else "frameq bench soak", fontsize=10)
    fig.tight_layout()
    fig.savefig(dst)
    print(f"wrote {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
