"""frameq_models.eval.tamper: the rendered hand and turn, and how outcomes are read from `frameq analyze` output."""
import json

import numpy as np

from frameq_models.eval import tamper


def _scene(h: int = 120, w: int = 160) -> np.ndarray:
    """A textured BGR frame whose left and right halves differ (a ramp plus a checkerboard)."""
    yy, xx = np.mgrid[0:h, 0:w]
    board = ((yy // 8 + xx // 8) % 2) * 80
    return np.stack([board + xx * 0.5, board + 40, 200 - xx * 0.8], axis=-1).clip(0, 255).astype(np.uint8)


def test_before_the_onset_both_events_show_the_same_left_half_view():
    f = _scene()
    rng = np.random.default_rng(0)
    assert np.array_equal(tamper.turn(f, -1.0, 0.2), tamper.window(f, 0.0))
    assert np.array_equal(tamper.hand(f, -1.0, 0, rng), tamper.window(f, 0.0))


def test_a_turn_ends_on_the_other_half_and_is_smeared_on_the_way():
    f = _scene()
    done = tamper.turn(f, tamper.TURN_SECONDS + 0.5, 0.2)
    assert np.array_equal(done, tamper.window(f, 0.5))
    midway = tamper.turn(f, tamper.TURN_SECONDS / 2, 0.2).astype(float)
    crisp = tamper.window(f, 0.25).astype(float)
    # the smear averages several positions: less detail than the crisp view at the same place
    assert np.abs(np.diff(midway, axis=1)).mean() < np.abs(np.diff(crisp, axis=1)).mean()


def test_a_hand_slides_in_from_its_edge_and_then_hides_the_scene():
    f = _scene()
    rng = np.random.default_rng(0)
    view = tamper.window(f, 0.0).astype(float)
    half = tamper.hand(f, tamper.HAND_SECONDS / 2, 0, rng).astype(float)
    w = f.shape[1]
    changed_left = np.abs(half[:, : w // 5] - view[:, : w // 5]).mean()
    changed_right = np.abs(half[:, -w // 5:] - view[:, -w // 5:]).mean()
    assert changed_left > 20 and changed_right < 3
    covered = tamper.hand(f, tamper.HAND_SECONDS + 0.2, 0, rng)
    board_cols = np.abs(np.diff(covered.astype(float), axis=1)).mean()
    assert board_cols < 3  # the checkerboard's 80-level edges are gone
    assert covered.mean() < 90


def test_outcomes_time_the_first_right_type_flag_and_alert_from_the_onset(tmp_path):
    ev = {"cam__hand": tamper.Event("hand", 10.0, 0)}
    rows = []
    for k in range(30):  # 5 frames/s for 6 s from 8 s
        t = 8000 + 200 * k
        faults = [{"type": "covered", "confidence": 0.9, "cells": []}] if t >= 10400 else []
        flagged = t >= 10400 or t == 8400
        rows.append({"stream": "cam__hand", "capture_ts": t, "faults": faults,
                     "degradations": ["blur"] if t == 8400 else [], "verdict": "degraded" if flagged else "ok"})
    (tmp_path / "events.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    alert = {"stream": "cam__hand", "state": "open", "kind": "tamper", "window_start": 10400, "window_end": 12400,
             "top_degradations": ["covered"], "faults": [{"type": "covered", "frames": 11, "cells": []}]}
    (tmp_path / "alerts.jsonl").write_text(json.dumps(alert))
    (o,) = tamper.outcomes(tmp_path, ev, 0)
    assert (o.frames_before, o.flagged_before, o.alerts_before) == (10, 1, 0)
    assert abs(o.first_flag_s - 0.4) < 1e-9 and abs(o.first_alert_s - 2.4) < 1e-9
    assert "| hand | 1 | 1 | 2.4 | 0 | 0 |" in tamper.report([o], 3.0)


def test_short_clips_get_an_earlier_onset_after_the_warm_up_or_none():
    assert tamper.onset_for(30.0, 10.0, 3.0) == 10.0
    assert tamper.onset_for(12.5, 10.0, 3.0) == 9.0
    assert tamper.onset_for(6.0, 10.0, 3.0) == 2.5
    assert tamper.onset_for(5.0, 10.0, 3.0) is None


def test_auto_exposure_brightens_the_covered_picture_and_its_noise_and_an_ir_camera_sees_a_grey_hand():
    f = _scene()
    settled = tamper.HAND_SECONDS + tamper.AE_SECONDS + 0.1
    plain = tamper.hand(f, settled, 0, np.random.default_rng(1)).astype(float)
    gained = tamper.hand(f, settled, 0, np.random.default_rng(1), gain=3.0).astype(float)
    assert gained.mean() > 2.5 * plain.mean()
    # noise: the difference from a smoothed copy grows with the gain
    def grain(img):
        return np.abs(img[:, 1:-1] - (img[:, :-2] + img[:, 2:]) / 2).mean()
    assert grain(gained) > 2 * grain(plain)
    assert not tamper.greyscale(f)
    grey = np.repeat(f.mean(axis=-1, keepdims=True), 3, axis=-1).astype(np.uint8)
    assert tamper.greyscale(grey)
    covered = tamper.hand(grey, settled, 0, np.random.default_rng(1)).astype(float)
    assert np.abs(covered[..., 0] - covered[..., 2]).mean() < 3  # no warm tint: only the per-channel noise differs


def test_lost_focus_blurs_the_same_view_more_and_more_and_then_holds():
    f = _scene()
    view = tamper.window(f, 0.0)
    assert np.array_equal(tamper.defocus(f, -0.5), view)

    def detail(img):
        return np.abs(np.diff(img.astype(float), axis=1)).mean()

    early = tamper.defocus(f, tamper.DEFOCUS_SECONDS / 2)
    done = tamper.defocus(f, tamper.DEFOCUS_SECONDS)
    assert detail(view) > detail(early) > detail(done)
    assert np.array_equal(tamper.defocus(f, 3 * tamper.DEFOCUS_SECONDS), done)
    # the view stays where it was: blurred, not moved
    assert abs(done.astype(float).mean() - view.astype(float).mean()) < 2
