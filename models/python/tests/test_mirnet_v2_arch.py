"""MIRNet-v2: official layout (full), CPU variant (lite), behaviour (tiny), export parity, shipped mirnet-v2-lite."""

import pytest
import torch

from conftest import official_shapes
from frameq_models.archs import mirnet_v2 as M
from frameq_models.archs import registry
from restore_checks import assert_export_parity, assert_official_layout, assert_shipped_restore_model

FULL_PARAMS = 5_858_560


@pytest.fixture(scope="module")
def full():
    torch.manual_seed(0)
    return M.build("full").eval()


def test_full_state_dict_keys_shapes_and_order_equal_the_official_list(full):
    assert_official_layout(full, "mirnet-v2.json")


def test_full_parameter_count_and_flops(full):
    _, total = official_shapes("mirnet-v2.json")
    assert total == FULL_PARAMS == M.parameter_count(full)
    assert M.gflops(full) == pytest.approx(279.27, abs=0.05)  # 140 GMACs at 256x256 (official, measured)


def test_full_loads_a_basicsr_checkpoint_strictly(full, tmp_path):
    state = {k: torch.full_like(v, i % 7) for i, (k, v) in enumerate(full.state_dict().items())}
    torch.save({"params": state}, tmp_path / "net_g.pth")
    model = M.build("full")
    registry.load_checkpoint(model, "mirnet_v2", tmp_path / "net_g.pth")
    assert float(model.conv_out.weight.detach().flatten()[0]) == (len(state) - 1) % 7


def test_lite_is_small():
    lite = M.build("lite")
    assert M.parameter_count(lite) < 100_000 and M.gflops(lite) < 3.0


def test_tiny_forward_keeps_shape_and_reuses_the_dau_weights():
    torch.manual_seed(0)
    model = M.build("tiny").eval()
    x = torch.rand(2, 3, 32, 48)
    with torch.no_grad():
        y = model(x)
    assert y.shape == x.shape and not torch.allclose(y, x)
    mrb = model.body[0].body[0]
    calls = []
    hook = mrb.dau_top.register_forward_hook(lambda *a: calls.append(1))
    with torch.no_grad():
        model(x)
    hook.remove()
    assert len(calls) == 2  # one DAU per stream, run in both columns


def test_skff_weights_sum_to_one_across_inputs():
    torch.manual_seed(1)
    skff = M.SKFF(8, 2, bias=False).eval()
    a = torch.randn(1, 8, 4, 4)
    with torch.no_grad():
        torch.testing.assert_close(skff([a, a]), a)  # softmax weights sum to 1 per channel


def test_tiny_export_matches_torch_at_two_sizes(tmp_path):
    assert_export_parity("mirnet_v2", "tiny", tmp_path)


def test_shipped_mirnet_v2_lite(repository, golden_dir):
    desc = assert_shipped_restore_model(repository, golden_dir, "mirnet-v2-lite", "mirnet_v2")
    assert desc["parameters"] == M.parameter_count(M.build("lite"))
