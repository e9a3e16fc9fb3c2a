"""MIRNet (v1): official layout with aliased keys and filt buffers (full), shared weights, tiny export parity."""

import pytest
import torch

from conftest import official_shapes
from frameq_models.archs import mirnet as M
from frameq_models.archs import registry
from restore_checks import assert_export_parity, assert_official_layout

FULL_PARAMS = 31_787_419
FULL_STATE_ELEMENTS = 42_280_770  # shared tensors counted once per key


@pytest.fixture(scope="module")
def full():
    torch.manual_seed(0)
    return M.build("full").eval()


def test_full_state_dict_keys_shapes_and_order_equal_the_official_list(full):
    assert_official_layout(full, "mirnet.json")
    state = full.state_dict()
    assert len(state) == 797 and sum(v.numel() for v in state.values()) == FULL_STATE_ELEMENTS
    assert sum(k.endswith(".filt") for k in state) == 48


def test_full_counts_shared_parameters_once(full):
    _, total = official_shapes("mirnet.json")
    assert total == FULL_PARAMS == M.parameter_count(full)


def test_dau_columns_and_the_prelu_are_shared(full):
    msrb = full.body[1].body[0]
    state = full.state_dict()
    for j in range(3):
        assert msrb.blocks[j][0] is msrb.blocks[j][1]
        a, b = (state[f"body.1.body.0.blocks.{j}.{i}.body.0.weight"] for i in (0, 1))
        assert a.data_ptr() == b.data_ptr()
    prelus = {id(full.body[r].body[m].blocks[j][0].body[1]) for r in range(3) for m in range(2) for j in range(3)}
    assert len(prelus) == 1
    assert full.body[0].body[0].blocks[0][0].body[1] is not full.body[0].body[0].down["64_2"].body[0].top[1]


def test_filt_is_the_binomial_blur(full):
    filt = full.state_dict()["body.0.body.0.down.64_4.body.0.top.4.filt"]
    expected = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16
    assert filt.shape == (64, 1, 3, 3)
    torch.testing.assert_close(filt[5, 0], expected)


def test_full_loads_an_official_layout_checkpoint_strictly(full, tmp_path):
    state = {k: v.clone() for k, v in full.state_dict().items()}
    state["body.2.body.2.weight"].fill_(0.25)
    torch.save({"epoch": 3, "state_dict": {"module." + k: v for k, v in state.items()}}, tmp_path / "model.pth")
    model = M.build("full")
    registry.load_checkpoint(model, "mirnet", tmp_path / "model.pth")
    assert bool((model.body[2].body[2].weight == 0.25).all())


def test_tiny_forward_keeps_shape():
    torch.manual_seed(0)
    model = M.build("tiny").eval()
    x = torch.rand(2, 3, 32, 48)
    with torch.no_grad():
        y = model(x)
    assert y.shape == x.shape and not torch.allclose(y, x)
    assert M.parameter_count(model) < sum(v.numel() for k, v in model.state_dict().items() if not k.endswith("filt"))


def test_tiny_export_matches_torch_at_two_sizes(tmp_path):
    assert_export_parity("mirnet", "tiny", tmp_path)


def test_lite_and_tiny_configs_are_smaller_and_keep_shape():
    sizes = {}
    for config in ("lite", "tiny"):
        torch.manual_seed(0)
        model = M.build(config).eval()
        sizes[config] = M.parameter_count(model)
        x = torch.rand(1, 3, 32, 40)
        with torch.no_grad():
            assert model(x).shape == x.shape
    assert sizes == {"lite": 333_392, "tiny": 83_888}  # models/README.md: MIRNet lite / tiny
