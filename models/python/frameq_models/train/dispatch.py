"""``train ARCH``: the command-line options -> the training entry point of that architecture."""

from __future__ import annotations

from .loop import LoopConfig

#: per-architecture defaults of the shared loop (train.loop): (lr, weight decay, echo)
DEFAULTS = {"vtamiq": (3e-4, 0.05, 2), "lpienet": (1e-3, 0.0, 2), "mirnet_v2": (1e-3, 0.0, 2),
            "wacnn": (5e-4, 0.0, 1)}


def train(args) -> dict:
    """Run the training that ``args`` (the ``train`` sub-command's namespace) asks for."""
    if args.arch == "maniqa":
        return train_maniqa(args)
    return train_other(args)


def train_maniqa(args) -> dict:
    # MANIQA has its own loop (train.nr): mixed precision, an activation penalty and a divergence guard.
    from ..data.groups import parse_type_weights
    from .nr import TrainConfig, train

    cfg = TrainConfig(arch=args.arch, config=args.config, device=args.device,
                      minutes=args.minutes, resume=args.resume, data=args.data,
                      run_dir=args.run_dir, batch_groups=args.batch_groups or 64,
                      workers=2 if args.workers is None else args.workers,
                      echo=args.echo or 1, lr=args.lr or 4e-4,
                      rank_weight=args.rank_weight, ckpt_minutes=args.ckpt_minutes,
                      seed=args.seed, max_steps=args.max_steps, warmup=args.warmup,
                      amp=args.amp, act_penalty=args.act_penalty,
                      weight_decay=0.05 if args.weight_decay is None else args.weight_decay,
                      init=args.init, real_p=args.real,
                      type_weights=parse_type_weights(args.type_weight))
    return train(cfg)


def loop_config(args) -> LoopConfig:
    lr, wd, echo = DEFAULTS[args.arch]
    return LoopConfig(minutes=args.minutes, resume=args.resume, run_dir=args.run_dir,
                      lr=args.lr or lr, weight_decay=wd if args.weight_decay is None else args.weight_decay,
                      warmup=args.warmup, echo=args.echo or echo, ckpt_minutes=args.ckpt_minutes,
                      seed=args.seed, max_steps=args.max_steps, threads=args.threads,
                      device=args.device)


def train_other(args) -> dict:
    loop = loop_config(args)
    workers = 1 if args.workers is None else args.workers
    if args.arch == "vtamiq":
        if loop.device != "cpu":
            raise ValueError(f"train vtamiq: --device {loop.device} is not supported (its patch sampling runs "
                             "on the CPU inside the step); expected --device cpu")
        from .fr import FrConfig, train

        return train(loop, FrConfig(config=args.config, data=args.data, batch_groups=args.batch_groups or 6,
                                    workers=workers, rank_weight=args.rank_weight, init=args.init,
                                    ladder_p=args.ladder))
    if args.arch in ("lpienet", "mirnet_v2"):
        from .restore import RestoreConfig, train

        return train(loop, RestoreConfig(arch=args.arch, config=args.config, data=args.data, batch=args.batch,
                                         crop=args.crop, workers=workers, mix=args.mix))
    if args.arch == "wacnn":
        from .codec import CodecConfig, train

        return train(loop, CodecConfig(config=args.config, data=args.data, batch=args.batch, crop=args.crop,
                                       workers=workers, lmbda=args.lmbda, init=args.init))
    raise KeyError(args.arch)
