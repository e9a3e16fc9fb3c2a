"""The entropy coder's tables on disk: ``tables/*.bin`` (raw little-endian) indexed by ``tables.json``.

Written when a codec is exported and read by the Python reference (``codec.runtime``) and by
``io.frameq.codec.CodecTables``; models/MODEL-JSON.md, "Family codec", is the contract."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..common.files import sha256
from ..common.jsonfmt import to_json


def write_tables(model, folder: Path) -> dict:
    """``model.update()`` tables as raw little-endian files + an index (returned and written as tables.json)."""
    model.update()
    eb, gc = model.entropy_bottleneck, model.gaussian_conditional
    arrays = {f"z_{k}": v for k, v in eb.tables().items()}
    arrays.update({f"y_{k}": v for k, v in gc.tables().items()})
    arrays["z_medians"] = eb.medians().numpy().astype(np.float32)
    arrays["y_scale_table"] = gc.scale_table.numpy().astype(np.float32)
    tdir = folder / "tables"
    tdir.mkdir(parents=True, exist_ok=True)
    index = {"byte_order": "little", "precision": 16, "tables": {}}
    for key, arr in arrays.items():
        dtype = "<i4" if arr.dtype.kind == "i" else "<f4"
        path = tdir / f"{key}.bin"
        path.write_bytes(np.ascontiguousarray(arr, dtype=dtype).tobytes())
        index["tables"][key] = {"file": f"tables/{key}.bin", "dtype": "int32" if dtype == "<i4" else "float32",
                                "shape": list(arr.shape), "sha256": sha256(path)}
    (folder / "tables.json").write_text(to_json(index) + "\n")
    return index


def read_table(folder: Path, key: str) -> np.ndarray:
    index = json.loads((folder / "tables.json").read_text())
    entry = index["tables"][key]
    dtype = "<i4" if entry["dtype"] == "int32" else "<f4"
    return np.frombuffer((folder / entry["file"]).read_bytes(), dtype=dtype).reshape(entry["shape"])
