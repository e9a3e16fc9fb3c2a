"""The one table of the zoo's architectures: name -> arch module, family, configurations, training start.

Every tool that turns an architecture name (``--arch``, model.json ``architecture``) into a network goes through
:func:`build_model`, so a new architecture is one module in ``archs/`` plus one row in ``ARCHITECTURES``. The
configurations stay data in each arch module (``CONFIGS``: frozen dataclasses named ``full``, ``lite`` and
``tiny``); the registry points at them so that callers and tests can list and check them in one place.

An arch module also carries its export contract (``FAMILY``, ``INPUT_NAMES``, ``OUTPUT_NAMES``, ``ExportGraph``,
``example_inputs``, ``serving``, ``gflops``, ``parameter_count``, ``checkpoint_to_state_dict``; optional
``DYNAMIC_AXES``, ``PARITY_SIZES``, ``DYNAMIC_HW``), read through :attr:`Architecture.module`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Mapping, Optional

import torch
from torch import nn

from . import lpienet, maniqa, mirnet, mirnet_v2, stf, vtamiq, wacnn
from . import training_init as start


@dataclass(frozen=True)
class Architecture:
    name: str
    module: ModuleType
    family: str  # model.json family: nr-iqa | fr-iqa | restore | codec
    configs: Mapping[str, Any]
    default_config: str = "lite"
    #: re-initialises a freshly built model before training from scratch (None: PyTorch's defaults are fine)
    training_start: Optional[Callable[[nn.Module], None]] = None

    def config(self, name: str):
        if name not in self.configs:
            raise KeyError(f"unknown {self.name} config {name!r}; expected one of {sorted(self.configs)}")
        return self.configs[name]


ARCHITECTURES: Mapping[str, Architecture] = {a.name: a for a in (
    Architecture("maniqa", maniqa, maniqa.FAMILY, maniqa.CONFIGS, training_start=start.start_maniqa),
    Architecture("vtamiq", vtamiq, vtamiq.FAMILY, vtamiq.CONFIGS, training_start=start.start_vtamiq),
    Architecture("lpienet", lpienet, lpienet.FAMILY, lpienet.CONFIGS, training_start=start.start_lpienet),
    Architecture("mirnet_v2", mirnet_v2, mirnet_v2.FAMILY, mirnet_v2.CONFIGS, training_start=start.start_mirnet_v2),
    Architecture("mirnet", mirnet, mirnet.FAMILY, mirnet.CONFIGS),
    Architecture("wacnn", wacnn, wacnn.FAMILY, wacnn.CONFIGS),
    # STF's lite config is not shipped and its graphs are per padded size; tiny is what tests and tools use.
    Architecture("stf", stf, stf.FAMILY, stf.CONFIGS, default_config="tiny"),
)}


def architecture(name: str) -> Architecture:
    """The registry row, or a KeyError that lists the known architectures."""
    if name not in ARCHITECTURES:
        raise KeyError(f"unknown architecture {name!r}; expected one of {sorted(ARCHITECTURES)}")
    return ARCHITECTURES[name]


def arch_module(name: str) -> ModuleType:
    return architecture(name).module


def build_model(arch: str, config: Optional[str] = None, seed: int = 0, training: bool = False,
                **overrides) -> nn.Module:
    """A fresh model: ``torch.manual_seed(seed)`` makes the random weights repeatable. Eval mode, unless
    ``training``, which also applies the architecture's training start. ``overrides`` replace config fields
    (e.g. MANIQA ``scale``); None values are ignored. ``config`` defaults to the architecture's default."""
    spec = architecture(arch)
    name = config or spec.default_config
    spec.config(name)  # the registry's error message, before the module's own
    torch.manual_seed(seed)
    model = spec.module.build(name, **overrides)
    if not training:
        return model.eval()
    if spec.training_start is not None:
        spec.training_start(model)
    return model


def load_checkpoint(model: nn.Module, arch: str, path: str | os.PathLike, allow_pickle: bool = False) -> None:
    """Load a checkpoint file into ``model`` with ``strict=True``.

    Accepts a plain state_dict or a dict wrapping one (``state_dict``, ``model_state_dict``, ``params``...), with or
    without a ``module.`` prefix. Files holding pickled modules need ``allow_pickle=True`` (runs code: trusted files
    only) and the defining modules on ``sys.path``.
    """
    obj = torch.load(path, map_location="cpu", weights_only=not allow_pickle)
    model.load_state_dict(arch_module(arch).checkpoint_to_state_dict(obj), strict=True)
