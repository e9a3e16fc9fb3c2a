"""frameq_models.eval.blur_scale: the fine-over-coarse edge cue that io.frameq.detect.FineEdges mirrors."""
import numpy as np

from frameq_models.eval import blur_scale


def _edges(width: int, height: int, blur: float) -> np.ndarray:
    """Vertical and horizontal step edges of contrast 120 every 64 px, Gaussian-blurred by ``blur`` px."""
    from scipy.ndimage import gaussian_filter
    x = (np.arange(width) // 64) % 2
    y = (np.arange(height) // 64) % 2
    img = (60 + 120 * (x[None, :] ^ y[:, None])).astype(np.float32)
    return gaussian_filter(img, blur) if blur else img


def test_a_one_pixel_edge_reads_about_one_and_a_spread_one_two_over_its_width():
    sharp = blur_scale.fine_edges(_edges(1920, 1080, 0), 48)
    soft = blur_scale.fine_edges(_edges(1920, 1080, 4), 48)
    assert len(sharp) >= 100 and len(soft) >= 100  # FineEdges.MIN_EDGES
    assert np.percentile(sharp, 90) > 0.95
    # sigma 4: the 2-pixel step is 2 * 120 / (4 * sqrt(2 pi)) ~ 24 of a 120 edge (0.2), the 16-pixel one ~ 0.95 of it
    assert 0.15 < np.percentile(soft, 90) < 0.3


def test_a_4k_picture_is_read_at_about_2k():
    # sigma 4 at 4K is sigma 2 on the 2K read: the ratio about doubles against reading every pixel
    soft4k = blur_scale.fine_edges(_edges(3840, 2160, 4), 48)
    assert 0.3 < np.percentile(soft4k, 90) < 0.55


def test_noise_barely_moves_a_blurred_edge():
    rng = np.random.default_rng(1)
    noisy = _edges(1920, 1080, 4) + rng.normal(0, 3, (1080, 1920)).astype(np.float32)
    assert np.percentile(blur_scale.fine_edges(noisy, 48), 90) < 0.4


def test_only_pictures_the_working_plane_shrinks_by_half_again_get_the_cue():
    assert blur_scale.shrink_factor(960, 540) >= 1.5 > blur_scale.shrink_factor(959, 540)
    assert blur_scale.shrink_factor(640, 1920) >= 1.5
