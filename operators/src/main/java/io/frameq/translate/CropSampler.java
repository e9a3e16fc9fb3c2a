package io.frameq.translate;

import io.frameq.model.ModelDescriptor.Crop;
import io.frameq.model.ModelDescriptor.CropPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the work units of a frame are, per the descriptor's {@code preprocess.crop}.
 *
 * <p>Geometry only: {@link #plan(int, int)} returns the size the frame is first scaled to and the
 * boxes to cut from the scaled frame; {@link ImageNormalizer} does the pixel work. Rules, for a
 * frame of H×W and a unit of h×w:
 * <ul>
 *   <li>Frames smaller than the unit in either dimension ({@code H < h} or {@code W < w}) are first
 *       enlarged ({@link BilinearResampler}), keeping the aspect ratio, until they cover the unit:
 *       {@code factor = max(h / H, w / W)}, new size {@code max(h, round(H * factor))} ×
 *       {@code max(w, round(W * factor))} with Python's round-half-to-even, so the short side
 *       (relative to the unit) becomes the unit size. Frames that already cover the unit are used
 *       as they are (never downscaled). This is step 2 of {@code models/MODEL-JSON.md}.</li>
 *   <li>{@code five-point}: top-left, top-right, bottom-left, bottom-right, centre, in that order;
 *       the centre offsets are {@code floor((H-h)/2)}, {@code floor((W-w)/2)}.</li>
 *   <li>{@code centre}: the centre box alone.</li>
 *   <li>{@code resize}: the whole frame scaled to exactly h×w (aspect ratio not kept), one unit.</li>
 *   <li>{@code tiles}: {@code ceil(H/h) × ceil(W/w)} units, row-major, spread evenly from edge to
 *       edge (offset {@code i * (H-h) / (n-1)}, floored), overlapping where the sizes do not divide.</li>
 *   <li>{@code none}: the whole frame, unscaled, one unit.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class CropSampler {

    /** A box in the scaled frame: left, top, width, height. */
    public record Box(int x, int y, int width, int height) {
        public Box {
            if (x < 0 || y < 0 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("Box: expected x, y >= 0 and positive size, actual x=" + x + " y=" + y
                        + " " + width + "x" + height);
            }
        }
    }

    /**
     * The work units of one frame.
     *
     * @param sourceWidth frame width
     * @param sourceHeight frame height
     * @param scaledWidth width the frame is scaled to before cutting (equal to source when not scaled)
     * @param scaledHeight height the frame is scaled to before cutting
     * @param boxes the units, in the scaled frame, in batch order
     */
    public record Plan(int sourceWidth, int sourceHeight, int scaledWidth, int scaledHeight, List<Box> boxes) {
        public Plan {
            boxes = List.copyOf(boxes);
            for (Box b : boxes) {
                if (b.x() + b.width() > scaledWidth || b.y() + b.height() > scaledHeight) {
                    throw new IllegalArgumentException("Plan: box " + b + " exceeds the scaled frame " + scaledWidth + "x" + scaledHeight);
                }
            }
        }

        /** True when the frame is resized before cutting. */
        public boolean rescaled() {
            return sourceWidth != scaledWidth || sourceHeight != scaledHeight;
        }

        /** Number of work units (the batch size). */
        public int units() {
            return boxes.size();
        }
    }

    private final Crop crop;

    public CropSampler(Crop crop) {
        this.crop = Objects.requireNonNull(crop, "crop");
        if (crop.policy() == CropPolicy.PATCHES) {
            throw new IllegalArgumentException("CropSampler: policy patches cuts image pairs; use PatchSampler");
        }
        if (crop.policy() != CropPolicy.NONE && (crop.height() <= 0 || crop.width() <= 0)) {
            throw new IllegalArgumentException("CropSampler: policy " + crop.policy().wire() + " needs a positive size, got "
                    + crop.height() + "x" + crop.width());
        }
    }

    public Crop crop() {
        return crop;
    }

    /** The units of a {@code width}×{@code height} frame. */
    public Plan plan(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("CropSampler: frame size must be positive, got " + width + "x" + height);
        }
        int h = crop.height();
        int w = crop.width();
        return switch (crop.policy()) {
            case NONE -> new Plan(width, height, width, height, List.of(new Box(0, 0, width, height)));
            case RESIZE -> new Plan(width, height, w, h, List.of(new Box(0, 0, w, h)));
            case CENTRE -> {
                int[] s = coverSize(width, height, w, h);
                yield new Plan(width, height, s[0], s[1], List.of(centre(s[0], s[1], w, h)));
            }
            case FIVE_POINT -> {
                int[] s = coverSize(width, height, w, h);
                int sw = s[0];
                int sh = s[1];
                yield new Plan(width, height, sw, sh, List.of(
                        new Box(0, 0, w, h),
                        new Box(sw - w, 0, w, h),
                        new Box(0, sh - h, w, h),
                        new Box(sw - w, sh - h, w, h),
                        centre(sw, sh, w, h)));
            }
            case PATCHES -> throw new IllegalStateException("CropSampler: policy patches is PatchSampler's");
            case TILES -> {
                int[] s = coverSize(width, height, w, h);
                List<Box> boxes = new ArrayList<>();
                for (int y : spread(s[1], h)) {
                    for (int x : spread(s[0], w)) {
                        boxes.add(new Box(x, y, w, h));
                    }
                }
                yield new Plan(width, height, s[0], s[1], boxes);
            }
        };
    }

    /**
     * The size (width, height) a frame is enlarged to so that it covers a {@code w}×{@code h} unit;
     * the frame's own size when it already does.
     */
    public static int[] coverSize(int width, int height, int w, int h) {
        double factor = Math.max((double) h / height, (double) w / width);
        if (factor <= 1.0) {
            return new int[] {width, height};
        }
        return new int[] {Math.max(w, (int) Math.rint(width * factor)), Math.max(h, (int) Math.rint(height * factor))};
    }

    private static Box centre(int sw, int sh, int w, int h) {
        return new Box((sw - w) / 2, (sh - h) / 2, w, h);
    }

    private static int[] spread(int size, int unit) {
        int n = (size + unit - 1) / unit;
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = n == 1 ? 0 : (int) ((long) i * (size - unit) / (n - 1));
        }
        return offsets;
    }

    @Override
    public String toString() {
        return "CropSampler[" + crop.policy().wire() + " " + crop.height() + "x" + crop.width() + "]";
    }
}
