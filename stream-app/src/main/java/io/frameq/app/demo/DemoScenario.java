package io.frameq.app.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Which camera shows which fault, and when. Camera 1 stays clean as the reference; the others
 * cycle through the faults. Each fault is active during the middle of every cycle, so a run
 * shows the stream healthy, degraded, then healthy again.
 *
 * @param cycleMillis length of one healthy → faulted → healthy cycle
 */
public record DemoScenario(List<Camera> cameras, long cycleMillis) {

    /** Faults in the order cameras 2, 3, … get them. */
    private static final Fault[] ROTATION = {
        Fault.BLUR, Fault.NOISE, Fault.DARK, Fault.OVEREXPOSED, Fault.FREEZE, Fault.DROPOUT, Fault.CORRUPT
    };
    /** Share of a cycle before the fault starts and where it ends. */
    static final double FAULT_START = 0.3;
    static final double FAULT_END = 0.8;

    /** One demo camera: its stream id, topic, clip and fault. */
    public record Camera(String streamId, String topic, int clip, Fault fault) {}

    public static DemoScenario of(int streams, int clips, long cycleMillis) {
        List<Camera> cams = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            Fault fault = i == 0 ? Fault.NONE : ROTATION[(i - 1) % ROTATION.length];
            String topic = i % 2 == 0 ? "frameq.frames.site-a" : "frameq.frames.site-b";
            cams.add(new Camera(String.format("cam-%02d", i + 1), topic, i % clips, fault));
        }
        return new DemoScenario(List.copyOf(cams), cycleMillis);
    }

    public List<String> topics() {
        return cameras.stream().map(Camera::topic).distinct().sorted().toList();
    }

    /** Whether the camera's fault is active at {@code elapsedMillis} since the demo started. */
    public boolean faultActive(Camera camera, long elapsedMillis) {
        if (camera.fault() == Fault.NONE) {
            return false;
        }
        double phase = (elapsedMillis % cycleMillis) / (double) cycleMillis;
        return phase >= FAULT_START && phase < FAULT_END;
    }
}
