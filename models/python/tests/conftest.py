"""Shared fixtures. Tests read only files inside this repository (fixtures, the shipped repository, goldens)."""

import json
from pathlib import Path

import pytest
import torch

MODELS_DIR = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
METADATA_KEYS = ("_total_params", "_source")  # the only non-key entries of the official shape lists

torch.set_num_threads(2)


def official_shapes(name: str) -> tuple[dict, int]:
    """(key -> shape in state_dict order, total parameter count) from an official shape list."""
    raw = json.loads((FIXTURES / name).read_text())
    total = raw["_total_params"]
    return {k: v for k, v in raw.items() if k not in METADATA_KEYS}, total


@pytest.fixture(scope="session")
def maniqa_full():
    """The published MANIQA configuration, built once per session (136 M parameters, ~0.5 GB)."""
    from frameq_models.archs import maniqa

    torch.manual_seed(0)
    return maniqa.build("full").eval()


@pytest.fixture(scope="session")
def repository() -> Path:
    return MODELS_DIR / "repository"


@pytest.fixture(scope="session")
def golden_dir() -> Path:
    return MODELS_DIR / "golden"
