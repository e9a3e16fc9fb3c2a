"""File digests recorded in model.json and checked by the Java loader."""

from __future__ import annotations

import hashlib
import os


def sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
