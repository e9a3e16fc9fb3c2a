"""The learned codec run through its exported ONNX graphs and tables: FrameQ's reference for the Java port.

``OrtCodec`` encodes an ``uint8 [H, W, 3]`` RGB image into one byte string and decodes it back with exactly the
operations ``io.frameq.codec.LearnedCodec`` performs (same graphs, same float32 arithmetic, same rANS coder), so
that the two languages can be compared stage by stage (models/MODEL-JSON.md, "Codec stream").

Stream (little-endian): ``b"FQC1"``, uint16 width, uint16 height, uint32 length of the z stream, the z stream,
the y stream. Both streams are ``codec/rans.py`` streams. Steps:

1. ``x = pixel / 255`` (float32), padded with zeros, centred, to a multiple of 64 (top/left get the floor half).
2. ``y = g_a(x)``, ``z = h_a(y)``; z symbols ``rint(z - median_c)`` (half to even), table row = channel c;
   ``z_hat = symbols + median_c``; ``means, scales = h_s(z_hat)``.
3. Slice i (``slice_depth`` channels of y, in order): ``support`` = the first ``min(i, max_support_slices)``
   decoded slices concatenated on channels; ``mu, sigma = cc_i(means, scales[, support])``; table row = the
   smallest k with ``max(sigma, 0.11) <= scale_table[k]`` (the last row if none); symbols ``rint(y_i - mu)``;
   ``y_hat = symbols + mu``; decoded slice = ``y_hat + lrp_i(means[, support], y_hat)``.
4. ``x_hat = g_s(slices)`` in [0, 1], cropped back to H x W; the 8-bit image is ``rint(x_hat * 255)``.

Symbols are coded channel-major (the NCHW order of each tensor); all slices share one y stream.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

from ..common.files import sha256
from ..common.images import load_rgb
from ..common.jsonfmt import to_json
from ..common.ort_session import ort_session
from . import rans
from .tables import read_table

MAGIC = b"FQC1"
MULTIPLE = 64
SCALE_BOUND = np.float32(0.11)


@dataclass
class Encoded:
    """A stream and what was computed on the way (for golden files and tests)."""

    data: bytes
    y: np.ndarray
    z: np.ndarray
    z_symbols: np.ndarray
    y_symbols: np.ndarray
    x_hat: np.ndarray  # float32 [1, 3, H, W] in [0, 1], cropped: what decoding the stream gives


def pad_box(height: int, width: int, multiple: int = MULTIPLE) -> Tuple[int, int, int, int]:
    """``(top, left, padded_height, padded_width)`` of the centred zero padding."""
    ph, pw = -(-height // multiple) * multiple, -(-width // multiple) * multiple
    return (ph - height) // 2, (pw - width) // 2, ph, pw


def scale_indexes(sigma: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Row of the Gaussian table per element: smallest k with ``max(sigma, 0.11) <= table[k]``, else the last."""
    s = np.maximum(sigma.astype(np.float32), SCALE_BOUND)
    idx = np.searchsorted(table.astype(np.float32), s, side="left")
    return np.minimum(idx, len(table) - 1).astype(np.int32)


