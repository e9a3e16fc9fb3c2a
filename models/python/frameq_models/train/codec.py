"""Train the learned codec (WACNN-lite) at one rate point.

Loss (the usual learned-compression objective): ``bpp + lmbda * 255^2 * MSE`` with the rate from
the entropy models' likelihoods (uniform noise on y and z during training,
:mod:`frameq_models.archs.entropy_models`) plus the entropy bottleneck's auxiliary quantile loss (its
``quantiles`` get their own learning rate, 1e-3, as in CompressAI practice; the rate-distortion
loss never reaches them because the medians are detached). Rate points in this project:
lmbda 0.0035 (low), 0.013 (mid), 0.0483 (high) -- the CompressAI MSE ladder's 2nd, 4th and 6th
steps. A cheap way to three points on a small CPU budget: train the mid point, then fine-tune each
rate point from it (``--init``).

Data: random regions of the training photos (:meth:`frameq_models.data.groups.GroupSampler.crop`:
random scale and flip, 256 px), a random ``crop`` px window of each. Validation: estimated bpp
(rounded latents) and PSNR on 8 fixed 256 px crops of training photos (own seed).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..archs.registry import build_model, load_checkpoint
from ..data.groups import GroupSampler
from ..data.photos import training_split
from ..export.onnx_weights import load_init
from .loop import LoopConfig, param_groups, run_loop, save_weights

RATE_POINTS = {"low": 0.0035, "mid": 0.013, "high": 0.0483}


@dataclass
class CodecConfig:
    config: str = "lite"
    data: str = ""
    batch: int = 8
    crop: int = 128
    workers: int = 1
    lmbda: float = 0.013
    aux_lr: float = 1e-3
    init: str = ""


class CropStream(torch.utils.data.IterableDataset):
    def __init__(self, photos, crop: int, seed: int, run_index: int = 0):
        super().__init__()
        self.photos, self.crop, self.seed, self.run_index = [str(p) for p in photos], crop, seed, run_index

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        torch.set_num_threads(1)
        ss = np.random.SeedSequence([self.seed, self.run_index, info.id if info else 0])
        sampler = GroupSampler([Path(p) for p in self.photos], int(ss.generate_state(1)[0]))
        rng, c = sampler.rng, self.crop
        while True:
            big = sampler.crop()
            y, x = int(rng.integers(0, big.shape[0] - c + 1)), int(rng.integers(0, big.shape[1] - c + 1))
            yield torch.from_numpy(big[y:y + c, x:x + c].copy())


def rd_terms(out: dict, x: torch.Tensor):
    """(bpp, mse) of a forward pass on ``x`` ``[N, 3, H, W]`` in [0, 1]."""
    n, _, h, w = x.shape
    bits = sum(torch.log(lik).sum() for lik in out["likelihoods"].values()) / (-math.log(2))
    return bits / (n * h * w), F.mse_loss(out["x_hat"], x)


def make_step_loss(lmbda: float):
    def step_loss(model, batch, echo_index):
        x = batch.permute(0, 3, 1, 2).float() / 255.0
        if echo_index & 1:
            x = x.flip(-1)
        bpp, mse = rd_terms(model(x), x)
        loss = bpp + lmbda * 255.0 ** 2 * mse
        psnr = 10 * torch.log10(1.0 / mse.detach().clamp_min(1e-10))
        return loss, {"bpp": bpp.detach(), "mse": mse.detach(), "psnr": psnr}

    return step_loss


def make_validate(crops: torch.Tensor):
    @torch.no_grad()
    def validate(model):
        model.eval()
        x = crops.to(next(model.parameters()).device).permute(0, 3, 1, 2).float() / 255.0
        out = model(x)
        bpp, _ = rd_terms(out, x)
        mse_c = F.mse_loss(out["x_hat"].clamp(0, 1), x)
        return {"val_bpp_est": round(float(bpp), 4), "val_psnr": round(float(10 * torch.log10(1 / mse_c)), 3)}

    return validate


def optimizers(model: torch.nn.Module, lr: float, aux_lr: float, weight_decay: float):
    """(main optimiser without the quantiles, auxiliary step function for the quantiles). The auxiliary
    loss is large (hundreds at the start) and must not share the main loss's gradient clipping."""
    q = model.entropy_bottleneck.quantiles
    groups = []
    for g in param_groups(model, weight_decay):
        g["params"] = [p for p in g["params"] if p is not q]
        groups.append(g)
    main = torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999))
    aux = torch.optim.Adam([q], lr=aux_lr)
    last = {}

    def aux_step(m):
        aux.zero_grad(set_to_none=True)
        loss = m.aux_loss()
        loss.backward()
        aux.step()
        last["aux"] = float(loss.detach())

    return main, aux_step, last


