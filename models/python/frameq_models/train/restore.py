"""Train the restorers (LPIENet-lite, MIRNet-v2-lite): degraded crop -> clean crop.

Data (:class:`RestoreSampler`):

* synthetic: a random region of a training photo (:meth:`frameq_models.data.groups.GroupSampler.crop`,
  random scale and flip, 256 px), degraded by :mod:`frameq_models.data.distortions` and cut to ``crop``
  px at a random place away from the 16 px border: camera-pipeline noise (30 %), white noise
  (12 %), low light with sensor noise (18 %), Gaussian / defocus / camera-shake blur (5 % each);
  the target is the undegraded region (so the camera pipeline's sharpening and JPEG are undone too);
* real: aligned crops of the PolyU noisy/clean pairs of the *restorer training* scenes (25 %):
  :func:`polyu_restore_split` splits the NR validation half by scene again into ``train`` and
  ``val``; the NR test half stays the test set for every model.

Loss: Charbonnier (eps 1e-3) + 0.2 (1 - SSIM) on RGB in [0, 1]; random flips / transposes per echo.
Validation (every checkpoint): PSNR of input and output on centre crops of the ``val`` PolyU
pairs and on a fixed set of synthetic degradations of training photos.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..archs.registry import build_model
from ..archs.restore_common import pad_to_multiple
from ..data import distortions as dist
from ..data.groups import GroupSampler
from ..data.photos import load_rgb, polyu_restore_split, training_split
from .loop import LoopConfig, run_loop

#: training mixes, as data: (type, probability, level range) of the synthetic degradations; the rest of the
#: probability is real PolyU noise. ``all`` is the v2 mix. ``noise`` drops low light: its errors (~17 dB inputs)
#: are ~10x those of mild real noise (~36 dB), so in ``all`` they dominated the loss and the restorer drifted
#: below the identity on real noise (PolyU val 36.25 -> 36.03 dB after 1k steps).
MIXES = {
    "all": (("camera_noise", 0.30, (0.3, 4.5)), ("white_noise", 0.12, (0.3, 3.5)),
            ("low_light", 0.18, (0.5, 3.5)), ("gaussian_blur", 0.05, (0.3, 2.5)),
            ("defocus", 0.05, (0.3, 2.0)), ("camera_shake", 0.05, (0.3, 2.0))),
    "noise": (("camera_noise", 0.35, (0.3, 4.5)), ("white_noise", 0.15, (0.3, 3.5)),
              ("gaussian_blur", 0.05, (0.3, 2.0)), ("defocus", 0.05, (0.3, 1.5))),
}
SYNTHETIC = MIXES["all"]
MARGIN = 16


@dataclass
class RestoreConfig:
    arch: str = "lpienet"
    config: str = "lite"
    data: str = ""
    batch: int = 16
    crop: int = 128
    workers: int = 1
    val_crop: int = 256
    mix: str = "all"


class RestoreSampler:
    """(degraded, clean) uint8 crops ``[crop, crop, 3]``; numpy, deterministic per seed."""

    def __init__(self, photos, real_pairs, crop: int, seed: int, mix: str = "all"):
        self.mix = MIXES[mix]
        self.groups = GroupSampler(photos, seed)
        self.rng = self.groups.rng
        self.crop_size = crop
        self.real = [(load_rgb(c, 10_000), load_rgb(n, 10_000)) for c, n in real_pairs]
        names = [t for t, _, _ in self.mix]
        real_p = 1.0 - sum(q for _, q, _ in self.mix)
        p = np.array([q for _, q, _ in self.mix] + ([real_p] if self.real else []))
        self.kinds, self.p = names + (["polyu"] if self.real else []), p / p.sum()

    def sample(self) -> tuple[np.ndarray, np.ndarray, str]:
        rng, c = self.rng, self.crop_size
        kind = self.kinds[int(rng.choice(len(self.kinds), p=self.p))]
        if kind == "polyu":
            clean, noisy = self.real[int(rng.integers(len(self.real)))]
            h, w = clean.shape[:2]
            y, x = int(rng.integers(0, h - c + 1)), int(rng.integers(0, w - c + 1))
            return noisy[y:y + c, x:x + c].copy(), clean[y:y + c, x:x + c].copy(), kind
        big = self.groups.crop()
        lo, hi = dict((t, r) for t, _, r in self.mix)[kind]
        out = dist.apply(big, kind, float(rng.uniform(lo, hi)), int(rng.integers(1 << 31)))
        span = big.shape[0] - 2 * MARGIN - c
        y, x = MARGIN + int(rng.integers(0, span + 1)), MARGIN + int(rng.integers(0, span + 1))
        return out[y:y + c, x:x + c].copy(), big[y:y + c, x:x + c].copy(), kind


class RestoreStream(torch.utils.data.IterableDataset):
    def __init__(self, photos, real_pairs, crop: int, seed: int, run_index: int = 0, mix: str = "all"):
        super().__init__()
        self.mix = mix
        self.photos, self.real = [str(p) for p in photos], [(str(a), str(b)) for a, b in real_pairs]
        self.crop, self.seed, self.run_index = crop, seed, run_index

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        torch.set_num_threads(1)
        ss = np.random.SeedSequence([self.seed, self.run_index, info.id if info else 0])
        sampler = RestoreSampler([Path(p) for p in self.photos], self.real, self.crop, int(ss.generate_state(1)[0]),
                                  self.mix)
        while True:
            x, y, _ = sampler.sample()
            yield torch.from_numpy(x), torch.from_numpy(y)


def to_tensor(u8: torch.Tensor) -> torch.Tensor:
    """uint8 [N, H, W, 3] -> float [N, 3, H, W] in [0, 1] (model.json: scale 255, no mean/std)."""
    return u8.permute(0, 3, 1, 2).float() / 255.0


def ssim(x: torch.Tensor, y: torch.Tensor, sigma: float = 1.5) -> torch.Tensor:
    """Mean SSIM of [N, C, H, W] images in [0, 1] (Gaussian window, per channel, valid region)."""
    r = int(3 * sigma + 0.5)
    g = torch.exp(-(torch.arange(-r, r + 1, dtype=x.dtype, device=x.device) ** 2) / (2 * sigma * sigma))
    g = g / g.sum()
    c = x.shape[1]
    kx, ky = g.view(1, 1, 1, -1).repeat(c, 1, 1, 1), g.view(1, 1, -1, 1).repeat(c, 1, 1, 1)

    def blur(t):
        return F.conv2d(F.conv2d(t, kx, groups=c), ky, groups=c)

    mx, my = blur(x), blur(y)
    vx, vy, cxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    return (((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))).mean()


def restore_loss(out: torch.Tensor, target: torch.Tensor):
    charb = torch.sqrt((out - target) ** 2 + 1e-6).mean()
    s = ssim(out, target)
    return charb + 0.2 * (1 - s), charb, s


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0 ** 2 / max(mse, 1e-10)))


@torch.no_grad()
def restore(model: torch.nn.Module, img_u8: np.ndarray, multiple: int = 8) -> np.ndarray:
    """Run ``model`` like the exported graph (reflect-pad, crop back, clamp) on one uint8 image."""
    model.eval()
    x = to_tensor(torch.from_numpy(np.ascontiguousarray(img_u8))[None]).to(next(model.parameters()).device)
    h, w = x.shape[-2:]
    y = model(pad_to_multiple(x, multiple))[:, :, :h, :w].clamp(0, 1)
    return (y[0].permute(1, 2, 0).cpu().numpy() * 255.0 + 0.5).astype(np.uint8)


def centre_crop(img: np.ndarray, size: int) -> np.ndarray:
    h, w = img.shape[:2]
    s = min(size, h, w)
    y, x = (h - s) // 2, (w - s) // 2
    return img[y:y + s, x:x + s]


def make_step_loss():
    def step_loss(model, batch, echo_index):
        x, y = batch
        k = echo_index % 4
        x, y = to_tensor(x), to_tensor(y)
        if k & 1:
            x, y = x.flip(-1), y.flip(-1)
        if k & 2:
            x, y = x.transpose(-1, -2), y.transpose(-1, -2)
        loss, charb, s = restore_loss(model(x), y)
        return loss, {"charbonnier": charb.detach(), "ssim": s.detach()}

    return step_loss


def make_validate(val_real, val_synth, multiple: int):
    def validate(model):
        res = {}
        for name, pairs in (("polyu_val", val_real), ("synthetic_val", val_synth)):
            if not pairs:
                continue
            pin = [psnr(n, c) for n, c in pairs]
            pout = [psnr(restore(model, n, multiple), c) for n, c in pairs]
            res[name] = {"psnr_in": round(float(np.mean(pin)), 3), "psnr_out": round(float(np.mean(pout)), 3)}
        return res

    return validate


def train(loop: LoopConfig, cfg: RestoreConfig) -> dict:
    data_root, split = training_split(cfg.data)
    polyu = polyu_restore_split(data_root)
    model = build_model(cfg.arch, cfg.config, loop.seed, training=True)
    multiple = getattr(model.cfg, "multiple", 8)
    multiple = multiple() if callable(multiple) else multiple
    run_index = 0
    if loop.resume and (Path(loop.run_dir) / "train.log").exists():
        run_index = (Path(loop.run_dir) / "train.log").read_text().count('"event": "start"')
    stream = RestoreStream(split["train"], polyu["train"], cfg.crop, loop.seed, run_index, cfg.mix)
    loader = torch.utils.data.DataLoader(stream, batch_size=cfg.batch, num_workers=cfg.workers,
                                         prefetch_factor=2 if cfg.workers > 0 else None)
    val_real = [(centre_crop(load_rgb(n, 10_000), cfg.val_crop), centre_crop(load_rgb(c, 10_000), cfg.val_crop))
                for c, n in polyu["val"]]
    vs = RestoreSampler(split["train"], [], cfg.val_crop - 2 * MARGIN - 32, loop.seed + 10_000)
    val_synth = [vs.sample()[:2] for _ in range(12)]
    meta = {"arch": cfg.arch, "restore": asdict(cfg), "train_photos": len(split["train"]),
            "polyu_train_pairs": len(polyu["train"]), "polyu_val_pairs": len(polyu["val"])}
    return run_loop(model, iter(loader), make_step_loss(), loop, validate=make_validate(val_real, val_synth, multiple),
                    meta=meta)
