package io.frameq.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.deadline.Deadline;
import io.frameq.deadline.DeadlineExceededException;
import io.frameq.deadline.Watchdog;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelRepository;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdog stops a real, slow model run through ONNX Runtime's terminate flag: the bundled
 * mirnet-v2-lite restorer on a large picture takes seconds on a CPU, and its run must come back
 * long before that once its deadline passes, leaving the session fit for the next run.
 */
class OnnxModelDeadlineTest {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModelDeadlineTest.class);
    private static OrtRuntime cpu;
    private static OnnxModel restorer;

    @BeforeAll
    static void open() {
        cpu = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
        restorer = OnnxModel.open(ModelRepository.bundled().resolve("mirnet-v2-lite"), cpu);
    }

    @AfterAll
    static void close() {
        restorer.close();
        cpu.close();
    }

    private static FloatTensor picture(int height, int width) {
        Random r = new Random(7);
        float[] data = new float[3 * height * width];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextFloat();
        }
        return new FloatTensor(data, new long[] {1, 3, height, width});
    }

    @Test
    void aRunPastItsDeadlineIsTerminatedAndTheNextRunSucceeds() {
        FloatTensor big = picture(720, 1280);
        long t0 = System.nanoTime();
        restorer.run("image", big); // no deadline open: runs to the end
        long fullMs = (System.nanoTime() - t0) / 1_000_000;
        long limit = Math.max(5, fullMs / 20);

        long t1 = System.nanoTime();
        try (Deadline d = Watchdog.shared().open("restore", limit)) {
            assertThatThrownBy(() -> restorer.run("image", big)).isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("stage 'restore' deadline: expected at most " + limit + " ms")
                    .hasRootCauseInstanceOf(ai.onnxruntime.OrtException.class);
            assertThat(d.expired()).isTrue();
        }
        long abandonedMs = (System.nanoTime() - t1) / 1_000_000;
        LOG.info("mirnet-v2-lite 1280x720: full run {} ms; with a {} ms deadline it came back after {} ms", fullMs, limit,
                abandonedMs);
        // the terminated run did not run to its end (it stops between kernels, so it may overshoot its limit a little)
        assertThat(abandonedMs).as("terminated run vs full run of %d ms", fullMs).isLessThan(fullMs / 2);

        // the session is unharmed: the next frame's run, with a deadline it meets, returns its output
        FloatTensor small = picture(64, 64);
        try (Deadline d = Watchdog.shared().open("restore", 60_000)) {
            Map<String, FloatTensor> out = restorer.run("image", small);
            assertThat(out.values().iterator().next().shape()).containsExactly(1, 3, 64, 64);
            assertThat(d.expired()).isFalse();
        }
    }

    @Test
    void aDeadlineThatExpiredBeforeTheRunStopsItBeforeItStarts() {
        try (Deadline d = Watchdog.shared().open("score", 1)) {
            io.frameq.testing.Await.until("the 1 ms deadline expires", java.time.Duration.ofSeconds(10), d::expired);
            assertThatThrownBy(() -> restorer.run("image", picture(64, 64))).isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("stage 'score'");
        }
    }
}
