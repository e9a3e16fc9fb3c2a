"""Train the full-reference IQA model (VTAMIQ) on weak labels of (pristine, distorted) pairs.

Data: the groups of :class:`frameq_models.data.groups.GroupSampler` (same photos, split, distortion
mix and weak labels as the NR model), with the undistorted centre crop as the reference: each
group is one reference and four versions [clean or slightly soft, type t at two levels, camera
noise / chain / other type].

Patches: each optimiser step cuts a fresh random patch set from every (reference, version) pair
(:func:`random_patches`): an average-pool pyramid, per-scale counts like the serving sampler
(weight 2^(-1.5 s)), the same positions in reference and version, position = patch centre in
[0, 1) as in model.json. The number of patches varies per step (48..128) so that the CLS
token does not specialise to one set size; serving uses 256 (model.json ``crop.count``).

Target: the model outputs degradation (model.json: lower is better, quality = 1 - score), so the
loss is :func:`frameq_models.train.nr.group_loss` on ``1 - output``: smooth-L1 on the weak label
plus the hinge ranking loss inside each group (which orders the two levels of one type and clean
above camera noise). Loop: :func:`frameq_models.train.loop.run_loop`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..archs import vtamiq
from ..archs.registry import build_model
from ..data.groups import GroupSampler, GroupStream
from ..data.photos import training_split
from ..export.onnx_weights import load_init
from .loop import LoopConfig, run_loop
from .nr import group_loss

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
PATCH_COUNTS = (48, 64, 96, 128)


@dataclass
class FrConfig:
    config: str = "lite"
    data: str = ""
    batch_groups: int = 6  # x 4 pairs
    workers: int = 1
    rank_weight: float = 2.0
    val_groups: int = 12
    init: str = ""  # start from these weights (state dict, last.pt or a shipped model.onnx)
    ladder_p: float = 0.0  # share of CDN-ladder groups (GroupSampler.ladder_p)


def scale_counts(count: int, scales: int) -> list[int]:
    """Patches per scale, weight 2^(-1.5 s) (the serving sampler's split, model.json ``crop.scales``)."""
    w = [2.0 ** (-1.5 * s) for s in range(scales)]
    upper = [int(np.ceil(count * x / sum(w))) for x in w[1:]]
    return [count - sum(upper)] + upper


def normalise(x_u8: torch.Tensor) -> torch.Tensor:
    """uint8 [N, H, W, 3] -> ImageNet-normalised float [N, 3, H, W]."""
    x = x_u8.permute(0, 3, 1, 2).float() / 255.0
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return (x - mean) / std


def random_patches(ref: torch.Tensor, dist: torch.Tensor, count: int, patch: int, max_scales: int,
                   gen: torch.Generator):
    """Random patch sets at the same places of ``ref`` and ``dist`` (normalised ``[N, 3, H, W]``).

    Returns ``patches_ref``, ``patches_dist`` ``[N, count, 3, p, p]``, ``positions`` ``[N, count, 2]``
    (u = row, v = column of the centre in [0, 1)), ``scales`` int64 ``[N, count, 2]``."""
    n = ref.shape[0]
    pyr = [(ref, dist)]
    while len(pyr) < max_scales and min(pyr[-1][0].shape[-2:]) // 2 >= patch:
        pyr.append(tuple(F.avg_pool2d(x, 2) for x in pyr[-1]))
    counts = scale_counts(count, len(pyr))
    pr, pd, pos, sc = [], [], [], []
    ar = torch.arange(patch)
    bidx = torch.arange(n)[:, None, None, None]
    for s, (k, (r, d)) in enumerate(zip(counts, pyr)):
        hs, ws = r.shape[-2:]
        ys = torch.randint(0, hs - patch + 1, (n, k), generator=gen)
        xs = torch.randint(0, ws - patch + 1, (n, k), generator=gen)
        rows = (ys[..., None] + ar)[..., :, None]  # [n, k, p, 1]
        cols = (xs[..., None] + ar)[..., None, :]  # [n, k, 1, p]
        rh, dh = r.permute(0, 2, 3, 1), d.permute(0, 2, 3, 1)  # [n, H, W, 3]
        pr.append(rh[bidx, rows, cols].permute(0, 1, 4, 2, 3))
        pd.append(dh[bidx, rows, cols].permute(0, 1, 4, 2, 3))
        u = ((ys.float() + patch / 2) / (hs - patch / 2)).clamp(0, 1 - 1e-6)
        v = ((xs.float() + patch / 2) / (ws - patch / 2)).clamp(0, 1 - 1e-6)
        pos.append(torch.stack((u, v), -1))
        sc.append(torch.full((n, k, 2), s, dtype=torch.int64))
    return torch.cat(pr, 1), torch.cat(pd, 1), torch.cat(pos, 1), torch.cat(sc, 1)


def _augment(x: torch.Tensor, k: int) -> torch.Tensor:
    """Flip / transpose of ``[..., H, W, 3]`` uint8 crops (label preserving)."""
    if k & 1:
        x = x.flip(-2)
    if k & 2:
        x = x.transpose(-3, -2)
    return x


def predict_quality(model, ref_u8: torch.Tensor, dist_u8: torch.Tensor, count: int, gen: torch.Generator):
    """Quality (1 - model output) of pairs ``uint8 [N, H, W, 3]``, one random patch set each."""
    cfg = model.cfg
    pr, pd, pos, sc = random_patches(normalise(ref_u8), normalise(dist_u8), count, cfg.patch_size,
                                     cfg.num_scales, gen)
    return 1.0 - model(pr, pd, pos, sc)


def make_step_loss(rank_weight: float, seed: int):
    gen = torch.Generator().manual_seed(seed)

    def step_loss(model, batch, echo_index):
        ref, imgs, target = batch
        b, g = target.shape
        k = int(torch.randint(0, 4, (1,), generator=gen))
        ref, imgs = _augment(ref, k), _augment(imgs, k)
        refs = ref[:, None].expand(b, g, *ref.shape[1:]).reshape(-1, *ref.shape[1:])
        count = PATCH_COUNTS[int(torch.randint(0, len(PATCH_COUNTS), (1,), generator=gen))]
        q = predict_quality(model, refs, imgs.reshape(-1, *imgs.shape[2:]), count, gen)
        loss, reg, rank = group_loss(q.view(b, g), target, rank_weight)
        return loss, {"reg": reg.detach(), "rank": rank.detach()}

    return step_loss


def validation_set(photos, groups: int, seed: int, ladder_p: float = 0.0):
    """Fixed groups from training photos with their own seed (distortions never drawn in training)."""
    sampler = GroupSampler(photos, seed, ladder_p=ladder_p)
    out = [sampler.sample_with_reference() for _ in range(groups)]
    ref = torch.from_numpy(np.stack([o[0] for o in out]))
    imgs = torch.from_numpy(np.stack([o[1] for o in out]))
    labels = np.stack([o[2] for o in out])
    return ref, imgs, labels


def make_validate(val, count: int = 128):
    from scipy.stats import spearmanr

    ref, imgs, labels = val
    b, g = labels.shape

    @torch.no_grad()
    def validate(model):
        model.eval()
        gen = torch.Generator().manual_seed(0)
        refs = ref[:, None].expand(b, g, *ref.shape[1:]).reshape(-1, *ref.shape[1:])
        q = torch.cat([predict_quality(model, refs[i:i + 16], imgs.reshape(-1, *imgs.shape[2:])[i:i + 16], count, gen)
                       for i in range(0, b * g, 16)]).numpy()
        lab = labels.reshape(-1)
        qg = q.reshape(b, g)
        pairs = [(qg[i, j] > qg[i, k]) == (labels[i, j] > labels[i, k])
                 for i in range(b) for j in range(g) for k in range(j + 1, g) if labels[i, j] != labels[i, k]]
        return {"val_srocc": round(float(spearmanr(q, lab).correlation), 4),
                "val_mae": round(float(np.abs(q - lab).mean()), 4),
                "val_order": round(float(np.mean(pairs)), 4) if pairs else None}

    return validate


def train(loop: LoopConfig, cfg: FrConfig) -> dict:
    data_root, split = training_split(cfg.data)
    model = build_model("vtamiq", cfg.config, loop.seed, training=True)
    run_index = 0
    last = Path(loop.run_dir) / "last.pt"
    if cfg.init and not (loop.resume and last.exists()):
        print(load_init(model, cfg.init, vtamiq), flush=True)
    if loop.resume and last.exists():
        run_index = len([1 for line in (Path(loop.run_dir) / "train.log").read_text().splitlines()
                         if '"event": "start"' in line])
    stream = GroupStream(split["train"], loop.seed, run_index, with_reference=True, ladder_p=cfg.ladder_p)
    loader = torch.utils.data.DataLoader(stream, batch_size=cfg.batch_groups, num_workers=cfg.workers,
                                         prefetch_factor=2 if cfg.workers > 0 else None)
    val = (validation_set(split["train"], cfg.val_groups, loop.seed + 10_000, cfg.ladder_p)
           if cfg.val_groups else None)
    meta = {"arch": "vtamiq", "fr": asdict(cfg), "train_photos": len(split["train"]),
            "test_photos": len(split["test"])}
    return run_loop(model, iter(loader), make_step_loss(cfg.rank_weight, loop.seed + run_index), loop,
                    validate=make_validate(val) if val is not None else None, meta=meta)
