"""``train ARCH`` for the models trained by :func:`frameq_models.train_loop.run_loop` (all but MANIQA)."""

from __future__ import annotations

from .train_loop import LoopConfig

#: per-architecture defaults: (lr, weight decay, echo)
DEFAULTS = {"vtamiq": (3e-4, 0.05, 2), "lpienet": (1e-3, 0.0, 2), "mirnet_v2": (1e-3, 0.0, 2),
            "wacnn": (5e-4, 0.0, 1)}


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
        from .train_fr import FrConfig, train

        return train(loop, FrConfig(config=args.config, data=args.data, batch_groups=args.batch_groups or 6,
                                    workers=workers, rank_weight=args.rank_weight, init=args.init,
                                    ladder_p=args.ladder))
    if args.arch in ("lpienet", "mirnet_v2"):
        from .train_restore import RestoreConfig, train

        return train(loop, RestoreConfig(arch=args.arch, config=args.config, data=args.data, batch=args.batch,
                                         crop=args.crop, workers=workers, mix=args.mix))
    if args.arch == "wacnn":
        from .train_codec import CodecConfig, train

        return train(loop, CodecConfig(config=args.config, data=args.data, batch=args.batch, crop=args.crop,
                                       workers=workers, lmbda=args.lmbda, init=args.init))
    raise KeyError(args.arch)
