"""VTAMIQ (2022 layout): official keys/shapes (full), behaviour (tiny), export, shipped lite model and goldens."""

import json

import numpy as np
import pytest
import torch

from conftest import official_shapes
from frameq_models.archs import registry
from frameq_models.archs import vtamiq as v
from frameq_models.common.files import sha256
from frameq_models.common.ort_session import ort_session
from frameq_models.export import golden
from frameq_models.export import onnx_graph

FULL_PARAMS = 57_310_882


@pytest.fixture(scope="module")
def vtamiq_full():
    torch.manual_seed(0)
    return v.build("full").eval()


def test_full_state_dict_keys_and_shapes_equal_the_official_list(vtamiq_full):
    expected, total = official_shapes("vtamiq-2022.json")
    actual = {k: list(t.shape) for k, t in vtamiq_full.state_dict().items()}
    assert sorted(set(expected) ^ set(actual)) == []
    assert {k: s for k, s in actual.items() if s != expected[k]} == {}
    assert list(actual) == list(expected)
    assert total == FULL_PARAMS == v.parameter_count(vtamiq_full)


def test_full_loads_the_release_checkpoint_layout_strictly(vtamiq_full, tmp_path):
    shapes, _ = official_shapes("vtamiq-2022.json")
    state = {k: torch.full((1,), i % 50, dtype=torch.float32).reshape([1] * len(s)).expand(s)
             for i, (k, s) in enumerate(shapes.items())}
    torch.save({"model_state_dict": state, "epoch": 9, "test_accuracy": 0.9}, tmp_path / "vtamiq.pth")
    registry.load_checkpoint(vtamiq_full, "vtamiq", tmp_path / "vtamiq.pth")
    loaded = vtamiq_full.state_dict()
    assert all(float(loaded[k].flatten()[-1]) == i % 50 for i, k in enumerate(shapes))


def test_lite_budget():
    lite = v.build("lite").eval()
    assert v.gflops(lite) <= 3.0
    assert v.parameter_count(lite) < 4_000_000


def test_identical_images_give_the_same_score_whatever_the_content():
    torch.manual_seed(0)
    model = v.build("tiny").eval()
    ref_a, _, uv, s = v.example_inputs(model.cfg, batch=2, seed=1)
    ref_b, _, _, _ = v.example_inputs(model.cfg, batch=2, seed=2)
    with torch.no_grad():
        a, b = model(ref_a, ref_a, uv, s), model(ref_b, ref_b, uv, s)
    assert a.shape == (2,)
    torch.testing.assert_close(a, b)  # d = cls_ref - cls_dist = 0 for any identical pair


def test_score_does_not_depend_on_patch_order():
    torch.manual_seed(0)
    model = v.build("tiny").eval()
    ref, dist, uv, s = v.example_inputs(model.cfg, batch=1, seed=3)
    perm = torch.randperm(ref.shape[1])
    with torch.no_grad():
        torch.testing.assert_close(model(ref, dist, uv, s), model(ref[:, perm], dist[:, perm], uv[:, perm], s[:, perm]))


def test_position_and_scale_lookups_follow_the_published_indexing():
    emb = v.UvPosEmbedding(grid=24, hidden=4)
    with torch.no_grad():
        emb.positional_embeddings.copy_(torch.arange(577.0).reshape(1, 577, 1).expand(1, 577, 4))
    rows = emb(torch.tensor([[0.0, 0.0], [0.5, 0.25], [0.999999, 0.999999]]))[:, 0]
    assert rows.tolist() == [1.0, 12 * 24 + 6 + 1, 23 * 24 + 23 + 1]
    scale = v.ScaleEmbedding(num_scales=5, hidden=2)
    with torch.no_grad():
        scale.scale_embeddings.copy_(torch.arange(6.0).reshape(1, 6, 1).expand(1, 6, 2))
    assert scale(torch.tensor([[0, 0], [4, 4], [9, 9]]))[:, 0].tolist() == [1.0, 5.0, 5.0]


def test_tiny_export_matches_torch_for_any_batch_and_patch_count(tmp_path):
    model = registry.build_model("vtamiq", "tiny", seed=4)
    path = tmp_path / "vtamiq.onnx"
    onnx_graph.export_onnx(model, "vtamiq", path)
    assert max(onnx_graph.check_parity(model, "vtamiq", path, batches=(1, 3)).values()) <= 1e-4
    session = ort_session(path)
    inputs = v.example_inputs(model.cfg, batch=2, seed=6, num_patches=5)
    with torch.no_grad():
        want = model(*inputs).numpy()
    got = session.run(["score"], {n: t.numpy() for n, t in zip(v.INPUT_NAMES, inputs)})[0]
    np.testing.assert_allclose(got, want, atol=1e-5)
    specs, outputs = onnx_graph.graph_io(path)
    assert [s["shape"] for s in specs] == [[-1, -1, 3, 4, 4], [-1, -1, 3, 4, 4], [-1, -1, 2], [-1, -1, 2]]
    assert [s["dtype"] for s in specs] == ["float32", "float32", "float32", "int64"]
    assert outputs == [{"name": "score", "dtype": "float32", "shape": [-1]}]


