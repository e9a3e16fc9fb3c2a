package io.frameq.metrics;

import java.util.Map;

/** The metrics ports with nowhere to go: every call returns at once. */
enum NoMetrics implements FrameqMetrics, FrMetrics, RestoreMetrics {
    INSTANCE;

    @Override
    public FrMetrics fr() {
        return this;
    }

    @Override
    public void frameScored(String streamId, String frameId, String model, double qualityValue, boolean degraded,
                            double captureToNowSeconds) {
    }

    @Override
    public void frameShed(String streamId) {
    }

    @Override
    public void lastFrame(String streamId, long captureTimeMs) {
    }

    @Override
    public void streamRetired(String streamId) {
    }

    @Override
    public void degradation(String streamId, String type) {
    }

    @Override
    public void detectorReadings(String streamId, Map<String, Double> readings) {
    }

    @Override
    public void deadLetter(String streamIdOrNull, String reason, String stage) {
    }

    @Override
    public void deadLetterAfterScoring(String reason, String stage) {
    }

    @Override
    public void alert(String kind, String state) {
    }

    @Override
    public void stage(String stage, String model, long nanos) {
    }

    @Override
    public void batch(String model, int units) {
    }

    @Override
    public void modelLoaded(String model, int version, String family, boolean trained, String provider, String precision) {
    }

    @Override
    public void pairScored(String renditionId, String model, double qualityValue, double psnrDb, double ssim, double msSsim,
                           double waitSeconds) {
    }

    @Override
    public void unmatched(String side, String reason) {
    }

    @Override
    public void restored(String model, long nanos, Double qualityGain) {
    }

    @Override
    public void failed(String model) {
    }

    @Override
    public void overBudget(String stream, String model, String budget) {
    }
}
