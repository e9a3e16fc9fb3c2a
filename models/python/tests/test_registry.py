"""The architecture registry: every architecture, its configurations and its training start in one table."""

import pytest
import torch

from frameq_models.archs import registry

FAMILIES = {"maniqa": "nr-iqa", "vtamiq": "fr-iqa", "lpienet": "restore", "mirnet_v2": "restore",
            "mirnet": "restore", "wacnn": "codec", "stf": "codec"}


def test_lists_every_architecture_with_its_family():
    assert {name: a.family for name, a in registry.ARCHITECTURES.items()} == FAMILIES
    for name, arch in registry.ARCHITECTURES.items():
        assert arch.name == name and arch.module.FAMILY == arch.family
        assert arch.configs is arch.module.CONFIGS  # configs stay data in the arch module, listed once


@pytest.mark.parametrize("arch", sorted(FAMILIES))
def test_every_architecture_has_full_lite_and_tiny(arch):
    spec = registry.architecture(arch)
    assert {"full", "lite", "tiny"} <= set(spec.configs)
    assert spec.default_config in spec.configs


@pytest.mark.parametrize("arch", sorted(FAMILIES))
def test_tiny_builds_repeatably_in_eval_mode(arch):
    a = registry.build_model(arch, "tiny", seed=7)
    b = registry.build_model(arch, "tiny", seed=7)
    assert not a.training and a.cfg == registry.architecture(arch).configs["tiny"]
    for (key, x), y in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(x, y), key


def test_training_start_is_applied_only_for_training():
    served = registry.build_model("maniqa", "tiny", seed=0)
    trained = registry.build_model("maniqa", "tiny", seed=0, training=True)
    head = [m for m in trained.fc_score.modules() if isinstance(m, torch.nn.Linear)][-1]
    assert trained.training and torch.all(head.bias == 0.6)
    assert not torch.all([m for m in served.fc_score.modules() if isinstance(m, torch.nn.Linear)][-1].bias == 0.6)
    wacnn = registry.build_model("wacnn", "tiny", seed=0, training=True)  # no start: PyTorch's defaults
    assert wacnn.training


def test_unknown_names_list_the_known_ones():
    with pytest.raises(KeyError, match="expected one of .*'maniqa'"):
        registry.build_model("resnet", "tiny")
    with pytest.raises(KeyError, match="unknown maniqa config 'huge'; expected one of"):
        registry.build_model("maniqa", "huge")


def test_overrides_replace_config_fields():
    assert registry.build_model("maniqa", "tiny", scale=0.13).cfg.scale == 0.13
    assert registry.build_model("maniqa", "tiny", scale=None).cfg.scale == registry.ARCHITECTURES["maniqa"].configs["tiny"].scale
