package io.frameq.app.demo;

/** A fault the demo injects into one camera stream, and the detector that should catch it. */
public enum Fault {
    NONE(null),
    BLUR("blur"),
    NOISE("noise"),
    DARK("dark"),
    OVEREXPOSED("overexposed"),
    FREEZE("frozen"),
    /** The camera stops sending; no detector can see that, only liveness (last-seen age). */
    DROPOUT(null),
    /** Every 10th frame of the window is a truncated JPEG: it must land on the DLQ. */
    CORRUPT(null);

    private final String expectedFlag;

    Fault(String expectedFlag) {
        this.expectedFlag = expectedFlag;
    }

    /** Detector code expected on faulted frames, or null when no score event is expected to show it. */
    public String expectedFlag() {
        return expectedFlag;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
