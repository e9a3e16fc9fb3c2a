"""Training-side plumbing on synthetic photos in a temp dir (no shared data)."""
import numpy as np
import pytest
import torch
from PIL import Image

from frameq_models.data import groups as G
from frameq_models.data import photos as P
from frameq_models.eval import scoring as S
from frameq_models.train import nr as T
from frameq_models.train.loop import lr_at


def _photo(path, seed, size=(300, 280)):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, size=(size[1] // 20 + 1, size[0] // 20 + 1, 3)).astype(np.uint8)
    img = Image.fromarray(base).resize(size, Image.Resampling.BICUBIC)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


@pytest.fixture()
def data(tmp_path):
    for i in range(10):
        _photo(tmp_path / "photos" / "CBSD68" / f"{i:03d}.png", i)
    _photo(tmp_path / "photos" / "skimage" / "cat.png", 99)
    pn = tmp_path / "real-noise" / "polyu-dev"
    for scene in ("A_chair_1", "A_chair_2", "B_desk_1", "C_toy_3"):
        _photo(pn / f"{scene}_mean.JPG", 1)
        _photo(pn / f"{scene}_real.JPG", 2)
    return tmp_path


def test_split_holds_out_every_fifth_and_skimage(data):
    s = P.split_photos(data)
    names = sorted(p.name for p in s["test"])
    assert names == ["004.png", "009.png", "cat.png"]
    assert len(s["train"]) == 8 and not set(s["train"]) & set(s["test"])


def test_polyu_split_is_by_scene(data):
    p = P.polyu_pairs(data)
    scenes = {k: {c.name.rsplit("_", 2)[0] for c, _ in v} for k, v in p.items()}
    assert scenes["val"] and scenes["test"] and not scenes["val"] & scenes["test"]
    assert sum(len(v) for v in p.values()) == 4
    assert all(c.name.endswith("_mean.JPG") and n.name.endswith("_real.JPG")
               for v in p.values() for c, n in v)


def test_sampler_groups_are_deterministic_and_ordered(data):
    photos = P.split_photos(data)["train"]
    a = G.GroupSampler(photos, seed=5).sample()
    b = G.GroupSampler(photos, seed=5).sample()
    assert a[0].shape == (4, 224, 224, 3) and a[0].dtype == np.uint8
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_allclose(a[1], b[1])
    assert np.all((a[1] > 0) & (a[1] <= 1))
    assert a[2][0] in ("clean", "soft_clean")


def test_ladder_groups_get_worse_rung_by_rung(data):
    photos = P.split_photos(data)["train"]
    sampler = G.GroupSampler(photos, seed=3, ladder_p=1.0)
    for _ in range(4):
        ref, imgs, labels, kinds = sampler.sample_with_reference()
        assert kinds == ["rescale+jpeg"] * 4 and imgs.shape == (4, 224, 224, 3)
        assert np.all(np.diff(labels) <= 1e-6), labels  # each rung is smaller and more compressed
        assert np.abs(imgs[-1].astype(int) - ref).mean() > np.abs(imgs[0].astype(int) - ref).mean()


def test_real_noise_groups_put_the_clean_picture_first(data):
    photos = P.split_photos(data)["train"]
    pairs = [p for v in P.polyu_pairs(data).values() for p in v]
    sampler = G.GroupSampler(photos, seed=3, real_pairs=pairs, real_p=1.0)
    ref, imgs, labels, kinds = sampler.sample_with_reference()
    assert kinds[:2] == ["clean", "real_noise"]
    np.testing.assert_array_equal(imgs[0], ref)
    assert labels[0] == 1.0 and labels[1] < 1.0 and labels[2] <= labels[1]


def test_real_noise_groups_also_blur_the_clean_picture(data):
    # half of the fourth slots are a blurred clean picture, so the smooth multi-frame mean is not the top
    photos = P.split_photos(data)["train"]
    pairs = [p for v in P.polyu_pairs(data).values() for p in v]
    sampler = G.GroupSampler(photos, seed=5, real_pairs=pairs, real_p=1.0)
    fourth = [sampler.sample_with_reference() for _ in range(12)]
    blurred = [(imgs, labels) for _, imgs, labels, kinds in fourth if kinds[3] in G.REAL_BLUR]
    assert 0 < len(blurred) < 12
    for imgs, labels in blurred:
        assert labels[3] < 1.0
        assert np.abs(np.diff(imgs[3].astype(float), axis=1)).mean() < np.abs(np.diff(imgs[0].astype(float), axis=1)).mean()


def test_sampler_rejects_real_share_without_pairs(data):
    with pytest.raises(ValueError, match="real_p"):
        G.GroupSampler(P.split_photos(data)["train"], seed=0, real_p=0.2)


def test_group_loss_ranks_and_regresses():
    target = torch.tensor([[1.0, 0.8, 0.5, 0.3]])
    good = target.clone()
    bad = target.flip(1)
    lg, rg, kg = T.group_loss(good, target)
    lb, rb, kb = T.group_loss(bad, target)
    assert float(lg) == pytest.approx(0.0, abs=1e-7)
    assert float(kb) > 0.1 and float(lb) > float(lg)


def test_five_point_crops_upscale_small_frames():
    img = np.zeros((150, 400, 3), np.uint8)
    crops = S.five_point(img)
    assert crops.shape == (5, 224, 224, 3)


def test_lr_schedule_warms_up_and_decays():
    assert lr_at(0.0, 1.0) < lr_at(0.06, 1.0) == pytest.approx(1.0)
    assert lr_at(1.0, 1.0) == pytest.approx(0.02)


def test_train_resume_and_checkpoint(data, tmp_path):
    # two optimiser steps on CPU, then resume for one more: checkpoint and log are written
    run = tmp_path / "run"
    cfg = T.TrainConfig(device="cpu", minutes=10, max_steps=1, batch_groups=1, workers=0,
                        data=str(data), run_dir=str(run), ckpt_minutes=100, log_seconds=0)
    T.train(cfg)
    assert (run / "last.pt").exists() and (run / "model_state.pt").exists()
    cfg.resume, cfg.max_steps = True, 2
    T.train(cfg)
    ck = torch.load(run / "last.pt", weights_only=False)
    assert ck["step"] == 2 and ck["run_index"] == 1
    assert "polyu_val" in (run / "train.log").read_text()
    # a fresh run can start from those weights (strict load)
    cfg2 = T.TrainConfig(device="cpu", minutes=10, max_steps=1, batch_groups=1, workers=0,
                         data=str(data), run_dir=str(tmp_path / "run2"), ckpt_minutes=100,
                         log_seconds=0, init=str(run / "model_state.pt"))
    T.train(cfg2)
    assert (tmp_path / "run2" / "model_state.pt").exists()


def test_type_weights_parse_and_steer_the_sampler(data):
    assert G.parse_type_weights(["pixelate=3", "jpeg=0.5"]) == {"pixelate": 3.0, "jpeg": 0.5}
    for bad, msg in (("pixelate", "TYPE=WEIGHT"), ("pixelated=2", "unknown distortion type"),
                     ("pixelate=x", "must be a number"), ("pixelate=0", "must be > 0")):
        with pytest.raises(ValueError, match=msg):
            G.parse_type_weights([bad])
    photos = P.split_photos(data)["train"]
    plain = G.GroupSampler(photos, seed=0)
    steered = G.GroupSampler(photos, seed=0, type_weights={"pixelate": 50.0})
    i = plain.type_names.index("pixelate")
    assert steered.type_p[i] > 0.5 > plain.type_p[i]
    assert abs(steered.type_p.sum() - 1.0) < 1e-9
    with pytest.raises(ValueError, match="unknown distortion types"):
        G.GroupSampler(photos, seed=0, type_weights={"nope": 2.0})
