"""Recovering a state dict from an exported ONNX file (``train --init model.onnx``)."""

import pytest
import torch

from frameq_models.archs import maniqa as maniqa_arch
from frameq_models.archs import vtamiq as vtamiq_arch
from frameq_models.archs.registry import build_model
from frameq_models.export.onnx_graph import export_onnx
from frameq_models.export.onnx_weights import load_init, state_dict_from_onnx


@pytest.mark.parametrize("arch, module", [("vtamiq", vtamiq_arch), ("maniqa", maniqa_arch)])
def test_recovers_every_parameter_of_an_export(tmp_path, arch, module):
    trained = build_model(arch, "tiny", seed=1)
    with torch.no_grad():  # parameters that training moved away from their initial values
        for p in trained.parameters():
            p.add_(0.01 * torch.randn_like(p))
    path = tmp_path / "model.onnx"
    export_onnx(trained, arch, path)

    fresh = build_model(arch, "tiny", seed=2)
    line = load_init(fresh, path, module)

    assert "recovered from ONNX" in line
    want, got = trained.state_dict(), fresh.state_dict()
    assert set(got) == set(want)
    for key in want:
        assert torch.allclose(got[key], want[key], atol=1e-6), key


def test_names_what_it_cannot_recover(tmp_path):
    path = tmp_path / "model.onnx"
    export_onnx(build_model("vtamiq", "tiny"), "vtamiq", path)
    with pytest.raises(ValueError, match="cannot recover"):
        state_dict_from_onnx(build_model("maniqa", "tiny"), path)
