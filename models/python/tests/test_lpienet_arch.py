"""LPIENet: official layout (full), CPU variant (lite), behaviour (tiny), export parity, shipped lpienet-lite."""

import pytest
import torch
import torch.nn.functional as F

from conftest import official_shapes
from frameq_models.archs import lpienet as L
from frameq_models.archs import registry
from restore_checks import assert_export_parity, assert_official_layout, assert_shipped_restore_model

FULL_PARAMS = 133_652


def test_full_state_dict_keys_shapes_and_order_equal_the_official_list():
    assert_official_layout(L.build("full"), "lpienet.json")


def test_full_parameter_count_is_the_published_one():
    _, total = official_shapes("lpienet.json")
    assert total == FULL_PARAMS == L.parameter_count(L.build("full"))
    assert L.parameter_count(L.build("tiny")) == 10_784  # the official file's demo instance ([4,8,16]/[8,4])


def test_full_flops_match_the_measured_official_count():
    assert L.gflops(L.build("full")) == pytest.approx(2.396, abs=0.01)  # 1.2 GMACs at 256x256


def test_lite_is_cheaper_than_full():
    lite = L.build("lite")
    assert lite.cfg.multiple == 8 and L.gflops(lite) < 0.5 * L.gflops(L.build("full"))


def test_tiny_forward_keeps_shape_and_is_a_residual():
    torch.manual_seed(0)
    model = L.build("tiny").eval()
    x = torch.rand(2, 3, 32, 48)
    with torch.no_grad():
        y = model(x)
        zero_tail = model._attention_tail._conv2.bias.data.fill_(-1e4)  # noqa: F841 (mask -> 0)
        y0 = model(x)
    assert y.shape == x.shape and not torch.allclose(y, x)
    torch.testing.assert_close(y0, x)  # a closed attention gate leaves only the global residual


def test_base_block_second_branch_reads_the_residual_sum():
    torch.manual_seed(1)
    block = L.BaseBlock(4).eval()
    x = torch.randn(1, 4, 6, 6)
    with torch.no_grad():
        y = x + block._conv1(F.elu(block._dw_conv(block._conv0(x))))
        torch.testing.assert_close(block(x), y + block._conv3(F.elu(block._conv2(y))))


def test_export_graph_pads_any_size_and_crops_back():
    torch.manual_seed(2)
    model = L.build("tiny").eval()
    graph = L.ExportGraph(model)
    x = torch.rand(1, 3, 30, 45)
    with torch.no_grad():
        y = graph(x)
        padded = F.pad(x, [0, 3, 0, 2], mode="reflect")
        torch.testing.assert_close(y, model(padded)[:, :, :30, :45].clamp(0, 1))
    assert y.shape == x.shape


def test_tiny_and_full_export_match_torch_at_two_sizes(tmp_path):
    assert_export_parity("lpienet", "tiny", tmp_path)
    assert_export_parity("lpienet", "full", tmp_path, batches=(1,))


def test_shipped_lpienet_lite(repository, golden_dir):
    desc = assert_shipped_restore_model(repository, golden_dir, "lpienet-lite", "lpienet")
    assert desc["parameters"] == L.parameter_count(L.build("lite"))


def test_full_loads_an_official_layout_checkpoint_strictly(tmp_path):
    source = registry.build_model("lpienet", "full", seed=5)
    state = {"module." + k: v for k, v in source.state_dict().items()}  # DataParallel-style keys
    torch.save({"state_dict": state}, tmp_path / "lpienet.pth")
    model = L.build("full").eval()
    registry.load_checkpoint(model, "lpienet", tmp_path / "lpienet.pth")
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(model(x), source(x))
