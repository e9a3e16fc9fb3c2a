"""FR / restorer / codec training and the eval helpers on tiny configs and synthetic images (no shared data)."""
import json
import math

import numpy as np
import pytest
import torch
from PIL import Image

from frameq_models.archs.registry import build_model
from frameq_models.data import photos as P
from frameq_models.eval import all_models as eval_all
from frameq_models.eval import nr as eval_nr
from frameq_models.train import codec as train_codec
from frameq_models.train import fr as train_fr
from frameq_models.train import restore as train_restore
from frameq_models.train.loop import LoopConfig, lr_at, run_loop, training_card


def _photo(path, seed, size=(300, 280)):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, size=(size[1] // 20 + 1, size[0] // 20 + 1, 3)).astype(np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(base).resize(size, Image.Resampling.BICUBIC).save(path)


@pytest.fixture()
def data(tmp_path):
    for i in range(6):
        _photo(tmp_path / "photos" / "CBSD68" / f"{i:03d}.png", i)
    pn = tmp_path / "real-noise" / "polyu-dev"
    for i, scene in enumerate(("A_chair_1", "A_chair_2", "B_desk_1", "C_toy_3", "D_cup_1", "E_pen_2")):
        _photo(pn / f"{scene}_mean.JPG", 10 + i, (160, 160))
        _photo(pn / f"{scene}_real.JPG", 20 + i, (160, 160))
    return tmp_path


def test_random_patches_cut_the_same_places_of_both_images():
    gen = torch.Generator().manual_seed(0)
    ref = torch.randn(3, 3, 64, 64)
    pr, pd, pos, sc = train_fr.random_patches(ref, ref.clone() + 1.0, 20, 8, 5, gen)
    assert pr.shape == pd.shape == (3, 20, 3, 8, 8) and pos.shape == (3, 20, 2) and sc.shape == (3, 20, 2)
    assert torch.allclose(pd - pr, torch.ones_like(pr), atol=1e-5)  # same positions in ref and dist
    assert float(pos.min()) >= 0 and float(pos.max()) < 1
    # 64 px -> scales 0..3 usable for 8 px patches; counts follow the serving split (most at scale 0)
    counts = [int((sc[0, :, 0] == s).sum()) for s in range(4)]
    assert counts == train_fr.scale_counts(20, 4) and counts[0] > counts[1] >= counts[2]


def test_patch_at_scale_zero_is_the_image_region():
    gen = torch.Generator().manual_seed(1)
    ref = torch.arange(2 * 3 * 32 * 32, dtype=torch.float32).reshape(2, 3, 32, 32)
    pr, _, pos, sc = train_fr.random_patches(ref, ref, 4, 8, 1, gen)
    for b in range(2):
        for k in range(4):
            u, v = pos[b, k]
            y = int(round(float(u) * (32 - 4) - 4))
            x = int(round(float(v) * (32 - 4) - 4))
            assert torch.equal(pr[b, k], ref[b, :, y:y + 8, x:x + 8])


def _fr_batches(groups=2, size=48):
    gen = torch.Generator().manual_seed(0)
    while True:
        ref = torch.randint(0, 256, (groups, size, size, 3), generator=gen, dtype=torch.uint8)
        noise = torch.randint(-40, 40, (groups, 4, size, size, 3), generator=gen)
        lvl = torch.tensor([0.0, 0.3, 0.7, 1.0]).view(1, 4, 1, 1, 1)
        imgs = (ref[:, None].int() + (noise * lvl).int()).clamp(0, 255).to(torch.uint8)
        yield ref, imgs, (1.0 - 0.6 * lvl.view(1, 4)).expand(groups, 4).contiguous()


def test_fr_training_checkpoints_and_resumes(tmp_path):
    model = build_model("vtamiq", "tiny", training=True)
    cfg = LoopConfig(minutes=10, run_dir=str(tmp_path / "run"), max_steps=3, echo=2, log_seconds=0, ckpt_minutes=0)
    out = run_loop(model, _fr_batches(), train_fr.make_step_loss(2.0, 0), cfg)
    assert out["steps"] == 3 and math.isfinite(out["last_train"]["loss"])
    assert (tmp_path / "run" / "last.pt").exists() and (tmp_path / "run" / "model_state.pt").exists()
    cfg2 = LoopConfig(minutes=10, run_dir=str(tmp_path / "run"), max_steps=5, resume=True, log_seconds=0)
    out2 = run_loop(build_model("vtamiq", "tiny", training=True), _fr_batches(), train_fr.make_step_loss(2.0, 0), cfg2)
    assert out2["steps"] == 5  # continued from step 3
    events = [json.loads(l)["event"] for l in (tmp_path / "run" / "train.log").read_text().splitlines()]
    assert events.count("start") == 2 and events.count("end") == 2
    card = training_card([str(tmp_path / "run")], ["train vtamiq ..."], "test machine")
    assert card["training_stages"][0]["steps"] == 5 and card["training_stages"][0]["command"] == "train vtamiq ..."
    assert card["training_stages"][0]["final_train"]["step"] == 5


def test_lr_schedule_warms_up_then_decays_to_two_percent():
    assert lr_at(0.0, 1.0) == pytest.approx(0.02)
    assert lr_at(0.06, 1.0) == pytest.approx(1.0)
    assert lr_at(1.0, 1.0) == pytest.approx(0.02)
    assert lr_at(0.3, 1.0) > lr_at(0.6, 1.0) > lr_at(0.9, 1.0)


@pytest.mark.parametrize("arch", ["mirnet_v2", "lpienet"])
def test_restorers_start_near_the_identity(arch):
    model = build_model(arch, "tiny", training=True).eval()
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        y = model(x)
    assert float((y - x).abs().max()) < 0.02


def test_restore_loss_and_ssim():
    x = torch.rand(2, 3, 32, 32)
    loss, charb, s = train_restore.restore_loss(x, x)
    assert float(s) == pytest.approx(1.0, abs=1e-4) and float(charb) == pytest.approx(1e-3, rel=1e-2)
    loss2, _, s2 = train_restore.restore_loss((x + 0.2 * torch.randn_like(x)).clamp(0, 1), x)
    assert float(loss2) > float(loss) and float(s2) < 0.9


def test_restore_sampler_and_polyu_split(data):
    split = P.polyu_restore_split(data)
    scenes = {k: {n.name.rsplit("_real.", 1)[0].rsplit("_", 1)[0] for _, n in v} for k, v in split.items()}
    assert all(scenes.values()) and not (scenes["train"] & scenes["val"]) and not (scenes["train"] & scenes["test"])
    assert split["test"] == P.polyu_pairs(data)["test"]  # the NR test half stays the test set
    photos = P.split_photos(data)["train"]
    s = train_restore.RestoreSampler(photos, split["train"], 64, seed=3)
    kinds = set()
    for _ in range(25):
        x, y, kind = s.sample()
        assert x.shape == y.shape == (64, 64, 3) and x.dtype == np.uint8
        kinds.add(kind)
    assert "polyu" in kinds and len(kinds) >= 3
    noise_only = train_restore.RestoreSampler(photos, split["train"], 64, seed=3, mix="noise")
    noise_kinds = {noise_only.sample()[2] for _ in range(40)}
    assert "low_light" not in noise_kinds and {"polyu", "camera_noise"} <= noise_kinds


def test_restorer_step_reduces_loss_on_a_fixed_batch():
    torch.manual_seed(0)
    clean = (torch.rand(4, 32, 32, 3) * 255).to(torch.uint8)
    noisy = (clean.int() + torch.randint(-30, 30, clean.shape)).clamp(0, 255).to(torch.uint8)
    model = build_model("mirnet_v2", "tiny", training=True)
    step = train_restore.make_step_loss()
    opt = torch.optim.Adam(model.parameters(), 3e-3)
    first = float(step(model, (noisy, clean), 0)[0].detach())
    for _ in range(8):
        loss, _ = step(model, (noisy, clean), 0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(step(model, (noisy, clean), 0)[0].detach()) < first


def test_codec_step_loss_and_aux_step():
    model = build_model("wacnn", "tiny", training=True)
    x = (torch.rand(2, 64, 64, 3) * 255).to(torch.uint8)
    loss, parts = train_codec.make_step_loss(0.01)(model, x, 0)
    assert torch.isfinite(loss) and float(parts["bpp"]) > 0 and 0 < float(parts["mse"]) < 1
    main, aux_step, last = train_codec.optimizers(model, 1e-3, 1e-3, 0.0)
    q = model.entropy_bottleneck.quantiles
    assert all(p is not q for g in main.param_groups for p in g["params"])
    before = q.detach().clone()
    aux_step(model)
    assert not torch.equal(before, q.detach()) and last["aux"] > 0


def test_settle_quantiles_moves_only_the_quantiles_and_shrinks_the_aux_loss(tmp_path):
    model = build_model("wacnn", "tiny", training=True)
    others = {k: v.clone() for k, v in model.state_dict().items() if not k.endswith("quantiles")}
    # an untrained density's tails lie far out: a large step size gets there within the test's budget
    result = train_codec.settle_quantiles(model, max_steps=1500, lr=0.5)
    assert result["aux_loss_after"] < 0.01 * result["aux_loss_before"], result
    assert result["steps"] < 1500  # stopped because the loss stopped falling
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in others.items())
    # the file form writes a state_dict that loads strictly into the same architecture
    src, out = tmp_path / "in.pt", tmp_path / "out.pt"
    torch.save(build_model("wacnn", "tiny", training=True).state_dict(), src)
    r = train_codec.settle_file("wacnn", "tiny", str(src), str(out), max_steps=500)
    build_model("wacnn", "tiny", training=True).load_state_dict(torch.load(out, weights_only=True), strict=True)
    assert r["aux_loss_after"] < r["aux_loss_before"]


def test_bd_rate_of_a_curve_with_half_the_bits_is_minus_fifty_percent():
    rate = np.array([0.25, 0.5, 1.0, 2.0])
    quality = np.array([28.0, 31.0, 34.0, 37.0])
    assert eval_all.bd_rate(rate / 2, quality, rate, quality) == pytest.approx(-50.0, abs=0.01)
    assert eval_all.bd_rate(rate, quality + 100, rate, quality) is None  # no overlap


def test_jpeg_bpp_grows_with_quality():
    rng = np.random.default_rng(0)
    img = np.asarray(Image.fromarray(rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)).resize((64, 64)))
    lo, hi = eval_all.jpeg(img, 10), eval_all.jpeg(img, 90)
    assert lo[0] < hi[0] and eval_all.psnr(lo[1], img) < eval_all.psnr(hi[1], img)


def test_pick_photos_spreads_over_the_list_and_fr_scorers_get_the_reference():
    photos = list(range(51))
    assert eval_nr.pick_photos(photos, 4) == [0, 17, 33, 50]
    assert eval_nr.pick_photos(photos, 0) == photos

    class Fr:
        full_reference = True

        def __call__(self, imgs, refs):
            return np.array([eval_nr._psnr(i, r) for i, r in zip(imgs, refs)])

    ref = np.full((8, 8, 3), 100, np.uint8)
    imgs = np.stack([ref, ref + 10])
    s = eval_nr._score(Fr(), imgs, ref)
    assert s[0] > s[1]
