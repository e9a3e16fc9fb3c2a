package io.frameq.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.detect.DetectorSuite;

import org.junit.jupiter.api.Test;

class SceneMatchTest {

    private static final int W = DetectorSuite.THUMBNAIL_WIDTH;
    private static final int H = DetectorSuite.THUMBNAIL_HEIGHT;
    private final byte[] scene = Scenes.blobs(7);

    @Test
    void theSameViewWithSensorNoiseAndASmallSwayMatches() {
        assertThat(SceneMatch.match(shifted(Scenes.noisy(scene, 1), 1, 1), scene)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void aVehicleHidingAQuarterOfTheViewStillMatchesMostCells() {
        byte[] busy = Scenes.noisy(scene, 2);
        for (int y = 10; y < 30; y++) {
            for (int x = 0; x < 24; x++) {
                busy[y * W + x] = (byte) 90;
            }
        }
        assertThat(SceneMatch.match(busy, scene)).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void aCameraTurnedAQuarterOfItsViewAwayMatchesFewCells() {
        assertThat(SceneMatch.match(shifted(scene, W / 4, 0), scene)).isLessThan(0.5);
        assertThat(SceneMatch.matchAllowingZoom(shifted(scene, W / 4, 0), scene)).isLessThan(0.5);
    }

    @Test
    void aZoomOnTheCentreIsNotAMoveWhenZoomIsAllowed() {
        byte[] zoomedIn = SceneMatch.zoomed(scene, 2.0);
        assertThat(SceneMatch.match(zoomedIn, scene)).isLessThan(0.5);
        assertThat(SceneMatch.matchAllowingZoom(zoomedIn, scene)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void aFlatViewHasNoSceneToMatch() {
        assertThat(SceneMatch.match(scene, new byte[W * H])).isNaN();
    }

    /** The view panned by (dx, dy) pixels, mirrored at the edges. */
    private static byte[] shifted(byte[] t, int dx, int dy) {
        byte[] s = new byte[t.length];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int sx = Math.floorMod(x + dx, 2 * W);
                sx = sx < W ? sx : 2 * W - 1 - sx;
                int sy = Math.floorMod(y + dy, 2 * H);
                sy = sy < H ? sy : 2 * H - 1 - sy;
                s[y * W + x] = t[sy * W + sx];
            }
        }
        return s;
    }
}
