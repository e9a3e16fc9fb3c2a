"""WACNN: official layout (full, built once), tiny behaviour, CDF tables, Python rANS round trip, ONNX export."""

import copy
import json

import numpy as np
import pytest
import torch

from conftest import official_shapes
from frameq_models.__main__ import main
from frameq_models.archs import entropy_models as em
from frameq_models.archs import registry
from frameq_models.archs import wacnn as w
from frameq_models.codec import rans
from frameq_models.codec.tables import read_table
from frameq_models.common.files import sha256
from frameq_models.export import codec_graphs as cx

FULL_PARAMS = 75_235_779


@pytest.fixture(scope="module")
def wacnn_full():
    torch.manual_seed(0)
    return w.build("full").eval()


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(1)
    model = w.build("tiny").eval()
    model.update()
    return model


def test_full_state_dict_keys_and_shapes_equal_the_official_list(wacnn_full):
    expected, total = official_shapes("wacnn.json")
    actual = {k: list(v.shape) for k, v in wacnn_full.state_dict().items()}
    assert sorted(set(expected) ^ set(actual)) == []
    wrong = {k: (actual[k], expected[k]) for k in expected if actual[k] != expected[k]}
    assert not wrong
    assert list(actual) == list(expected), "state_dict order differs from the official one"
    assert total == FULL_PARAMS == w.parameter_count(wacnn_full)


def test_full_loads_an_updated_official_checkpoint_strictly(wacnn_full):
    # a checkpoint saved after update() holds non-empty CDF buffers: the loader resizes them
    shapes, _ = official_shapes("wacnn.json")
    state = {k: v.clone() for k, v in wacnn_full.state_dict().items()}
    state["gaussian_conditional._quantized_cdf"] = torch.zeros(64, 3133, dtype=torch.int32)
    state["gaussian_conditional._offset"] = torch.zeros(64, dtype=torch.int32)
    state["gaussian_conditional._cdf_length"] = torch.zeros(64, dtype=torch.int32)
    state["gaussian_conditional.scale_table"] = em.default_scale_table()
    state["h_s.0.weight"] = torch.zeros(1)  # present in official checkpoints, dropped by the loader
    obj = {"epoch": 1, "state_dict": {"module." + k: v for k, v in state.items()}}
    torch.manual_seed(5)
    target = w.build("full")
    target.load_state_dict(w.checkpoint_to_state_dict(obj), strict=True)
    assert target.gaussian_conditional._quantized_cdf.shape == (64, 3133)
    assert set(shapes) == set(target.state_dict())


def test_gdn_reparametrisation_buffers(wacnn_full):
    gdn = wacnn_full.g_a[1]
    assert gdn.beta_reparam.pedestal.item() == pytest.approx(2.0 ** -36)
    assert gdn.beta_reparam.lower_bound.bound.item() == pytest.approx((1e-6 + 2.0 ** -36) ** 0.5)
    assert gdn.gamma_reparam.lower_bound.bound.item() == pytest.approx(2.0 ** -18)
    assert torch.allclose(gdn.beta_reparam(gdn.beta), torch.ones(192), atol=1e-6)
    x = torch.randn(1, 192, 4, 4)
    with torch.no_grad():  # at initialisation beta = 1, gamma = 0.1 I
        assert torch.allclose(gdn(x), x / torch.sqrt(1 + 0.1 * x * x), atol=1e-5)
        assert torch.allclose(wacnn_full.g_s[2](x), x * torch.sqrt(1 + 0.1 * x * x), atol=1e-5)


def test_lite_budget():
    model = w.build("lite")
    assert w.parameter_count(model) < 3_000_000
    assert w.gflops(model, 256) < 5.0


def test_tiny_training_forward_gives_likelihoods_and_gradients():
    torch.manual_seed(2)
    model = w.build("tiny").train()
    x = torch.rand(2, 3, 64, 128)
    out = model(x)
    assert out["x_hat"].shape == x.shape
    assert out["likelihoods"]["y"].shape == (2, 16, 4, 8) and out["likelihoods"]["z"].shape == (2, 8, 1, 2)
    for lik in out["likelihoods"].values():
        assert float(lik.detach().min()) >= 1e-9 and float(lik.detach().max()) <= 1.0
    bpp = sum(-torch.log2(lik).sum() for lik in out["likelihoods"].values()) / (2 * 64 * 128)
    (bpp + torch.mean((out["x_hat"] - x) ** 2) + model.aux_loss()).backward()
    assert model.g_a[0].weight.grad is not None and model.entropy_bottleneck.quantiles.grad is not None