def settle_quantiles(model: torch.nn.Module, max_steps: int = 20000, lr: float = 1e-2, tol: float = 0.05) -> dict:
    """Finish the entropy bottleneck's auxiliary fit: Adam on ``quantiles`` alone until the aux loss stops
    falling (change below ``tol`` over 500 steps). The aux loss reads the density with its parameters detached,
    so these steps are exactly the aux steps training would have run; they need no data. A short GPU run ends
    with the tails still wide (aux loss in the hundreds), which widens the CDF tables and costs escape bits."""
    q = model.entropy_bottleneck.quantiles
    opt = torch.optim.Adam([q], lr=lr)
    first = float(model.aux_loss().detach())
    last_check, value, step = first, first, 0
    for step in range(1, max_steps + 1):
        opt.zero_grad(set_to_none=True)
        loss = model.aux_loss()
        loss.backward()
        opt.step()
        value = float(loss.detach())
        if step % 500 == 0:
            if last_check - value < tol:
                break
            last_check = value
    return {"aux_loss_before": round(first, 3), "aux_loss_after": round(value, 3), "steps": step}


def settle_file(arch: str, config: str, weights: str, out: str, max_steps: int = 20000) -> dict:
    """:func:`settle_quantiles` on a saved state_dict; writes the settled state_dict to ``out``."""
    model = build_model(arch, config)
    load_checkpoint(model, arch, weights)
    with torch.enable_grad():
        result = settle_quantiles(model, max_steps=max_steps)
    save_weights(model, out)
    return result


def train(loop: LoopConfig, cfg: CodecConfig) -> dict:
    data_root, split = training_split(cfg.data)
    model = build_model("wacnn", cfg.config, loop.seed, training=True)
    if cfg.init and not (loop.resume and (Path(loop.run_dir) / "last.pt").exists()):
        print(load_init(model, cfg.init), flush=True)
    run_index = 0
    if loop.resume and (Path(loop.run_dir) / "train.log").exists():
        run_index = (Path(loop.run_dir) / "train.log").read_text().count('"event": "start"')
    loader = torch.utils.data.DataLoader(CropStream(split["train"], cfg.crop, loop.seed, run_index),
                                         batch_size=cfg.batch, num_workers=cfg.workers,
                                         prefetch_factor=2 if cfg.workers > 0 else None)
    vs = GroupSampler(split["train"], loop.seed + 10_000)
    val = torch.from_numpy(np.stack([vs.crop() for _ in range(8)]))
    meta = {"arch": "wacnn", "codec": asdict(cfg), "train_photos": len(split["train"])}
    main, aux_step, last_aux = optimizers(model, loop.lr, cfg.aux_lr, loop.weight_decay)
    validate = make_validate(val)
    summary = run_loop(model, iter(loader), make_step_loss(cfg.lmbda), loop,
                       validate=lambda m: {**validate(m), "aux_loss": round(last_aux.get("aux", float("nan")), 3)},
                       optimizer=main, meta=meta, after_step=aux_step)
    settled = settle_quantiles(model)
    print(json.dumps({"event": "settle_quantiles", **settled}), flush=True)
    save_weights(model, Path(loop.run_dir) / "model_state.pt")
    return {**summary, "settle_quantiles": settled}
