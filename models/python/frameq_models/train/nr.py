"""Train a no-reference IQA model (MANIQA) on synthetic distortions of real photos.

Data
  The training photos and PolyU splits of :mod:`frameq_models.data.photos`: the held-out photos are never
  trained on, and the PolyU validation half is logged during training.

Samples
  Groups of four 224x224 versions of one random crop with weak labels
  (:class:`frameq_models.data.groups.GroupSampler`). Distortions run in DataLoader workers.

Loss
  smooth-L1 regression on the weak labels + a pairwise hinge ranking loss inside each group
  (pred_i - pred_j >= 0.5 (label_i - label_j) for every pair whose labels differ by > 0.02): the
  ranking term is what teaches mild levels and clean-vs-noisy order.

Schedule
  Wall-clock budget (``--minutes``): linear warm-up for the first 6 %, cosine decay to 2 % of the
  peak learning rate (AdamW, default 4e-4) at the end of the budget. bf16 autocast on CUDA.
  ViT-style initialisation (the registry's training start, :mod:`frameq_models.archs.training_init`),
  gradient clipping at 1, non-finite steps
  skipped, and a divergence guard: when the interval regression loss rises to 1.6x its best, the
  best state is restored and the learning rate halved. Checkpoints (``last.pt``: model,
  optimiser, elapsed time, lr scale) every ``--ckpt-minutes``; ``--resume`` continues the schedule
  where it stopped. ``--echo k`` reuses each loaded batch for k steps under different flips /
  transposes (data echoing: the distortion workers, not the GPU, are the bottleneck).
"""

from __future__ import annotations

import copy
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F

from ..archs import maniqa
from ..archs.registry import build_model
from ..data.groups import GroupStream, parse_type_weights
from ..data.photos import default_data_root, polyu_pairs, polyu_restore_split, training_split
from ..eval.scoring import polyu_accuracy, to_input
from ..export.onnx_weights import load_init
from .loop import lr_at, save_weights


def activation_taps(model: torch.nn.Module) -> list:
    """Stage outputs whose mean square is penalised during training. MANIQA has no normalisation
    between the ViT features, the transposed-attention blocks and the Swin stages; trained from
    scratch, those activations grew to ~1e3-6e3 and the gradient norm to ~1e6-1e8 (first H100 run,
    lr 5e-4), while the loss stayed at the predict-the-mean level."""
    names = ("tablock1", "swintransformer1", "tablock2", "swintransformer2")
    out = []
    for n in names:
        mod = getattr(model, n, None)
        if isinstance(mod, torch.nn.ModuleList) and len(mod):
            mod = mod[-1]
        if isinstance(mod, torch.nn.Module):
            out.append(mod)
    return out


def group_loss(pred: torch.Tensor, target: torch.Tensor, rank_weight: float = 2.0):
    """pred, target: [B, G]. Returns (total, regression, ranking)."""
    reg = F.smooth_l1_loss(pred, target, beta=0.1)
    dl = target[:, :, None] - target[:, None, :]
    dp = pred[:, :, None] - pred[:, None, :]
    mask = dl > 0.02
    if mask.any():
        rank = F.relu(0.5 * dl - dp)[mask].mean()
    else:
        rank = pred.sum() * 0.0
    return reg + rank_weight * rank, reg, rank


def _augment(x: torch.Tensor, k: int) -> torch.Tensor:
    """Label-preserving geometric augmentation on the GPU (flip / transpose), k in 0..3."""
    if k & 1:
        x = x.flip(-1)
    if k & 2:
        x = x.transpose(-1, -2)
    return x


# ----------------------------------------------------------------------------- training loop

@dataclass
class TrainConfig:
    arch: str = "maniqa"
    config: str = "lite"
    device: str = "cpu"
    minutes: float = 5.0
    resume: bool = False
    data: str = ""
    run_dir: str = "models/python/runs/maniqa-lite"
    batch_groups: int = 64  # x 4 images per group
    workers: int = 2
    echo: int = 1  # reuse each batch this many times with different flips (data echoing)
    lr: float = 4e-4
    weight_decay: float = 0.05
    rank_weight: float = 2.0
    ckpt_minutes: float = 2.0
    log_seconds: float = 15.0
    seed: int = 0
    max_steps: int = 0  # 0 = no limit (time budget only)
    warmup: float = 0.06  # fraction of the time budget
    clip: float = 1.0
    amp: str = "bf16"  # bf16 autocast on CUDA, or "none"
    act_penalty: float = 1e-3  # weight of the mean-square activation penalty (activation_taps)
    init: str = ""  # start from these weights (a state_dict, last.pt or a shipped model.onnx)
    real_p: float = 0.0  # share of real-noise groups (PolyU restorer-train scenes; GroupSampler._real)
    type_weights: dict = field(default_factory=dict)  # overrides of TYPE_WEIGHTS (GroupSampler)

    extra: dict = field(default_factory=dict)