def test_patch_sampling_follows_the_documented_rules():
    assert golden.scale_counts(1024, 5) == [663, 236, 84, 30, 11]
    assert [golden.halton(i, 2) for i in (1, 2, 3)] == [0.5, 0.25, 0.75]
    assert golden.halton(4, 3) == pytest.approx(4 / 9)
    rng = np.random.default_rng(0)
    ref = rng.integers(0, 256, (70, 90, 3), dtype=np.uint8)
    spec = v.serving(v.CONFIGS["tiny"])["preprocess"]
    assert spec["crop"]["sampling"] == "caps"  # the served default
    spec = {**spec, "crop": {**spec["crop"], "sampling": "halton"}}
    pr, pd, pos, sc, counts = golden.sample_patches(ref, ref, spec)
    assert pr.shape == (8, 3, 4, 4) and sum(counts) == 8 and np.array_equal(pr, pd)
    assert pos.dtype == np.float32 and float(pos.min()) >= 0 and float(pos.max()) < 1
    assert sc.dtype == np.int64 and sc[:, 0].tolist() == sum(([s] * n for s, n in enumerate(counts)), [])
    y, x = int(np.floor(0.5 * (70 - 4 + 1))), int(np.floor(1 / 3 * (90 - 4 + 1)))  # first level-0 patch
    mean, std = np.float32(spec["mean"]), np.float32(spec["std"])
    want = ((ref[y:y + 4, x:x + 4].astype(np.float32) / np.float32(255) - mean) / std).transpose(2, 0, 1)
    np.testing.assert_array_equal(pr[0], want)


def test_shipped_lite_model_and_golden(repository, golden_dir, tmp_path):
    desc = json.loads((repository / "vtamiq-lite" / "model.json").read_text())
    onnx_path = repository / "vtamiq-lite" / str(desc["version"]) / "model.onnx"
    assert desc["sha256"] == sha256(onnx_path) and desc["family"] == "fr-iqa"
    assert (desc["inputs"], desc["outputs"]) == tuple(onnx_graph.graph_io(onnx_path))
    model = registry.build_model("vtamiq", "lite", seed=0)
    assert desc["parameters"] == v.parameter_count(model)
    # trained weights (not in git): torch-vs-ONNX parity was checked by `export`; here the golden pins the graph
    assert desc["training"]["status"] == "trained"
    committed = golden_dir / "vtamiq-lite"
    fresh = golden.write_golden("vtamiq-lite", repository, tmp_path, frame=committed / "dist.png",
                                reference=committed / "ref.png")
    for name in ("patches_ref", "patches_dist", "positions", "scales"):
        assert (fresh / f"{name}.npy").read_bytes() == (committed / f"{name}.npy").read_bytes(), name
    np.testing.assert_allclose(np.load(fresh / "score.npy"), np.load(committed / "score.npy"), atol=1e-6)
    expected = json.loads((committed / "expected.json").read_text())
    assert expected["sha256"] == desc["sha256"] and expected["tolerance"] == 1e-4
    assert expected["frame_score"] == pytest.approx(float(np.load(committed / "score.npy")[0]), abs=1e-7)


def _cross_language_pair():
    """The pair PatchSamplerTest builds in Java: ref = (7x + 3y + 50c) mod 256, dist inverts rows 8..39, cols 16..55."""
    y, x, c = np.meshgrid(np.arange(80), np.arange(120), np.arange(3), indexing="ij")
    ref = ((7 * x + 3 * y + 50 * c) % 256).astype(np.uint8)
    dist = ref.copy()
    dist[8:40, 16:56] = 255 - dist[8:40, 16:56]
    return ref, dist


def test_splitmix64_matches_the_reference_sequence():
    r = golden.SplitMix64(0)
    assert [r.next_u64() for _ in range(3)] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]
    assert golden.SplitMix64(1234567).next_u64() == 0x599ED017FB08FC85
    units = [golden.SplitMix64(s).next_unit() for s in range(100)]
    assert all(0.0 <= u < 1.0 for u in units)
    assert {golden.SplitMix64(s).next_int(3) for s in range(100)} == {0, 1, 2}


def test_caps_places_the_patches_the_java_test_pins():
    ref, dist = _cross_language_pair()
    places = golden.caps_placements(ref, dist, 8, golden.scale_counts(24, 3), seed=5)
    assert places[:4] == [(0, 30, 81), (0, 9, 27), (0, 72, 91), (0, 43, 57)]  # PatchSamplerTest pins all 24
    assert places[-3:] == [(2, 6, 4), (2, 2, 12), (2, 10, 20)]
    assert golden.caps_placements(ref, ref, 8, [15, 6, 3], seed=5)[:2] == [(0, 38, 9), (0, 9, 35)]


def test_caps_prefers_the_damaged_region_and_stays_inside_the_image():
    rng = np.random.default_rng(1)
    ref = rng.integers(0, 256, (320, 480, 3), dtype=np.uint8)
    dist = ref.copy()
    dist[:96, :96] = 255 - dist[:96, :96]
    counts = golden.scale_counts(256, 5)

    def corner(places):
        return sum(1 for s, y, x in places if s == 0 and y < 96 and x < 96)

    clean, damaged = (golden.caps_placements(ref, d, 16, counts) for d in (ref, dist))
    assert corner(damaged) > 2 * corner(clean)
    assert golden.caps_placements(ref, dist, 16, counts, seed=0) == damaged
    assert golden.caps_placements(ref, dist, 16, counts, seed=1) != damaged
    for s, y, x in damaged:
        assert 0 <= y <= (320 >> s) - 16 and 0 <= x <= (480 >> s) - 16
