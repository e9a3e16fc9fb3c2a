"""MANIQA architecture: official layout (full), budgets (lite), behaviour (tiny)."""

import dataclasses

import pytest
import torch

from conftest import official_shapes
from frameq_models.archs import maniqa as m
from frameq_models.archs import registry

FULL_PARAMS = 135_747_530


def test_full_state_dict_keys_and_shapes_equal_the_official_list(maniqa_full):
    expected, _ = official_shapes("maniqa.json")
    actual = {k: list(v.shape) for k, v in maniqa_full.state_dict().items()}
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    assert not missing and not extra, f"missing {missing[:5]}, extra {extra[:5]}"
    wrong = {k: (actual[k], expected[k]) for k in expected if actual[k] != expected[k]}
    assert not wrong, f"shape mismatches (actual, official): {wrong}"
    assert list(actual) == list(expected), "state_dict order differs from the official one"


def test_full_parameter_count_is_the_published_one(maniqa_full):
    _, total = official_shapes("maniqa.json")
    assert total == FULL_PARAMS
    assert m.parameter_count(maniqa_full) == FULL_PARAMS


def test_full_buffers_have_official_dtypes(maniqa_full):
    buffers = dict(maniqa_full.named_buffers())
    index = buffers["swintransformer1.layers.0.blocks.0.attn.relative_position_index"]
    mask = buffers["swintransformer2.layers.1.blocks.1.attn_mask"]
    assert index.dtype == torch.int64 and int(index.max()) == 48
    assert mask.dtype == torch.float32 and set(mask.unique().tolist()) == {-100.0, 0.0}


def _synthetic_state_dict(shapes: dict) -> dict:
    """Distinct constant per key, stored as an expanded 1-element tensor (keeps a 136 M-parameter file tiny)."""
    state = {}
    for i, (key, shape) in enumerate(shapes.items()):
        dtype = torch.int64 if key.endswith("relative_position_index") else torch.float32
        state[key] = torch.full((1,), i % 40, dtype=dtype).reshape([1] * len(shape)).expand(shape)
    return state


@pytest.mark.parametrize("wrapping", ["plain", "model_state_dict", "module-prefix"])
def test_full_loads_an_official_layout_checkpoint_strictly(maniqa_full, tmp_path, wrapping):
    shapes, _ = official_shapes("maniqa.json")
    state = _synthetic_state_dict(shapes)
    if wrapping == "model_state_dict":
        obj = {"model_state_dict": state, "epoch": 3}
    elif wrapping == "module-prefix":
        obj = {"module." + k: v for k, v in state.items()}
    else:
        obj = state
    path = tmp_path / "ckpt.pt"
    torch.save(obj, path)
    assert path.stat().st_size < 1_000_000
    registry.load_checkpoint(maniqa_full, "maniqa", path)
    loaded = maniqa_full.state_dict()
    for i, key in enumerate(shapes):
        assert float(loaded[key].flatten()[-1]) == i % 40, key


def test_strict_load_rejects_a_missing_key(tmp_path):
    model = m.build("tiny")
    state = model.state_dict()
    state.pop("fc_weight.3.bias")
    torch.save(state, tmp_path / "bad.pt")
    with pytest.raises(RuntimeError, match="fc_weight.3.bias"):
        registry.load_checkpoint(m.build("tiny"), "maniqa", tmp_path / "bad.pt")


def test_scale_is_selectable_and_changes_the_swin_residual():
    assert m.build("tiny", scale=0.13).cfg.scale == 0.13
    assert m.CONFIGS["full"].scale == 0.8
    torch.manual_seed(0)
    a = m.build("tiny", scale=0.8).eval()
    b = m.build("tiny", scale=0.13).eval()
    b.load_state_dict(a.state_dict())
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        assert not torch.allclose(a(x), b(x))
        stage_in = torch.randn(2, 16, 4, 4)
        layer_out = a.swintransformer1.layers[0](stage_in.flatten(2).transpose(1, 2))
        expected = (0.13 * layer_out + stage_in.flatten(2).transpose(1, 2)).transpose(1, 2).reshape(2, 16, 4, 4)
        torch.testing.assert_close(b.swintransformer1(stage_in), expected)


def test_lite_meets_the_cpu_budget():
    lite = m.build("lite").eval()
    assert m.gflops(lite) <= 2.0
    assert m.parameter_count(lite) < 4_000_000  # a few MB of float32
    assert lite.cfg.grid % lite.cfg.window_size == 0


def test_tiny_forward_shapes_and_weighted_mean():
    torch.manual_seed(0)
    model = m.build("tiny").eval()
    x = torch.rand(3, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        score, smap, wmap = model.forward_maps(x)
        plain = model(x)
    assert score.shape == (3,) and smap.shape == (3, 4, 4) and wmap.shape == (3, 4, 4)
    torch.testing.assert_close(plain, score)
    torch.testing.assert_close(score, (smap * wmap).sum((1, 2)) / wmap.sum((1, 2)))
    assert bool((smap >= 0).all()) and bool(((wmap > 0) & (wmap < 1)).all())


def test_batched_head_equals_per_sample_runs():
    torch.manual_seed(1)
    model = m.build("tiny").eval()
    x = torch.rand(4, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        batched = model(x)
        single = torch.cat([model(x[i:i + 1]) for i in range(4)])
    torch.testing.assert_close(batched, single, rtol=1e-5, atol=1e-6)


def test_tab_reinterprets_memory_like_the_published_block():
    torch.manual_seed(2)
    tab = m.TABlock(dim=6, drop=0.0).eval()
    x = torch.randn(2, 4, 6)  # [B, C, N]
    q, k, v = tab.c_q(x), tab.c_k(x), tab.c_v(x)
    attn = torch.softmax(q @ k.transpose(1, 2) / 6 ** 0.5, dim=-1)
    out = attn @ v  # [B, C, N]
    scrambled = out.transpose(1, 2).contiguous().view(2, 4, 6)  # read [B,N,C] memory as [B,C,N]
    with torch.no_grad():
        torch.testing.assert_close(tab(x), x + scrambled)
        assert not torch.allclose(tab(x), x + out)


def test_shifted_window_mask_separates_regions():
    mask = m.shifted_window_mask(grid=8, ws=4, shift=2)
    assert mask.shape == (4, 16, 16)
    assert bool((mask[0] == 0).all())  # top-left window holds one region only
    assert bool((mask[3] == -100).any()) and bool((mask.diagonal(dim1=1, dim2=2) == 0).all())


def test_configs_validate_their_geometry():
    with pytest.raises(ValueError, match="window_size"):
        m.MANIQA(dataclasses.replace(m.CONFIGS["tiny"], window_size=3))
    with pytest.raises(KeyError, match="expected one of"):
        m.build("huge")
