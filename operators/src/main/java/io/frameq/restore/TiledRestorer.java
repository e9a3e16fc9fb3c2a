package io.frameq.restore;

import java.util.Objects;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptor.Preprocess;
import io.frameq.translate.CropSampler.Box;

/**
 * Restores frames of any size with bounded memory: the frame is cut into overlapping tiles of at
 * most {@code tile x tile} pixels ({@link TileAxis}), each tile goes through the {@link Restorer}
 * on its own, one after the other, and the outputs are blended with separable raised-cosine weights
 * so that no seam shows. Frames no larger than one tile take a single model run, exactly as
 * {@link Restorer#restore}.
 *
 * <p>Memory bound (for tile size T, frame width W, frame height H): one model input and one output
 * of {@code 3 T^2} floats each (the largest tensor ever built, {@link Stats#maxTensorElements()}),
 * a blending band of {@code 3 T W} floats (tile rows are finished top to bottom, so only the rows
 * the current tile row can still touch are kept in float), and the 8-bit result ({@code 3 W H}
 * bytes, the size of the decoded input frame). ONNX Runtime's activations are those of one
 * {@code T x T} run. Nothing else grows with the frame. Thread-safe when the restorer is.
 */
public final class TiledRestorer {

    /** Tile starts are multiples of this: the pooling grid of the shipped restorers (8 and 4). */
    public static final int ALIGN = 16;

    private final Restorer restorer;
    private final int tile;
    private final int overlap;

    /**
     * What one restoration allocated.
     *
     * @param tiles model runs (tile count)
     * @param tileWidth width of each tile
     * @param tileHeight height of each tile
     * @param maxTensorElements largest model input or output, in floats
     * @param bandElements floats of the blending band
     */
    public record Stats(int tiles, int tileWidth, int tileHeight, long maxTensorElements, long bandElements) {}

    /** A restored frame with its allocation figures and the time spent in the model. */
    public record Result(RgbImage image, Stats stats, long inferenceNanos) {}

    /**
     * @param tile longest tile side in pixels
     * @param overlap minimum overlap of neighbouring tiles, blended
     * @throws IllegalArgumentException when {@code tile < 2 * overlap + 16} or {@code overlap < 0}
     */
    public TiledRestorer(Restorer restorer, int tile, int overlap) {
        this.restorer = Objects.requireNonNull(restorer, "restorer");
        TileAxis.plan(tile + 1, tile, overlap, ALIGN); // validates the pair
        this.tile = tile;
        this.overlap = overlap;
    }

    public Restorer restorer() {
        return restorer;
    }

    public ModelDescriptor descriptor() {
        return restorer.descriptor();
    }

    public int tile() {
        return tile;
    }

    public int overlap() {
        return overlap;
    }

    /** The tiling a frame of this size gets. */
    public TileAxis[] plan(int width, int height) {
        return new TileAxis[] {TileAxis.plan(width, tile, overlap, ALIGN), TileAxis.plan(height, tile, overlap, ALIGN)};
    }

    /**
     * Restores one frame.
     *
     * @throws io.frameq.onnx.InferenceException when a model run fails
     */
    public Result restore(RgbImage image) {
        int w = image.width();
        int h = image.height();
        TileAxis xs = TileAxis.plan(w, tile, overlap, ALIGN);
        TileAxis ys = TileAxis.plan(h, tile, overlap, ALIGN);
        int tw = xs.tile();
        int th = ys.tile();
        float[] sumX = xs.sum();
        float[] sumY = ys.sum();
        float[][] wx = new float[xs.count()][];
        for (int i = 0; i < xs.count(); i++) {
            wx[i] = xs.weights(i);
        }
        Preprocess p = restorer.descriptor().preprocess();
        byte[] out = new byte[3 * w * h];
        float[] band = new float[3 * th * w];
        int plane = th * w;
        int base = 0;
        long inferenceNanos = 0;
        int tiles = 0;
        for (int j = 0; j < ys.count(); j++) {
            int y0 = ys.start(j);
            if (y0 > base) { // rows above y0 are final: no later tile reaches them
                flush(band, plane, w, base, y0, sumX, sumY, p, out);
                int keep = base + th - y0;
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(band, c * plane + (y0 - base) * w, band, c * plane, keep * w);
                    java.util.Arrays.fill(band, c * plane + keep * w, (c + 1) * plane, 0f);
                }
                base = y0;
            }
            float[] wy = ys.weights(j);
            for (int i = 0; i < xs.count(); i++) {
                int x0 = xs.start(i);
                FloatTensor in = restorer.input(image, new Box(x0, y0, tw, th));
                long t0 = System.nanoTime();
                float[] o = restorer.run(in).data();
                inferenceNanos += System.nanoTime() - t0;
                tiles++;
                int tplane = tw * th;
                for (int c = 0; c < 3; c++) {
                    for (int ty = 0; ty < th; ty++) {
                        int dst = c * plane + (y0 - base + ty) * w + x0;
                        int src = c * tplane + ty * tw;
                        float wyv = wy[ty];
                        float[] wxi = wx[i];
                        for (int tx = 0; tx < tw; tx++) {
                            band[dst + tx] += o[src + tx] * wxi[tx] * wyv;
                        }
                    }
                }
            }
        }
        flush(band, plane, w, base, h, sumX, sumY, p, out);
        Stats stats = new Stats(tiles, tw, th, 3L * tw * th, band.length);
        return new Result(new RgbImage(w, h, out), stats, inferenceNanos);
    }

    /** Writes rows [base, to) of the band as 8-bit pixels: normalised blend, then the inverse of the pre-processing. */
    private static void flush(float[] band, int plane, int w, int base, int to, float[] sumX, float[] sumY, Preprocess p,
                              byte[] out) {
        boolean rgb = p.colorOrder() == ModelDescriptor.ColorOrder.RGB;
        for (int c = 0; c < 3; c++) {
            int dstC = rgb ? c : 2 - c;
            double mean = p.mean()[c];
            double std = p.std()[c];
            for (int y = base; y < to; y++) {
                int row = c * plane + (y - base) * w;
                for (int x = 0; x < w; x++) {
                    double v = band[row + x] / (sumX[x] * sumY[y]);
                    double px = Math.floor((v * std + mean) * p.scale() + 0.5);
                    out[(y * w + x) * 3 + dstC] = (byte) (int) Math.max(0, Math.min(255, px));
                }
            }
        }
    }
}
