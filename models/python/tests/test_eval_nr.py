"""Evaluation metrics and the behaviour of the shipped trained maniqa-lite model."""
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from frameq_models.data import distortions as D
from frameq_models.eval import nr as E
from frameq_models.eval import scoring as S

MODELS = Path(__file__).resolve().parents[2]


def test_auc_and_spearman():
    assert E._auc(np.array([3.0, 4.0]), np.array([1.0, 2.0])) == 1.0
    assert E._auc(np.array([1.0]), np.array([1.0])) == 0.5
    assert E._spearman(np.array([5.0, 4, 3, 2, 1]), -np.arange(1, 6)) == pytest.approx(1.0)
    assert E._spearman(np.ones(5), -np.arange(1, 6)) == 0.0


def test_metrics_reward_a_perfect_scorer():
    rng = np.random.default_rng(0)
    labels = np.sort(rng.uniform(0.1, 0.9, size=(3, len(D.NAMES), 5)), axis=2)[:, :, ::-1].copy()
    m = E._metrics(np.ones(3), labels, labels)
    assert m["l_test_srocc"] == pytest.approx(1.0)
    assert m["d_test_auc"] == 1.0 and m["p_test_accuracy"] == 1.0
    worse = E._metrics(np.full(3, -2.0), -labels, labels)
    assert worse["l_test_srocc"] == pytest.approx(-1.0) and worse["d_test_auc"] == 0.0


def test_baselines_react_to_their_distortion():
    img = np.asarray(Image.open(MODELS / "golden" / "maniqa-lite" / "frame.png").convert("RGB"))
    assert E.sharpness(img) > E.sharpness(D.apply(img, "gaussian_blur", 3))
    assert E.noise_sigma(D.apply(img, "white_noise", 3)) > E.noise_sigma(img)


def test_shipped_trained_model_ranks_strong_degradations_below_the_clean_frame():
    # frame.png is skimage's chelsea (CC0), a held-out photo that was never trained on
    desc = json.loads((MODELS / "repository" / "maniqa-lite" / "model.json").read_text())
    scorer = E.OnnxScorer(MODELS / "repository" / "maniqa-lite" / str(desc["version"]) / desc["file"])
    img = np.asarray(Image.open(MODELS / "golden" / "maniqa-lite" / "frame.png").convert("RGB"))

    def q(im):
        return float(scorer(S.five_point(im)).mean())

    clean = q(img)
    for name in ("gaussian_blur", "defocus", "low_light"):
        s3, s5 = q(D.apply(img, name, 3, 0)), q(D.apply(img, name, 5, 0))
        assert clean > s3 > s5, (name, clean, s3, s5)
        assert s5 < clean - 0.2


def test_ladder_part_scores_every_rung_and_counts_pairs_in_order(tmp_path):
    from PIL import Image

    from frameq_models.eval import all_models as eval_all

    rng = np.random.default_rng(0)
    for i in range(5):  # index 4 is the held-out one
        base = rng.integers(0, 255, size=(24, 24, 3)).astype(np.uint8)
        path = tmp_path / "photos" / "CBSD68" / f"{i:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(base).resize((320, 300), Image.Resampling.BICUBIC).save(path)

    out = eval_all.eval_ladder({}, tmp_path, photos=0, log=lambda *_: None)

    assert out["photos"] == 1 and len(out["rungs"]) == len(eval_all.LADDER)
    assert [r["rescale_factor"] for r in out["rungs"]] == sorted(r["rescale_factor"] for r in out["rungs"])
    psnr = out["scorers"]["psnr"]
    assert len(psnr["mean_per_rung"]) == len(eval_all.LADDER)
    assert psnr["pairs_in_order"] >= 0.9  # every rung is smaller and more compressed than the one before
