"""Build ``tiny-codec`` (wacnn ``tiny`` with amplified latents) and its golden folder for the Java codec tests.

The shipped wacnn-lite is untrained: its latents quantise to 0 everywhere, so a golden made with it exercises the
Java codec with one symbol value. Here the analysis transform's last convolution is scaled by ``GAIN`` (the hyper-analysis's by ``Z_GAIN``) so that y
and z spread over many symbols (and beyond the tables, through the escape path) while everything else stays the
model zoo's own export (``export.codec_graphs.write_codec_entry``) and golden writer
(``codec.runtime.write_codec_golden``).

Run from the repository root (deterministic; commit what it writes, ~1.7 MB):

    /work/main/models/python/.venv/bin/python operators/src/test/python/make_tiny_codec.py
"""

import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent / "resources"
sys.path.insert(0, str(HERE.parents[3] / "models" / "python"))

from frameq_models.archs import wacnn  # noqa: E402
from frameq_models.codec import runtime as codec_runtime  # noqa: E402
from frameq_models.common.images import load_rgb  # noqa: E402
from frameq_models.export import codec_graphs  # noqa: E402

NAME = "tiny-codec"
GAIN = 40.0
Z_GAIN = 20.0
FRAME = HERE.parents[3] / "models" / "golden" / "wacnn-lite" / "frame.png"


def main() -> None:
    torch.manual_seed(0)
    model = wacnn.build("tiny").eval()
    with torch.no_grad():
        last = model.g_a[7]  # conv(N, M) before the final attention block
        last.weight.mul_(GAIN)
        last.bias.mul_(GAIN)
        hyper = model.h_a[8]  # last conv of the hyper-analysis: spreads z too
        hyper.weight.mul_(Z_GAIN)
        hyper.bias.mul_(Z_GAIN)
    training = {"status": "untrained", "data": "none: random initialisation with torch.manual_seed(0)",
                "data_licence": "none (no training data)",
                "recipe": f"operators/src/test/python/make_tiny_codec.py: wacnn tiny, g_a.7 x {GAIN}, h_a.8 x {Z_GAIN}"}
    codec_graphs.write_codec_entry(model, "wacnn", "tiny", RESOURCES / "onnx", NAME, 1, training)
    folder = RESOURCES / "golden" / f"{NAME}-120x80"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "frame.png").write_bytes(FRAME.read_bytes())
    (folder / "LICENSE.txt").write_text((FRAME.parent / "LICENSE.txt").read_text().splitlines()[0] + "\n")
    import json
    desc = json.loads((RESOURCES / "onnx" / NAME / "model.json").read_text())
    codec_runtime.write_codec_golden(desc, RESOURCES / "onnx", folder, folder / "frame.png")
    ys = np.load(folder / "y_symbols.npy")
    zs = np.load(folder / "z_symbols.npy")
    print(f"{folder}: y symbols {ys.min()}..{ys.max()} ({len(np.unique(ys))} distinct), "
          f"z symbols {zs.min()}..{zs.max()}, stream {(folder / 'stream.bin').stat().st_size} bytes")
    _ = load_rgb  # the golden writer decodes frame.png with the same reader


if __name__ == "__main__":
    main()
