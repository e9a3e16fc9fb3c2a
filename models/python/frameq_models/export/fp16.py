"""fp16 siblings of the shipped fp32 ONNX graphs, for GPU execution providers (CUDA, TensorRT).

Weights and activations become float16; inputs and outputs stay float32 (``keep_io_types=True``), so the I/O
contract in model.json holds for both files and FrameQ's Java side feeds them alike. The sibling is written next to
the fp32 file as ``<stem>.fp16.onnx`` and listed in model.json under ``variants.fp16`` with its sha256 and its measured
deviation from the fp32 graph (ONNX Runtime CPU, which runs these graphs too, on random inputs in the model's input
range). FrameQ picks the fp16 file when the session runs on CUDA or TensorRT and the fp32 file on CPU.

Codec graphs (family ``codec``) get no fp16 sibling: their entropy coding needs bit-identical probabilities on the
encoder and the decoder, which reduced precision on different devices does not give.

    python -m frameq_models export-fp16 --repository ../repository --model maniqa-lite
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Dict

import numpy as np
import onnx

from ..common.files import sha256
from ..common.jsonfmt import to_json
from ..common.ort_session import ort_session

VARIANT_MAX_BYTES = 25 * 1024 * 1024  # the repository's file limit, for every precision sibling (fp16, int8)


def fp16_path(fp32: Path) -> Path:
    return fp32.with_name(fp32.stem + ".fp16" + fp32.suffix)


def convert(fp32: Path, out: Path) -> None:
    """Writes the fp16 graph of ``fp32`` to ``out`` (float32 inputs and outputs kept)."""
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = convert_float_to_float16(onnx.load(str(fp32)), keep_io_types=True)
    _topological_sort(model.graph)  # the converter appends its input casts at the end; the checker wants order
    onnx.save(model, str(out))
    onnx.checker.check_model(onnx.load(str(out)), full_check=True)


def _topological_sort(graph: onnx.GraphProto) -> None:
    """Reorders ``graph.node`` so that every node comes after the producers of its inputs (stable otherwise)."""
    known = {i.name for i in graph.input} | {t.name for t in graph.initializer} | {""}
    pending, ordered = list(graph.node), []
    while pending:
        progress = []
        for node in pending:
            if all(name in known for name in node.input):
                ordered.append(node)
                known.update(node.output)
            else:
                progress.append(node)
        if len(progress) == len(pending):
            raise ValueError(f"graph {graph.name!r}: cycle or missing input near node {pending[0].name!r}")
        pending = progress
    del graph.node[:]
    graph.node.extend(ordered)


def _probe_inputs(desc: dict, seed: int = 0) -> Dict[str, np.ndarray]:
    """Random inputs in the range the model sees: [-1, 1] for normalised images, [0, 1] for restorers, positions."""
    rng = np.random.default_rng(seed)
    crop = desc["preprocess"]["crop"]
    feeds = {}
    for spec in desc["inputs"]:
        shape = list(spec["shape"])
        for i, d in enumerate(shape):
            if d != -1:
                continue
            if i == 0:
                shape[i] = 2
            elif desc["family"] == "fr-iqa" and i == 1:
                shape[i] = crop.get("count", 16)
            else:
                shape[i] = 96 if i == len(shape) - 1 else 64
        if spec["dtype"] == "int64":
            feeds[spec["name"]] = rng.integers(0, crop.get("scales", 3), size=shape).astype(np.int64)
        else:
            low = -1.0 if desc["family"] == "nr-iqa" or spec["name"].startswith("patches") else 0.0
            feeds[spec["name"]] = rng.uniform(low, 1.0, size=shape).astype(np.float32)
    return feeds


def deviation(fp32: Path, fp16: Path, desc: dict) -> Dict[str, float]:
    """Max and mean absolute difference of every output, a sibling graph (fp16, int8) vs fp32, on ONNX Runtime CPU."""
    feeds = _probe_inputs(desc)
    a = ort_session(fp32, threads=2).run(None, feeds)
    b = ort_session(fp16, threads=2).run(None, feeds)
    diffs = [np.abs(x.astype(np.float64) - y.astype(np.float64)) for x, y in zip(a, b)]
    return {"max_abs_diff": float(max(d.max() for d in diffs)), "mean_abs_diff": float(np.mean([d.mean() for d in diffs]))}


def export_fp16(repository: Path, model: str) -> dict:
    """Writes the fp16 sibling of ``model``'s graph and records it in model.json; returns the ``variants.fp16`` entry."""
    return export_variant(repository, model, "fp16", fp16_path, convert,
                          "float16 weights and activations, float32 I/O", "frameq_models/export/fp16.py")