class OrtCodec:
    """A codec model folder (``<repository>/<name>``) opened on onnxruntime (CPU, one thread)."""

    def __init__(self, folder: str | Path):
        folder = Path(folder)
        self.desc = json.loads((folder / "model.json").read_text())
        codec = self.desc["codec"]
        vdir = folder / str(self.desc["version"])
        self.sessions = {name: ort_session(vdir / g["file"], threads=1) for name, g in codec["graphs"].items()}
        self.num_slices, self.depth = codec["num_slices"], codec["slice_depth"]
        self.max_support = codec["max_support_slices"]
        self.z_tables = [read_table(vdir, f"z_{k}") for k in ("quantized_cdf", "cdf_length", "offset")]
        self.y_tables = [read_table(vdir, f"y_{k}") for k in ("quantized_cdf", "cdf_length", "offset")]
        self.medians = read_table(vdir, "z_medians").astype(np.float32)
        self.scale_table = read_table(vdir, "y_scale_table").astype(np.float32)

    def _run(self, name: str, **feeds) -> List[np.ndarray]:
        return self.sessions[name].run(None, {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in feeds.items()})

    def _slice(self, i: int, means, scales, decoded: List[np.ndarray]):
        k = min(i, self.max_support)
        extra = {"support": np.concatenate(decoded[:k], axis=1)} if k else {}
        mu, sigma = self._run(f"cc_{i}", means=means, scales=scales, **extra)
        return mu, sigma, extra

    def _finish(self, i, means, extra, mu, symbols):
        y_hat = (symbols.astype(np.float32) + mu).astype(np.float32)
        (lrp,) = self._run(f"lrp_{i}", means=means, **extra, y_hat=y_hat)
        return (y_hat + lrp).astype(np.float32)

    def encode(self, image: np.ndarray) -> Encoded:
        h, w = image.shape[:2]
        top, left, ph, pw = pad_box(h, w)
        x = np.zeros((1, 3, ph, pw), dtype=np.float32)
        x[0, :, top:top + h, left:left + w] = image.astype(np.float32).transpose(2, 0, 1) / np.float32(255)
        (y,) = self._run("g_a", x=x)
        (z,) = self._run("h_a", y=y)
        med = self.medians.reshape(1, -1, 1, 1)
        z_sym = np.rint((z - med).astype(np.float32)).astype(np.int32)
        z_idx = np.broadcast_to(np.arange(z.shape[1], dtype=np.int32).reshape(1, -1, 1, 1), z.shape)
        z_bytes = rans.encode(z_sym.ravel().tolist(), z_idx.ravel().tolist(), *self.z_tables)
        z_hat = (z_sym.astype(np.float32) + med).astype(np.float32)
        means, scales = self._run("h_s", z_hat=z_hat)
        enc = rans.RansEncoder()
        decoded, symbols = [], []
        for i in range(self.num_slices):
            mu, sigma, extra = self._slice(i, means, scales, decoded)
            y_i = y[:, i * self.depth:(i + 1) * self.depth]
            sym = np.rint((y_i - mu).astype(np.float32)).astype(np.int32)
            enc.encode_with_indexes(sym.ravel().tolist(), scale_indexes(sigma, self.scale_table).ravel().tolist(),
                                    *self.y_tables)
            symbols.append(sym)
            decoded.append(self._finish(i, means, extra, mu, sym))
        y_bytes = enc.flush()
        data = MAGIC + struct.pack("<HHI", w, h, len(z_bytes)) + z_bytes + y_bytes
        (x_hat,) = self._run("g_s", y_hat=np.concatenate(decoded, axis=1))
        return Encoded(data, y, z, z_sym, np.concatenate(symbols, axis=1), x_hat[:, :, top:top + h, left:left + w])

    def decode(self, data: bytes) -> Tuple[np.ndarray, Dict[str, np.ndarray]]:
        """Stream -> (``x_hat`` float32 ``[1, 3, H, W]``, ``{"z_symbols", "y_symbols"}``)."""
        if data[:4] != MAGIC:
            raise ValueError(f"not a FrameQ codec stream: magic {data[:4]!r}, expected {MAGIC!r}")
        w, h, z_len = struct.unpack("<HHI", data[4:12])
        top, left, ph, pw = pad_box(h, w)
        zh, zw = ph // MULTIPLE, pw // MULTIPLE
        c = len(self.medians)
        z_idx = np.broadcast_to(np.arange(c, dtype=np.int32).reshape(1, -1, 1, 1), (1, c, zh, zw))
        z_sym = np.asarray(rans.RansDecoder(data[12:12 + z_len]).decode_with_indexes(z_idx.ravel().tolist(),
                                                                                    *self.z_tables),
                           dtype=np.int32).reshape(1, c, zh, zw)
        z_hat = (z_sym.astype(np.float32) + self.medians.reshape(1, -1, 1, 1)).astype(np.float32)
        means, scales = self._run("h_s", z_hat=z_hat)
        dec = rans.RansDecoder(data[12 + z_len:])
        decoded, symbols = [], []
        for i in range(self.num_slices):
            mu, sigma, extra = self._slice(i, means, scales, decoded)
            idx = scale_indexes(sigma, self.scale_table)
            sym = np.asarray(dec.decode_with_indexes(idx.ravel().tolist(), *self.y_tables),
                             dtype=np.int32).reshape(mu.shape)
            symbols.append(sym)
            decoded.append(self._finish(i, means, extra, mu, sym))
        (x_hat,) = self._run("g_s", y_hat=np.concatenate(decoded, axis=1))
        return x_hat[:, :, top:top + h, left:left + w], {"z_symbols": z_sym,
                                                         "y_symbols": np.concatenate(symbols, axis=1)}


