package io.frameq.app.analyze;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream's readings over capture time, one point per score event, in primitive arrays (an hour
 * of 25 fps video is 90,000 points). Missing values (no model score, a detector without a reading
 * yet) are NaN.
 */
final class Timeline {

    private long[] times = new long[256];
    private double[] quality = new double[256];
    private boolean[] degraded = new boolean[256];
    private boolean[] streamDegraded = new boolean[256];
    private final Map<String, double[]> detectors = new LinkedHashMap<>();
    private int size;

    void add(long captureTs, double q, boolean frameDegraded, boolean streamIsDegraded, Map<String, Double> readings) {
        if (size == times.length) {
            int n = size * 2;
            times = Arrays.copyOf(times, n);
            quality = Arrays.copyOf(quality, n);
            degraded = Arrays.copyOf(degraded, n);
            streamDegraded = Arrays.copyOf(streamDegraded, n);
            detectors.replaceAll((k, v) -> grow(v, n));
        }
        times[size] = captureTs;
        quality[size] = q;
        degraded[size] = frameDegraded;
        streamDegraded[size] = streamIsDegraded;
        for (Map.Entry<String, Double> r : readings.entrySet()) {
            double[] series = detectors.computeIfAbsent(r.getKey(), k -> {
                double[] fresh = new double[times.length];
                Arrays.fill(fresh, Double.NaN);
                return fresh;
            });
            series[size] = r.getValue() == null ? Double.NaN : r.getValue();
        }
        for (Map.Entry<String, double[]> d : detectors.entrySet()) {
            if (!readings.containsKey(d.getKey())) {
                d.getValue()[size] = Double.NaN;
            }
        }
        size++;
    }

    private static double[] grow(double[] a, int n) {
        double[] b = Arrays.copyOf(a, n);
        Arrays.fill(b, a.length, n, Double.NaN);
        return b;
    }

    int size() {
        return size;
    }

    long time(int i) {
        return times[i];
    }

    double quality(int i) {
        return quality[i];
    }

    boolean degraded(int i) {
        return degraded[i];
    }

    boolean streamDegraded(int i) {
        return streamDegraded[i];
    }

    /** Detector names in order of first appearance. */
    Iterable<String> detectorNames() {
        return detectors.keySet();
    }

    double detector(String name, int i) {
        return detectors.get(name)[i];
    }
}
