"""int8 siblings of the shipped fp32 ONNX graphs, for CPU sessions (``onnx.cpu.int8=true`` in the app).

ONNX Runtime's dynamic quantisation: the weights of every MatMul / Gemm become int8 (per tensor, symmetric, 7-bit
range), and each call quantises that operator's activations to uint8 from their own range, so no calibration data is
needed and inputs and outputs stay float32 (the model.json I/O contract holds for both files). Convolutions stay
fp32, so the gain is the transformer IQA models' (their time is in their MatMuls: 1.3x less model time here,
BENCHMARKS.md); a graph without a MatMul or Gemm weight (the convolutional restorers) is refused, and ONNX Runtime's
integer convolution was not tried. The 7-bit weight range (``reduce_range``) is what ONNX Runtime advises for AVX2
CPUs without VNNI: their uint8 x int8 kernel adds pairs of products in 16 bits, which saturates with full-range
weights (a test graph here came out 16 % off that way). The sibling is written next to the fp32 file as
``<stem>.int8.onnx`` and listed in model.json under ``variants.int8`` with its sha256 and its measured deviation from
the fp32 graph (the fp16 siblings' probe: ``fp16.deviation``).

    python -m frameq_models export-int8 --repository ../repository --model maniqa-lite vtamiq-lite
"""

from __future__ import annotations

import logging
from pathlib import Path

import onnx

from .fp16 import export_variant

QUANTISED_OPS = ("MatMul", "Gemm")


def int8_path(fp32: Path) -> Path:
    return fp32.with_name(fp32.stem + ".int8" + fp32.suffix)


def quantisable_weights(model: onnx.ModelProto) -> int:
    """How many MatMul / Gemm nodes take a constant (initializer) operand: what dynamic quantisation converts."""
    consts = {t.name for t in model.graph.initializer}
    return sum(1 for n in model.graph.node if n.op_type in QUANTISED_OPS and any(i in consts for i in n.input))


def convert(fp32: Path, out: Path) -> None:
    """Writes the int8 (dynamic quantisation, MatMul / Gemm weights) graph of ``fp32`` to ``out``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    n = quantisable_weights(onnx.load(str(fp32)))
    if n == 0:
        raise ValueError(f"{fp32}: no MatMul or Gemm with a constant weight; int8 dynamic quantisation would change "
                         "nothing (convolutions stay fp32)")
    quant_log = logging.getLogger()  # the quantiser suggests its optional pre-processing pass on every call
    level = quant_log.level
    quant_log.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(fp32), str(out), op_types_to_quantize=list(QUANTISED_OPS), weight_type=QuantType.QInt8,
                         reduce_range=True)
    finally:
        quant_log.setLevel(level)
    onnx.checker.check_model(onnx.load(str(out)), full_check=True)


def export_int8(repository: Path, model: str) -> dict:
    """Writes the int8 sibling of ``model``'s graph and records it in model.json; returns the ``variants.int8`` entry."""
    return export_variant(repository, model, "int8", int8_path, convert,
                          "int8 MatMul/Gemm weights, activations quantised per call (dynamic), float32 I/O",
                          "frameq_models/export/int8.py")


def add_parser(sub) -> None:
    p = sub.add_parser("export-int8", help="write the int8 (dynamically quantised) sibling of a model's ONNX graph for "
                                           "CPU sessions and list it in model.json")
    p.add_argument("--repository", required=True)
    p.add_argument("--model", required=True, nargs="+")
    p.set_defaults(func=_main)


def _main(args, argv) -> int:
    for m in args.model:
        entry = export_int8(Path(args.repository), m)
        print(f"{m}: {entry['file']} sha256 {entry['sha256'][:12]}..., max |int8 - fp32| {entry['max_abs_diff_vs_fp32']}")
    return 0