def to_uint8(x_hat: np.ndarray) -> np.ndarray:
    """``float32 [1, 3, H, W]`` in [0, 1] -> ``uint8 [H, W, 3]`` (``rint(x * 255)``, clamped)."""
    return np.clip(np.rint(x_hat[0].transpose(1, 2, 0) * np.float32(255)), 0, 255).astype(np.uint8)


def write_codec_golden(desc: dict, repository, folder: Path, frame_path: Path, seed: int = 0) -> Path:
    """Golden files of a codec model: the stream of ``frame.png`` and every stage, plus a rANS-only case.

    ``stream.bin``, ``y.npy``, ``z.npy``, ``z_symbols.npy``, ``y_symbols.npy`` (int64), ``x_hat.npy`` (cropped
    reconstruction, float32) and ``recon.png``; ``rans_*.npy`` + ``rans.bin``: random symbols (a third outside the
    table range, to exercise the escape path) coded with the y tables, so that the coder is compared on more than
    the near-constant symbols of an untrained model."""
    from PIL import Image

    codec = OrtCodec(Path(repository) / desc["name"])
    image = load_rgb(frame_path)
    enc = codec.encode(image)
    decoded, symbols = codec.decode(enc.data)
    if not (np.array_equal(symbols["y_symbols"], enc.y_symbols) and np.array_equal(decoded, enc.x_hat)):
        raise AssertionError(f"{desc['name']}: the Python round trip does not reproduce the encoder's state")
    (folder / "stream.bin").write_bytes(enc.data)
    for name, arr in (("y", enc.y), ("z", enc.z), ("x_hat", enc.x_hat)):
        np.save(folder / f"{name}.npy", arr.astype(np.float32))
    np.save(folder / "z_symbols.npy", enc.z_symbols.astype(np.int64))
    np.save(folder / "y_symbols.npy", enc.y_symbols.astype(np.int64))
    Image.fromarray(to_uint8(enc.x_hat)).save(folder / "recon.png")
    rng = np.random.default_rng(seed)
    cdf, lengths, offsets = codec.y_tables
    indexes = rng.integers(0, len(lengths), 600)
    spread = (lengths[indexes] // 2 + 40).astype(np.int64)
    values = rng.integers(-spread, spread + 1) + offsets[indexes] // 4
    values[::3] = rng.integers(-5000, 5000, len(values[::3]))  # far outside: escape + bypass nibbles
    rans_bytes = rans.encode(values.tolist(), indexes.tolist(), cdf, lengths, offsets)
    np.save(folder / "rans_symbols.npy", values.astype(np.int64))
    np.save(folder / "rans_indexes.npy", indexes.astype(np.int64))
    (folder / "rans.bin").write_bytes(rans_bytes)
    expected = {
        "model": desc["name"],
        "version": desc["version"],
        "sha256": desc["sha256"],
        "width": int(image.shape[1]),
        "height": int(image.shape[0]),
        "stream_bytes": len(enc.data),
        "stream_sha256": sha256(folder / "stream.bin"),
        "bits_per_pixel": 8.0 * len(enc.data) / (image.shape[0] * image.shape[1]),
        "psnr_db": psnr(image, to_uint8(enc.x_hat)),
        "rans_bytes": len(rans_bytes),
        "tolerance": 1e-4,
    }
    (folder / "expected.json").write_text(to_json(expected) + "\n")
    return folder


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10.0 * np.log10(255.0 ** 2 / mse)