def _check_cdf_rows(cdf, lengths, offsets):
    assert cdf.dtype == np.int32 and lengths.dtype == np.int32 and offsets.dtype == np.int32
    assert lengths.shape == offsets.shape == (cdf.shape[0],) and cdf.shape[1] == lengths.max()
    for row, n in zip(cdf, lengths):
        r = row[:n].astype(np.int64)
        assert r[0] == 0 and r[-1] == 65536
        assert np.all(np.diff(r) > 0), "zero-width or decreasing interval"
        assert np.all(row[n:] == 0)


def test_gaussian_tables_follow_the_published_shapes(tiny):
    t = tiny.gaussian_conditional.tables()
    _check_cdf_rows(t["quantized_cdf"], t["cdf_length"], t["offset"])
    assert t["quantized_cdf"].shape == (64, 3133)
    assert (t["cdf_length"].min(), t["cdf_length"].max()) == (5, 3133)
    assert (t["offset"].max(), t["offset"].min()) == (-1, -1565)
    assert t["quantized_cdf"][0, :5].tolist() == [0, 1, 65534, 65535, 65536]
    assert np.all((t["cdf_length"] - 3) // 2 == -t["offset"])
    table = tiny.gaussian_conditional.scale_table
    assert table[0].item() == pytest.approx(0.11) and table[-1].item() == pytest.approx(256.0, rel=1e-5)


def test_bottleneck_tables(tiny):
    t = tiny.entropy_bottleneck.tables()
    _check_cdf_rows(t["quantized_cdf"], t["cdf_length"], t["offset"])
    assert t["offset"].shape == (8,) and np.all(t["offset"] <= 0)


def test_pmf_to_cdf_fixes_zero_frequencies():
    cdf = em.pmf_to_quantized_cdf([0.999999, 1e-9, 1e-9, 5e-7, 1e-9])
    assert cdf[0] == 0 and cdf[-1] == 65536 and np.all(np.diff(cdf) > 0)
    assert em.pmf_to_quantized_cdf([0.5, 0.25, 0.25, 0.0]).tolist() == [0, 32768, 49151, 65535, 65536]


def test_gaussian_indexes_pick_the_first_table_scale_not_below_sigma(tiny):
    gc = tiny.gaussian_conditional
    sigma = torch.tensor([0.0, 0.11, 0.12, 0.1244, 255.0, 256.0, 1e6])
    assert gc.build_indexes(sigma).tolist() == [0, 0, 1, 1, 63, 63, 63]


def test_rans_round_trip_with_escapes():
    rng = np.random.default_rng(0)
    cdf = np.zeros((2, 7), dtype=np.int32)
    cdf[0, :5] = em.pmf_to_quantized_cdf([0.25, 0.5, 0.25 - 1e-3, 1e-3])  # 3 symbols + tail
    cdf[1, :7] = em.pmf_to_quantized_cdf([0.1, 0.2, 0.3, 0.3, 0.1 - 1e-4, 1e-4])  # 5 symbols + tail
    lengths, offsets = np.array([5, 7], np.int32), np.array([-1, -2], np.int32)
    symbols = rng.integers(-3, 4, size=500).tolist() + [-1000, 70000, 2**20, -(2**24), 15, 16, 300]
    indexes = rng.integers(0, 2, size=len(symbols)).tolist()
    data = rans.encode(symbols, indexes, cdf, lengths, offsets)
    assert len(data) % 4 == 0
    assert rans.RansDecoder(data).decode_with_indexes(indexes, cdf, lengths, offsets) == symbols


def test_codec_round_trip_decodes_y_symbols_exactly(tiny):
    model = copy.deepcopy(tiny)
    with torch.no_grad():  # widen y so that the stream holds large symbols and escapes (scales up to the table end)
        model.g_a[7].weight.mul_(300.0)
    stream = model.compress(torch.rand(1, 3, 64, 128))
    assert int(stream["y_symbols"].abs().max()) > 30  # beyond the small-scale rows: escape coding
    x_hat, y_symbols = model.decompress(stream["y"], stream["z"], stream["z_shape"], return_symbols=True)
    assert torch.equal(y_symbols, stream["y_symbols"])
    assert x_hat.shape == (1, 3, 64, 128) and float(x_hat.min()) >= 0 and float(x_hat.max()) <= 1


def test_tiny_export_parity_at_two_sizes_and_tables(tmp_path):
    assert main(["export", "--arch", "wacnn", "--config", "tiny", "--out", str(tmp_path)]) == 0
    folder = tmp_path / "wacnn-tiny"
    desc = json.loads((folder / "model.json").read_text())
    assert desc["family"] == "codec" and desc["file"] == "g_a.onnx"
    graphs = desc["codec"]["graphs"]
    assert sorted(graphs) == sorted(["g_a", "h_a", "h_s", "cc_0", "cc_1", "lrp_0", "lrp_1", "g_s"])
    for name, g in graphs.items():
        assert g["sha256"] == sha256(folder / "1" / g["file"])
        for spec in g["inputs"]:
            assert spec["shape"][0] == -1 and spec["shape"][2:] == [-1, -1], (name, spec)
    assert [i["name"] for i in graphs["cc_1"]["inputs"]] == ["means", "scales", "support"]
    assert [i["name"] for i in graphs["cc_0"]["inputs"]] == ["means", "scales"]
    # the exporter already compared ORT and torch at 64x64 (batch 1) and 128x192 (batch 3); repeat one check here
    torch.manual_seed(0)
    model = w.build("tiny").eval()
    spec = {s.name: s for s in cx.codec_graphs(model)}["g_s"]
    assert cx.check_graph(spec, folder / "1" / "g_s.onnx", [(2, 192, 64)]) <= 1e-4
    vdir = folder / "1"
    model.update()
    cdf = read_table(vdir, "y_quantized_cdf")
    assert cdf.shape == (64, 3133) and np.array_equal(cdf, model.gaussian_conditional._quantized_cdf.numpy())
    assert np.array_equal(read_table(vdir, "z_offset"), model.entropy_bottleneck._offset.numpy())
    raw = (vdir / "tables" / "y_quantized_cdf.bin").read_bytes()
    assert int.from_bytes(raw[16:20], "little") == 65536  # row 0 = [0, 1, 65534, 65535, 65536]


@pytest.mark.parametrize("name", ["wacnn-lite", "wacnn-lite-low", "wacnn-lite-high"])
def test_shipped_wacnn_lite(repository, name):
    folder = repository / name
    desc = json.loads((folder / "model.json").read_text())
    vdir = folder / str(desc["version"])
    assert (desc["family"], desc["architecture"], desc["config"]) == ("codec", "wacnn", "lite")
    assert desc["sha256"] == desc["codec"]["graphs"]["g_a"]["sha256"]
    for g in desc["codec"]["graphs"].values():
        assert g["sha256"] == sha256(vdir / g["file"])
    index = json.loads((vdir / "tables.json").read_text())
    assert desc["codec"]["tables_sha256"] == sha256(vdir / "tables.json")
    for entry in index["tables"].values():
        assert entry["sha256"] == sha256(vdir / entry["file"])
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert total < 15_000_000
    model = registry.build_model("wacnn", "lite", seed=0)
    assert desc["parameters"] == w.parameter_count(model)
    # trained rate points (weights not in git): export checked torch-vs-ONNX parity; here the shipped graphs and
    # tables must code a real image end to end (the eval's ONNX + rANS pipeline)
    assert desc["training"]["status"] == "trained"
    from frameq_models.eval.all_models import OnnxCodec

    img = np.random.default_rng(0).integers(0, 256, (64, 128, 3), dtype=np.uint8)
    bpp, out = OnnxCodec(repository, name)(img)
    assert out.shape == img.shape and 0 < bpp < 24


def test_ort_codec_reproduces_the_committed_golden_stream(repository, golden_dir):
    from frameq_models.codec import runtime as cr
    from frameq_models.common.images import load_rgb

    folder = golden_dir / "wacnn-lite"
    codec = cr.OrtCodec(repository / "wacnn-lite")
    enc = codec.encode(load_rgb(folder / "frame.png"))
    assert enc.data == (folder / "stream.bin").read_bytes()
    x_hat, symbols = codec.decode(enc.data)
    np.testing.assert_array_equal(symbols["y_symbols"], np.load(folder / "y_symbols.npy"))
    np.testing.assert_allclose(x_hat, np.load(folder / "x_hat.npy"), atol=1e-6)
    values = np.load(folder / "rans_symbols.npy")
    indexes = np.load(folder / "rans_indexes.npy")
    assert int((values < -100).sum()) > 50  # the escape path is exercised
    decoded = rans.RansDecoder((folder / "rans.bin").read_bytes()).decode_with_indexes(indexes.tolist(), *codec.y_tables)
    assert decoded == values.tolist()
    with pytest.raises(ValueError, match="not a FrameQ codec stream"):
        codec.decode(b"JPEG" + enc.data[4:])


def test_codec_padding_is_centred():
    from frameq_models.codec import runtime as cr

    assert cr.pad_box(80, 120) == (24, 4, 128, 128)
    assert cr.pad_box(65, 1) == (31, 31, 128, 64)
