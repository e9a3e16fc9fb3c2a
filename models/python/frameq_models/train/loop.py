"""One wall-clock-budgeted training loop for every trainer (FR IQA, restorers, codec).

The caller supplies the model, an endless iterator of batches, and ``step_loss(model, batch,
echo_index) -> (loss, {name: tensor})``; the loop owns everything else:

* AdamW (no weight decay on biases, norms and embedding tables), gradient clipping, non-finite
  steps skipped;
* the schedule of :func:`lr_at` over the wall-clock budget (``minutes``): linear warm-up, cosine
  decay to 2 % of the peak (MANIQA's own loop in ``train/nr.py`` uses it too);
* data echoing: each loaded batch is used for ``echo`` optimiser steps (the caller's
  ``step_loss`` re-samples patches / flips per ``echo_index``), because on this 2-core machine
  making distorted crops costs about as much as a training step;
* ``last.pt`` (model, optimiser, elapsed seconds, step, history) and ``model_state.pt`` (float32
  state_dict, what ``export --weights`` reads) every ``ckpt_minutes`` and at the end; ``resume``
  continues the schedule where it stopped;
* ``device``: the model and every batch (tensors, also inside tuples / lists / dicts) move there;
  ``step_loss`` and ``validate`` see the model's device;
* JSON-lines log ``train.log`` (one record per ``log_seconds``, plus the caller's validation
  records) and a tqdm progress bar over the budget.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import torch

__all__ = ["LoopConfig", "lr_at", "run_loop", "param_groups", "training_card", "to_device", "save_weights"]


@dataclass
class LoopConfig:
    minutes: float = 5.0
    resume: bool = False
    run_dir: str = "runs/model"
    lr: float = 3e-4
    weight_decay: float = 0.01
    warmup: float = 0.06  # fraction of the budget
    clip: float = 1.0
    echo: int = 1
    ckpt_minutes: float = 3.0
    log_seconds: float = 20.0
    seed: int = 0
    max_steps: int = 0  # 0 = budget only
    threads: int = 1
    device: str = "cpu"  # "cuda[:i]": model, batches and validation on that device (fp32, TF32 matmuls)
    extra: dict = field(default_factory=dict)  # caller's settings, stored in the log and checkpoint


def lr_at(progress: float, peak: float, warm: float = 0.06) -> float:
    """Linear warm-up over ``warm`` of the budget, then cosine decay to 2 % of ``peak``."""
    if progress < warm:
        return peak * max(progress / warm, 0.02)
    p = min((progress - warm) / max(1 - warm, 1e-9), 1.0)
    return peak * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * p)))


def to_device(batch, device: torch.device):
    """``batch`` with every tensor (also inside tuples, lists and dicts) on ``device``."""
    if torch.is_tensor(batch):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(b, device) for b in batch)
    if isinstance(batch, dict):
        return {k: to_device(v, device) for k, v in batch.items()}
    return batch


def save_weights(model: torch.nn.Module, path) -> None:
    """The float32 CPU state_dict that ``export --weights`` reads (``model_state.pt``)."""
    torch.save({k: v.detach().float().cpu() for k, v in model.state_dict().items()}, path)


def param_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        if not p.requires_grad:
            continue
        table = any(k in n for k in ("pos_embed", "cls_token", "positional_embeddings", "scale_embeddings",
                                      "relative_position_bias_table", "quantiles"))
        (no_decay if p.ndim < 2 or table else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def run_loop(model: torch.nn.Module, batches: Iterator, step_loss: Callable, cfg: LoopConfig,
             validate: Callable[[torch.nn.Module], dict] | None = None,
             optimizer: torch.optim.Optimizer | None = None, meta: dict | None = None,
             after_step: Callable[[torch.nn.Module], None] | None = None) -> dict:
    """Train ``model`` until the wall-clock budget (summed over resumed runs) is spent.

    ``validate(model)`` runs at every checkpoint (its dict is logged as a ``val`` record);
    ``after_step(model)`` runs after every optimiser step (e.g. the codec's auxiliary update)."""
    from tqdm import tqdm

    torch.set_num_threads(max(1, cfg.threads))
    dev = torch.device(cfg.device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    model.to(dev)
    run = Path(cfg.run_dir)
    run.mkdir(parents=True, exist_ok=True)
    opt = optimizer or torch.optim.AdamW(param_groups(model, cfg.weight_decay), lr=cfg.lr, betas=(0.9, 0.99))
    peaks = [g.get("peak_lr", cfg.lr) for g in opt.param_groups]
    elapsed0, step, history = 0.0, 0, []
    ckpt = run / "last.pt"
    if cfg.resume and ckpt.exists():
        ck = torch.load(ckpt, map_location="cpu", weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        elapsed0, step, history = ck["elapsed"], ck["step"], ck.get("history", [])
        print(f"resumed from {ckpt}: step {step}, {elapsed0 / 60:.1f} min done", flush=True)
    total = cfg.minutes * 60.0
    log = open(run / "train.log", "a")

    def write(rec: dict, echo_stdout: bool = False) -> None:
        log.write(json.dumps(rec) + "\n")
        log.flush()
        if echo_stdout:
            print(json.dumps(rec), flush=True)

    write({"event": "start", "config": asdict(cfg), **(meta or {}),
           "device_name": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu",
           "parameters": sum(p.numel() for p in model.parameters()), "threads": torch.get_num_threads(),
           "time": time.strftime("%Y-%m-%d %H:%M:%S")}, echo_stdout=True)
    elapsed = elapsed0

    def save() -> None:
        state = {"model": model.state_dict(), "optimizer": opt.state_dict(), "elapsed": elapsed,
                 "step": step, "config": asdict(cfg), "history": history}
        tmp = run / "last.pt.tmp"
        torch.save(state, tmp)
        os.replace(tmp, ckpt)
        save_weights(model, run / "model_state.pt")

    t_start = last_ckpt = last_log = time.time()
    acc: dict[str, float] = {}
    n_acc = skipped = 0
    wait = 0.0
    bar = tqdm(total=int(total), initial=int(min(elapsed0, total)), unit="s", mininterval=10.0, desc="train",
               file=sys.stdout, ncols=110)
    model.train()
    done = elapsed0 >= total
    while not done:
        t0 = time.time()
        batch = to_device(next(batches), dev)
        wait += time.time() - t0
        for e in range(max(1, cfg.echo)):
            elapsed = elapsed0 + (time.time() - t_start)
            progress = min(elapsed / total, 1.0)
            for g, peak in zip(opt.param_groups, peaks):
                g["lr"] = lr_at(progress, peak, cfg.warmup)
            loss, parts = step_loss(model, batch, e)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            if not bool(torch.isfinite(gn)):
                skipped += 1
                continue
            opt.step()
            if after_step is not None:
                after_step(model)
            step += 1
            for k, v in {"loss": loss, "grad_norm": gn, **parts}.items():
                acc[k] = acc.get(k, 0.0) + float(v.detach() if torch.is_tensor(v) else v)
            n_acc += 1
            if progress >= 1.0 or (cfg.max_steps and step >= cfg.max_steps):
                done = True
                break
        now = time.time()
        bar.n = int(min(elapsed, total))
        if now - last_log >= cfg.log_seconds or done:
            mean = {k: v / max(n_acc, 1) for k, v in acc.items()}
            bar.set_postfix(step=step, loss=f"{mean.get('loss', float('nan')):.4f}", refresh=False)
            bar.refresh()
            rec = {"event": "train", "step": step, "elapsed_s": round(elapsed, 1), "lr": opt.param_groups[0]["lr"],
                   **{k: round(v, 6) for k, v in mean.items()}, "skipped": skipped,
                   "data_wait_frac": round(wait / max(now - t_start, 1e-6), 3)}
            history.append(rec)
            write(rec)
            acc, n_acc, last_log = {}, 0, now
        if now - last_ckpt >= cfg.ckpt_minutes * 60 or done:
            if validate is not None:
                v = validate(model)
                model.train()
                rec = {"event": "val", "step": step, "elapsed_s": round(elapsed, 1), **v}
                history.append(rec)
                write(rec, echo_stdout=True)
            save()
            last_ckpt = now
    bar.close()
    if not ckpt.exists():
        save()
    wall = time.time() - t_start
    summary = {"event": "end", "steps": step, "elapsed_total_s": round(elapsed, 1), "wall_this_run_s": round(wall, 1),
               "data_wait_frac": round(wait / max(wall, 1e-6), 3),
               "last_train": next((h for h in reversed(history) if h.get("event") == "train"), None)}
    write(summary, echo_stdout=True)
    log.close()
    return summary


def training_card(run_dirs: list, commands: list, machine: str) -> dict:
    """Model-card numbers of one or more chained runs (``train.log`` of each): commands, wall time, steps, the
    last logged training losses and the last validation record."""
    stages = []
    for run, cmd in zip(run_dirs, commands):
        recs = [json.loads(line) for line in (Path(run) / "train.log").read_text().splitlines() if line.strip()]
        ends = [r for r in recs if r.get("event") == "end"]
        trains = [r for r in recs if r.get("event") == "train"]
        vals = [r for r in recs if r.get("event") == "val"]
        stages.append({
            "command": cmd,
            "wall_minutes": round(sum(r["wall_this_run_s"] for r in ends) / 60, 1),
            "steps": ends[-1]["steps"] if ends else None,
            "final_train": {k: v for k, v in (trains[-1] if trains else {}).items() if k not in ("event",)},
            "last_validation": {k: v for k, v in (vals[-1] if vals else {}).items() if k != "event"},
        })
    return {"training_stages": stages, "training_machine": machine,
            "training_wall_minutes_total": round(sum(s["wall_minutes"] for s in stages), 1)}
