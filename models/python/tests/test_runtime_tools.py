"""compare-runtimes cases and report, and the fp16 sibling export (small graphs only; no timing asserted)."""

import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from frameq_models.bench import compare_runtimes as cr
from frameq_models.common.files import sha256
from frameq_models.common.ort_session import ort_session
from frameq_models.export import fp16, int8

REPO = Path(__file__).resolve().parents[2] / "repository"


def test_cases_feed_every_declared_input_of_the_shipped_graphs():
    for case in cr.default_cases():
        path, inputs = cr._graph_info(REPO, case)
        assert path.exists(), path
        assert [i["name"] for i in inputs] == list(case.shapes), case
        for spec in inputs:
            shape = case.shapes[spec["name"]]
            assert len(shape) == len(spec["shape"])
            assert all(d == -1 or d == s for d, s in zip(spec["shape"], shape)), (case, spec)


def test_markdown_reports_ratios_from_wall_and_cpu_time():
    run = lambda ms, cpu: {"seconds_per_run": ms / 1000, "cpu_seconds_per_run": cpu / 1000, "runs": 3}  # noqa: E731
    rounds = {"ort-python": [run(100, 190)], "frameq-java": [run(80, 200)], "torch-eager": [run(160, 300)]}
    best = {k: {"ms_per_run": v[0]["seconds_per_run"] * 1000, "gflops_per_second": 2 / v[0]["seconds_per_run"],
                "fraction_of_peak": 2 / v[0]["seconds_per_run"] / 156} for k, v in rounds.items()}
    report = {"date": "d", "machine": {"cpu": "c", "cores": 2}, "threads": 2, "rounds": 1, "seconds_per_measurement": 1,
              "load_average_at_start": [1.0, 1, 1], "load_average_at_end": [2.0, 1, 1], "peak_gflops": 156,
              "cases": [{"model": "m", "work": "w", "gflops_per_run": 2.0, "notes": "", "best": best, "all_rounds": rounds,
                         "java_vs_ort_python": 1.25, "java_vs_torch_eager": 2.0}]}
    md = cr.markdown(report)
    row = md.strip().splitlines()[-1]
    assert "| m | w | 2.00 | 160.0 | 100.0 | 80.0 | 1.25x | - | - | 190 | 200 | 0.95x | 2.00x | 25.00 (16.0 %) | 20.0 (13 %) |" == row
    report["cases"][0]["java_vs_ort_python_median"] = 1.1
    report["cases"][0]["java_vs_ort_python_paired"] = 1.05
    assert "| 1.25x | 1.10x | 1.05x | 190 |" in cr.markdown(report)
    # Without torch eager its columns read "-".
    del rounds["torch-eager"], best["torch-eager"], report["cases"][0]["java_vs_torch_eager"]
    assert "| m | w | 2.00 | - | 100.0 | 80.0 | 1.25x | 1.10x | 1.05x | 190 | 200 | 0.95x | - |" in cr.markdown(report)


def test_paired_ratio_is_the_median_of_per_round_ratios():
    run = lambda ms: {"seconds_per_run": ms / 1000}  # noqa: E731
    # Round 2 is a slow minute for both sides: pairing keeps it from skewing the ratio.
    python = [run(100), run(200), run(110)]
    java = [run(100), run(190), run(120)]
    assert cr.paired_ratio(python, java) == pytest.approx(100 / 100)
    assert cr.paired_ratio([run(90)], [run(100)]) == pytest.approx(0.9)


def _conv_model(path: Path) -> None:
    w = numpy_helper.from_array(np.random.default_rng(0).normal(size=(4, 3, 3, 3)).astype(np.float32), "w")
    relu = helper.make_node("Relu", ["c"], ["y"])
    conv = helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1])
    graph = helper.make_graph([conv, relu], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8, 8])], [w])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(path))


def test_fp16_sibling_keeps_float32_io_is_sorted_and_close(tmp_path):
    src, dst = tmp_path / "model.onnx", tmp_path / "model.fp16.onnx"
    _conv_model(src)
    fp16.convert(src, dst)  # runs onnx.checker (topological order) itself
    model = onnx.load(str(dst))
    assert model.graph.input[0].type.tensor_type.elem_type == TensorProto.FLOAT
    assert model.graph.output[0].type.tensor_type.elem_type == TensorProto.FLOAT
    assert any(t.data_type == TensorProto.FLOAT16 for t in model.graph.initializer)
    dev = fp16.deviation(src, dst, {"family": "restore", "preprocess": {"crop": {}},
                                    "inputs": [{"name": "x", "dtype": "float32", "shape": [1, 3, 8, 8]}]})
    assert 0 < dev["max_abs_diff"] < 1e-2


def test_shipped_fp16_siblings_match_their_model_json():
    for name in ("maniqa-lite", "vtamiq-lite", "lpienet-lite", "mirnet-v2-lite"):
        desc = json.loads((REPO / name / "model.json").read_text())
        entry = desc["variants"]["fp16"]
        path = REPO / name / str(desc["version"]) / entry["file"]
        assert sha256(path) == entry["sha256"]
        assert path.stat().st_size < fp16.VARIANT_MAX_BYTES
        ort_session(path)  # loads on CPU


def _matmul_model(path: Path) -> None:
    w = numpy_helper.from_array(np.random.default_rng(0).normal(size=(16, 8)).astype(np.float32), "w")
    mm = helper.make_node("MatMul", ["x", "w"], ["m"])
    relu = helper.make_node("Relu", ["m"], ["y"])
    graph = helper.make_graph([mm, relu], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 16])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 8])], [w])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(path))


def test_int8_sibling_quantises_matmul_weights_keeps_float_io_and_stays_close(tmp_path):
    src, dst = tmp_path / "model.onnx", tmp_path / "model.int8.onnx"
    _matmul_model(src)
    int8.convert(src, dst)
    model = onnx.load(str(dst))
    assert model.graph.input[0].type.tensor_type.elem_type == TensorProto.FLOAT
    assert model.graph.output[0].type.tensor_type.elem_type == TensorProto.FLOAT
    assert any(t.data_type == TensorProto.INT8 for t in model.graph.initializer)
    assert "MatMulInteger" in {n.op_type for n in model.graph.node}
    dev = fp16.deviation(src, dst, {"family": "restore", "preprocess": {"crop": {}},
                                    "inputs": [{"name": "x", "dtype": "float32", "shape": [4, 16]}]})
    assert 0 < dev["max_abs_diff"] < 0.1  # |x| <= 1, |w| ~ 1, 16 terms: outputs of order 4


def test_int8_refuses_a_graph_without_matmul_weights(tmp_path):
    src = tmp_path / "model.onnx"
    _conv_model(src)
    with pytest.raises(ValueError, match="no MatMul or Gemm"):
        int8.convert(src, tmp_path / "model.int8.onnx")
    assert not (tmp_path / "model.int8.onnx").exists()


def test_shipped_int8_siblings_match_their_model_json():
    shipped = 0
    for path in sorted(REPO.glob("*/model.json")):
        desc = json.loads(path.read_text())
        entry = desc.get("variants", {}).get("int8")
        if entry is None:
            continue
        graph = path.parent / str(desc["version"]) / entry["file"]
        assert sha256(graph) == entry["sha256"]
        ort_session(graph)
        shipped += 1
    assert shipped >= 1, "no model in the repository lists variants.int8"
