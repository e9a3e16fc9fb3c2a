package io.frameq.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptorParser;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Images;
import io.frameq.testing.TestModels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Frames per second of a restorer at 1280x720 through the full Java path (pre-processing, ORT,
 * 8-bit image out). Opt-in, a measurement not a check:
 * {@code mvn -o -B -q -pl models,operators test -Dtest=RestorerThroughputBench -Dframeq.bench=true
 * [-Dframeq.bench.model=lpienet-lite] [-Dframeq.bench.seconds=20] [-Dframeq.bench.threads=2]}. Prints the load average next to the
 * number because this machine is shared.
 */
@EnabledIfSystemProperty(named = "frameq.bench", matches = "true")
class RestorerThroughputBench {

    @Test
    void measureFramesPerSecondAt720p() {
        String model = System.getProperty("frameq.bench.model", "lpienet-lite");
        double seconds = Double.parseDouble(System.getProperty("frameq.bench.seconds", "20"));
        int threads = Integer.parseInt(System.getProperty("frameq.bench.threads", "2"));
        RgbImage frame = Images.synthetic(1280, 720, 1);
        try (OrtRuntime rt = OrtRuntime.create(ExecutionConfig.cpu().withThreads(threads, 1));
             Restorer restorer = Restorer.open(ModelDescriptorParser.parse(TestModels.PROJECT_REPO.resolve(model + "/model.json")), rt)) {
            for (int i = 0; i < 2; i++) {
                restorer.restore(frame);
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double load0 = os.getSystemLoadAverage();
            long cpu0 = os.getProcessCpuTime();
            long start = System.nanoTime();
            long inference = 0;
            int frames = 0;
            while (System.nanoTime() - start < seconds * 1e9) {
                Restorer.Restored r = restorer.restore(frame);
                inference += r.inferenceNanos();
                frames++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpuPerFrame = (os.getProcessCpuTime() - cpu0) / 1e9 / frames; // all threads: what a busy machine hides
            double load1 = os.getSystemLoadAverage();
            System.out.printf("restorer bench: %s 1280x720 %.2f frames/s (%d frames in %.1f s, inference %.0f ms/frame), "
                    + "%.3f CPU-s/frame (%.2f frames/s if %d threads had idle cores), load average %.2f -> %.2f, %d cores%n",
                    model, frames / elapsed, frames, elapsed, inference / 1e6 / frames, cpuPerFrame, threads / cpuPerFrame, threads,
                    load0, load1, Runtime.getRuntime().availableProcessors());
            assertThat(frames).isPositive();
        }
    }
}
