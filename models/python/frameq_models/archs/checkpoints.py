"""Unwrapping checkpoint files into plain state_dicts, shared by every architecture's ``checkpoint_to_state_dict``."""

from __future__ import annotations

from typing import Dict, Mapping, Sequence

import torch
from torch import nn


def unwrap_state_dict(obj, wrapper_keys: Sequence[str]) -> Dict[str, torch.Tensor]:
    """Checkpoint object -> plain state_dict: a pickled module, dicts wrapping it under the first of
    ``wrapper_keys`` present (recursively, in that order), and a ``module.`` prefix on every key (DataParallel)."""
    if isinstance(obj, nn.Module):
        obj = obj.state_dict()
    if not isinstance(obj, Mapping):
        raise TypeError(f"checkpoint holds a {type(obj).__name__}, expected a state_dict or a dict wrapping one")
    for key in wrapper_keys:
        if key in obj and isinstance(obj[key], Mapping):
            return unwrap_state_dict(obj[key], wrapper_keys)
    state = {k: v for k, v in obj.items() if isinstance(v, torch.Tensor)}
    if state and all(k.startswith("module.") for k in state):
        state = {k[len("module."):]: v for k, v in state.items()}
    return state