def train(cfg: TrainConfig) -> dict:
    from tqdm import tqdm

    data_root = Path(cfg.data) if cfg.data else default_data_root()
    run = Path(cfg.run_dir)
    run.mkdir(parents=True, exist_ok=True)
    dev = torch.device(cfg.device)
    torch.manual_seed(cfg.seed)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

    data_root, split = training_split(data_root)
    val_pairs = polyu_pairs(data_root)["val"]
    real_pairs = []
    if cfg.real_p:  # train on half the validation scenes, log on the other half (test half untouched)
        real = polyu_restore_split(data_root)
        real_pairs, val_pairs = real["train"], real["val"]
    if cfg.arch != "maniqa":
        raise KeyError(f"only 'maniqa' can be trained here, not {cfg.arch!r}")
    model = build_model(cfg.arch, cfg.config, cfg.seed, training=True)
    if cfg.init and not (cfg.resume and (run / "last.pt").exists()):
        print(load_init(model, cfg.init, maniqa), flush=True)
    model = model.to(dev)
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim < 2 or "pos_embed" in n or "cls_token" in n
         or "relative_position_bias_table" in n else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=cfg.lr, betas=(0.9, 0.99))
    elapsed0, step, run_index, history, lr_scale = 0.0, 0, 0, [], 1.0
    ckpt_path = run / "last.pt"
    if cfg.resume and ckpt_path.exists():
        ck = torch.load(ckpt_path, map_location=dev, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        elapsed0, step = ck["elapsed"], ck["step"]
        lr_scale = ck.get("lr_scale", 1.0)
        run_index = ck.get("run_index", 0) + 1
        history = ck.get("history", [])
        print(f"resumed from {ckpt_path}: step {step}, {elapsed0 / 60:.1f} min done", flush=True)
    total = cfg.minutes * 60.0
    stream = GroupStream(split["train"], cfg.seed, run_index, real_pairs=real_pairs, real_p=cfg.real_p,
                         type_weights=parse_type_weights([f"{k}={v}" for k, v in cfg.type_weights.items()]))
    loader = torch.utils.data.DataLoader(
        stream, batch_size=cfg.batch_groups, num_workers=cfg.workers,
        pin_memory=dev.type == "cuda", prefetch_factor=4 if cfg.workers > 0 else None,
        persistent_workers=False)
    log = open(run / "train.log", "a")
    meta = {"event": "start", "config": asdict(cfg), "train_photos": len(split["train"]),
            "test_photos": len(split["test"]), "polyu_val_pairs": len(val_pairs),
            "polyu_train_pairs": len(real_pairs),
            "parameters": sum(p.numel() for p in model.parameters()),
            "device_name": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu",
            "time": time.strftime("%Y-%m-%d %H:%M:%S")}
    log.write(json.dumps(meta) + "\n")
    log.flush()
    print(json.dumps(meta), flush=True)

    def save(tag="last"):
        state = {"model": model.state_dict(), "optimizer": opt.state_dict(),
                 "elapsed": elapsed, "step": step, "run_index": run_index, "lr_scale": lr_scale,
                 "config": asdict(cfg), "history": history}
        tmp = run / f"{tag}.pt.tmp"
        torch.save(state, tmp)
        os.replace(tmp, run / f"{tag}.pt")
        save_weights(model, run / "model_state.pt")

    t_start = time.time()
    elapsed = elapsed0
    last_ckpt = last_log = time.time()
    seen = 0
    acc = {"loss": 0.0, "reg": 0.0, "rank": 0.0, "gn": 0.0, "act": 0.0, "n": 0}
    skipped = 0
    taps: list = []
    for mod in activation_taps(model):
        mod.register_forward_hook(lambda _m, _i, out: taps.append(out))
    best_reg, best_at, snapshot = float("inf"), 0, None
    bar = tqdm(total=int(total), initial=int(elapsed0), unit="s", mininterval=5.0,
               desc="train", file=sys.stdout, dynamic_ncols=False, ncols=110)
    it = iter(loader)
    model.train()
    wait = 0.0
    done = False
    while not done:
        t0 = time.time()
        imgs, target = next(it)
        wait += time.time() - t0
        imgs = imgs.to(dev, non_blocking=True)
        target = target.to(dev, non_blocking=True)
        b, g = target.shape
        x_all = to_input(imgs)
        for e in range(cfg.echo):
            k = (e + step) % 4 if cfg.echo > 1 else int(torch.randint(0, 4, (1,)))
            x = _augment(x_all, k)
            elapsed = elapsed0 + (time.time() - t_start)
            progress = min(elapsed / total, 1.0)
            for group in opt.param_groups:
                group["lr"] = lr_at(progress, cfg.lr * lr_scale, cfg.warmup)
            taps.clear()
            with torch.autocast(device_type=dev.type, dtype=torch.bfloat16,
                                enabled=dev.type == "cuda" and cfg.amp == "bf16"):
                pred = model(x)
            loss, reg, rank = group_loss(pred.float().view(b, g), target, cfg.rank_weight)
            pen = sum(t.float().pow(2).mean() for t in taps) if taps else loss * 0.0
            if cfg.act_penalty > 0:
                loss = loss + cfg.act_penalty * pen
            opt.zero_grad(set_to_none=True)
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            if not bool(torch.isfinite(gn)):  # skip non-finite steps
                skipped += 1
                continue
            opt.step()
            acc["gn"] += torch.nan_to_num(gn.detach(), nan=0.0, posinf=0.0)
            acc["act"] += pen.detach()
            step += 1
            seen += b * g
            acc["loss"] += loss.detach()
            acc["reg"] += reg.detach()
            acc["rank"] += rank.detach()
            acc["n"] += 1
            if progress >= 1.0 or (cfg.max_steps and step >= cfg.max_steps):
                done = True
                break
        now = time.time()
        bar.n = int(min(elapsed, total))
        if now - last_log >= cfg.log_seconds or done:
            n = max(acc["n"], 1)
            mean = {k: float(acc[k]) / n for k in ("loss", "reg", "rank", "gn", "act")}
            bar.set_postfix(step=step, loss=f"{mean['loss']:.4f}",
                            img_s=f"{seen / max(now - t_start, 1e-6):.0f}", refresh=False)
            bar.refresh()
            rec = {"event": "train", "step": step, "elapsed_s": round(elapsed, 1),
                   "lr": opt.param_groups[0]["lr"], "lr_scale": lr_scale, **mean,
                   "skipped": skipped,
                   "img_per_s": seen / max(now - t_start, 1e-6),
                   "data_wait_frac": wait / max(now - t_start, 1e-6)}
            history.append(rec)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            acc = {"loss": 0.0, "reg": 0.0, "rank": 0.0, "gn": 0.0, "act": 0.0, "n": 0}
            last_log = now
            # divergence guard: keep the best state (by interval regression loss); if the loss
            # climbs well above it, go back to that state and halve the learning rate
            if mean["reg"] < best_reg:
                best_reg, best_at = mean["reg"], len(history)
                snapshot = ({k: v.detach().clone() for k, v in model.state_dict().items()},
                            copy.deepcopy(opt.state_dict()))
            elif (snapshot is not None and mean["reg"] > 1.6 * best_reg + 0.03
                  and len(history) - best_at >= 2 and lr_scale > 0.1):
                model.load_state_dict(snapshot[0])
                opt.load_state_dict(snapshot[1])
                lr_scale *= 0.5
                best_at = len(history)
                rec = {"event": "rollback", "step": step, "elapsed_s": round(elapsed, 1),
                       "reg": mean["reg"], "best_reg": best_reg, "lr_scale": lr_scale}
                history.append(rec)
                log.write(json.dumps(rec) + "\n")
                log.flush()
                print(json.dumps(rec), flush=True)
        if now - last_ckpt >= cfg.ckpt_minutes * 60 or done:
            if val_pairs:
                v = polyu_accuracy(model, val_pairs, cfg.device)
                model.train()
                rec = {"event": "val", "step": step, "elapsed_s": round(elapsed, 1),
                       "polyu_val": v}
                history.append(rec)
                log.write(json.dumps(rec) + "\n")
                log.flush()
                print(json.dumps(rec), flush=True)
            save()
            last_ckpt = now
    bar.close()
    wall = time.time() - t_start
    summary = {"event": "end", "steps": step, "elapsed_total_s": round(elapsed, 1),
               "wall_this_run_s": round(wall, 1), "images_seen_this_run": seen,
               "img_per_s": seen / max(wall, 1e-6), "data_wait_frac": wait / max(wall, 1e-6)}
    log.write(json.dumps(summary) + "\n")
    log.close()
    print(json.dumps(summary), flush=True)
    return summary
