"""bench-gpu's timing and report on the CPU with the tiny configs (the GPU numbers come from the device machine)."""

import torch

from frameq_models.bench import gpu as B


def test_every_default_case_builds_inputs_its_model_accepts():
    # the shapes of the full-size cases, checked on the tiny configs (the full ones are too slow on 2 cores)
    for case in B.default_cases():
        tiny = B.GpuCase(case.arch, "tiny", case.label, case.unit, case.units_per_run,
                         B._image(64, 128) if case.make_inputs.__name__ == "<lambda>" and case.arch in
                         ("mirnet_v2", "lpienet", "wacnn", "stf") else case.make_inputs, (1,), case.codec)
        report = B.run([tiny], seconds=0.0, device="cpu")
        (row,) = report["rows"]
        assert "error" not in row, row
        assert row["runs"] >= 5 and row["ms_median"] > 0 and row["units_per_s"] > 0


def test_a_failing_case_is_reported_not_raised():
    bad = B.GpuCase("maniqa", "tiny", "wrong input rank", "crop", 1, lambda cfg, b: (torch.rand(b, 3),), (1,))
    report = B.run([bad], seconds=0.0, device="cpu")
    assert report["rows"][0]["error"].startswith(("RuntimeError", "ValueError", "IndexError"))
    assert "wrong input rank" in B.markdown(report)
