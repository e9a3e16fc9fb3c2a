"""Recover a PyTorch state dict from a shipped ONNX export, so that a repository model can be
fine-tuned when its training checkpoint is gone (``train ... --init path/model.onnx``).

``torch.onnx.export`` keeps most parameter names (under the export wrapper's ``model.`` prefix) but
turns each ``Linear`` weight into an anonymous ``onnx::MatMul_N`` initializer holding ``W^T``, and
embedding tables into ``onnx::Gather_N`` / ``onnx::Expand_N``. They are found back from the graph:

1. by name (``model.<key>``, or ``<key>``);
2. a MatMul whose constant operand feeds an Add with the initializer ``<prefix>.bias`` is
   ``<prefix>.weight`` (transposed back);
3. what is left is matched by element count: one parameter to one initializer, or a group of equal
   size (one-element PReLU slopes) in module order = order of first use in the graph; anything else
   is an error naming the keys.

The caller checks the result numerically (:func:`check_against_onnx`): a recovery that is wrong
anywhere changes the output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

PREFIXES = ("model.", "")


def _initializers(graph) -> dict[str, np.ndarray]:
    from onnx import numpy_helper

    return {i.name: numpy_helper.to_array(i) for i in graph.initializer}


def _matmul_to_bias(graph, init: dict) -> dict[str, str]:
    """Anonymous MatMul weight initializer -> name of the bias added to that MatMul's output."""
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    out = {}
    for node in graph.node:
        if node.op_type != "MatMul":
            continue
        weights = [n for n in node.input if n in init and not n.startswith(PREFIXES[0])]
        if len(weights) != 1:
            continue
        for nxt in consumers.get(node.output[0], []):
            if nxt.op_type == "Add":
                biases = [n for n in nxt.input if n in init and n.endswith(".bias")]
                if len(biases) == 1:
                    out[weights[0]] = biases[0]
    return out


def state_dict_from_onnx(model: torch.nn.Module, onnx_path: str | Path, arch_module=None) -> dict[str, torch.Tensor]:
    """A full state dict for ``model`` whose values come from the ONNX file (see module doc).

    Buffers the graph does not hold as such (index tables, masks: constants of the architecture)
    keep the values ``model`` was built with; parameters the exporter folded into other constants
    are handed, with the initializers left over in graph order, to the architecture's
    ``recover_folded(model, missing, leftovers)`` where it has one."""
    import onnx

    graph = onnx.load(str(onnx_path)).graph
    init = _initializers(graph)
    target = model.state_dict()
    params = {n for n, _ in model.named_parameters()}
    found: dict[str, np.ndarray] = {}
    used: set[str] = set()

    for key in target:
        for p in PREFIXES:
            if p + key in init:
                found[key] = init[p + key]
                used.add(p + key)
                break
    for wname, bias in _matmul_to_bias(graph, init).items():
        for p in PREFIXES:
            if bias.startswith(p) and bias.endswith(".bias"):
                key = bias[len(p):-len(".bias")] + ".weight"
                if key in target and key not in found and init[wname].ndim == 2:
                    found[key] = init[wname].T
                    used.add(wname)
                    break

    left_keys = [k for k in target if k not in found]
    left_inits = [n for n in init if n not in used]
    # By element count: as many parameters as initializers of that size (one each, or e.g. the
    # one-element PReLU slopes), paired in module order = graph order of first use.
    first_use = {}
    for i, node in enumerate(graph.node):
        for name in node.input:
            first_use.setdefault(name, i)
    for numel in sorted({target[k].numel() for k in left_keys}):
        keys = [k for k in left_keys if target[k].numel() == numel]
        inits = sorted((n for n in left_inits if init[n].size == numel), key=lambda n: first_use.get(n, 1 << 30))
        if len(keys) == len(inits):
            for k, n in zip(keys, inits):
                found[k] = init[n].reshape(tuple(target[k].shape))
                left_keys.remove(k)
                left_inits.remove(n)
    if left_keys and arch_module is not None and hasattr(arch_module, "recover_folded"):
        order = sorted(left_inits, key=lambda n: first_use.get(n, 1 << 30))
        found.update(arch_module.recover_folded(model, [k for k in left_keys if k in params],
                                                [init[n] for n in order]))
    for key in list(left_keys):
        if key in found or key not in params:  # recovered, or a constant buffer of the architecture
            found.setdefault(key, target[key].numpy())
            left_keys.remove(key)
    if left_keys:
        raise ValueError(f"{onnx_path}: cannot recover {len(left_keys)} parameter(s) "
                         f"{left_keys[:6]} from the initializers {left_inits[:6]}")

    out = {}
    for key, want in target.items():
        got = np.asarray(found[key])
        if got.shape != tuple(want.shape):
            if got.size == want.numel():
                got = got.reshape(tuple(want.shape))
            else:
                raise ValueError(f"{onnx_path}: parameter {key}: expected shape {tuple(want.shape)}, "
                                 f"recovered {got.shape}")
        out[key] = torch.from_numpy(np.array(got, copy=True)).to(want.dtype)
    return out


def check_against_onnx(model: torch.nn.Module, onnx_path: str | Path, feeds: dict[str, np.ndarray],
                       atol: float = 1e-4) -> float:
    """Largest |torch - onnx| of the first output for ``feeds`` (``model`` = the exported graph,
    e.g. the architecture's ``ExportGraph`` wrapper); raises above ``atol``."""
    from ..common.ort_session import ort_session

    sess = ort_session(onnx_path, threads=0)
    ref = sess.run(None, feeds)[0]
    model.eval()
    with torch.no_grad():
        got = model(*[torch.from_numpy(feeds[i.name]) for i in sess.get_inputs()])
    got = (got[0] if isinstance(got, (tuple, list)) else got).numpy()
    err = float(np.abs(got.reshape(ref.shape) - ref).max())
    if err > atol:
        raise ValueError(f"{onnx_path}: recovered weights differ from the ONNX model by {err:.3g} "
                         f"(allowed {atol:g})")
    return err


def load_init(model: torch.nn.Module, path: str | Path, arch_module=None) -> str:
    """Load ``--init`` weights into ``model``: a state dict / ``last.pt`` checkpoint, or a shipped
    ``model.onnx`` (recovered, then checked against ONNX Runtime on the architecture's
    ``example_inputs`` when ``arch_module`` is given). Returns a line for the log."""
    path = Path(path)
    if path.suffix == ".onnx":
        state = state_dict_from_onnx(model, path, arch_module)
        if hasattr(arch_module, "unfold_onnx_state"):  # constants the exporter folded together
            state = arch_module.unfold_onnx_state(model, state)
        model.load_state_dict(state, strict=True)
        if arch_module is None:
            return f"initialised from {path} (recovered from ONNX, not checked)"
        inputs = arch_module.example_inputs(model.cfg, 2)
        feeds = {n: t.numpy() for n, t in zip(arch_module.INPUT_NAMES, inputs)}
        graph = arch_module.ExportGraph(model) if hasattr(arch_module, "ExportGraph") else model
        err = check_against_onnx(graph, path, feeds)
        model.train()
        return f"initialised from {path} (recovered from ONNX; max |torch - onnx| = {err:.2e})"
    state = torch.load(path, map_location="cpu", weights_only=True)
    if isinstance(state.get("model"), dict):  # a full last.pt checkpoint
        state = state["model"]
    model.load_state_dict(state, strict=True)
    return f"initialised from {path}"
