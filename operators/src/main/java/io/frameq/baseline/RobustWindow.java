package io.frameq.baseline;

import java.util.Arrays;

/**
 * The last {@code capacity} samples of one reading, with their median and median absolute deviation (MAD).
 * Median and MAD, not mean and standard deviation: a truck filling the view or a headlight in a few samples
 * must not drag a camera's normal with it.
 *
 * <p>Not thread-safe: one stream's state is touched by one stream thread at a time.
 */
public final class RobustWindow {

    private final double[] ring;
    private int size;
    private int next;

    public RobustWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("RobustWindow.capacity: expected >= 1, got " + capacity);
        }
        this.ring = new double[capacity];
    }

    /** Adds a sample, dropping the oldest once full. NaN and infinite samples are ignored. */
    public void add(double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        ring[next] = value;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return ring.length;
    }

    /** The median of the samples; NaN when empty. */
    public double median() {
        return size == 0 ? Double.NaN : medianOf(sorted());
    }

    /** The median absolute deviation from the median (unscaled); NaN when empty. */
    public double mad() {
        if (size == 0) {
            return Double.NaN;
        }
        double m = median();
        double[] dev = new double[size];
        for (int i = 0; i < size; i++) {
            dev[i] = Math.abs(ring[i] - m);
        }
        Arrays.sort(dev);
        return medianOf(dev);
    }

    /**
     * The median absolute deviation of {@code ln(1 + sample)}: the spread of a reading that varies by factors
     * rather than by amounts (sharpness doubles when a truck with sharp edges fills the view); NaN when empty.
     */
    public double madOfLog() {
        if (size == 0) {
            return Double.NaN;
        }
        double m = Math.log1p(Math.max(0, median()));
        double[] dev = new double[size];
        for (int i = 0; i < size; i++) {
            dev[i] = Math.abs(Math.log1p(Math.max(0, ring[i])) - m);
        }
        Arrays.sort(dev);
        return medianOf(dev);
    }

    /** The samples, oldest first (for serialisation). */
    public double[] samples() {
        double[] out = new double[size];
        int start = size < ring.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return out;
    }

    private double[] sorted() {
        double[] s = Arrays.copyOf(ring, size);
        Arrays.sort(s);
        return s;
    }

    private static double medianOf(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
