import io

from PIL import Image

from frameq_models.bench import decode as bench_decode


def test_measures_both_decoders_on_the_given_bytes(tmp_path):
    path = tmp_path / "f.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 90)).save(buf, "JPEG", quality=90)
    path.write_bytes(buf.getvalue())

    r = bench_decode.measure(path, runs=3)

    assert r["bytes"] == len(buf.getvalue())
    assert r["pillow_decode_ms_median"] > 0
    assert r["opencv"] is None or r["opencv_imdecode_ms_median"] > 0