def export_variant(repository: Path, model: str, precision: str, path_of: Callable[[Path], Path],
                   convert_fn: Callable[[Path, Path], None], description: str, made_by: str) -> dict:
    """Writes ``model``'s ``precision`` sibling (``convert_fn(fp32, path_of(fp32))``), checks its size, measures its
    deviation from the fp32 graph and records it in model.json; returns the ``variants.<precision>`` entry."""
    model_json, desc, fp32 = checked_fp32(repository, model, precision)
    out = path_of(fp32)
    convert_fn(fp32, out)
    size = os.path.getsize(out)
    if size > VARIANT_MAX_BYTES:
        out.unlink()
        raise ValueError(f"model {model!r}: {precision} graph is {size} bytes, over the repository's 25 MB file limit")
    dev = deviation(fp32, out, desc)
    entry = {"file": out.name, "sha256": sha256(out), "precision": description,
             "max_abs_diff_vs_fp32": round(dev["max_abs_diff"], 6), "mean_abs_diff_vs_fp32": round(dev["mean_abs_diff"], 6),
             "diff_source": f"onnxruntime CPU, random inputs in the model's input range ({made_by})"}
    write_variant(model_json, desc, precision, entry)
    return entry


def checked_fp32(repository: Path, model: str, precision: str) -> tuple[Path, dict, Path]:
    """(model.json, its content, the fp32 graph) of ``model``, refusing codecs and a graph whose sha256 is stale."""
    model_json = repository / model / "model.json"
    desc = json.loads(model_json.read_text())
    if desc["family"] == "codec":
        raise ValueError(f"model {model!r}: family codec gets no {precision} variant (entropy coding needs identical "
                         "probabilities on encoder and decoder)")
    fp32 = model_json.parent / str(desc["version"]) / desc["file"]
    if sha256(fp32) != desc["sha256"]:
        raise ValueError(f"model {model!r}: sha256 of {fp32} differs from model.json; re-export first")
    return model_json, desc, fp32


def write_variant(model_json: Path, desc: dict, precision: str, entry: dict) -> None:
    """Adds ``variants.<precision>`` to model.json; appends it as text when there is no ``variants`` yet, so the rest
    of the file keeps its layout."""
    text = model_json.read_text()
    if "variants" not in desc and text.rstrip().endswith("}"):
        block = json.dumps({precision: entry}, indent=2).replace("\n", "\n  ")
        body = text.rstrip()[:-1].rstrip()
        model_json.write_text(f'{body},\n  "variants": {block}\n}}\n')
    else:
        desc.setdefault("variants", {})[precision] = entry
        model_json.write_text(to_json(desc) + "\n")
    json.loads(model_json.read_text())  # still valid JSON


def add_parser(sub) -> None:
    p = sub.add_parser("export-fp16", help="write the fp16 sibling of a model's ONNX graph and list it in model.json")
    p.add_argument("--repository", required=True)
    p.add_argument("--model", required=True, nargs="+")
    p.set_defaults(func=_main)


def _main(args, argv) -> int:
    for m in args.model:
        entry = export_fp16(Path(args.repository), m)
        print(f"{m}: {entry['file']} sha256 {entry['sha256'][:12]}..., max |fp16 - fp32| {entry['max_abs_diff_vs_fp32']}")
    return 0
