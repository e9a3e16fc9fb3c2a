package io.frameq.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void groupsThreadsByTheirTruncatedKernelNames() {
        assertThat(ThreadCpu.group("frameq-batcher-")).isEqualTo("model");
        assertThat(ThreadCpu.group("java")).isEqualTo("model");
        assertThat(ThreadCpu.group("frameq-88ab7cd1")).isEqualTo("stream");
        assertThat(ThreadCpu.group("kafka-producer-")).isEqualTo("kafka_clients");
        assertThat(ThreadCpu.group("data-plane-kafk")).isEqualTo("broker");
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("jit");
        assertThat(ThreadCpu.group("GC Thread#0")).isEqualTo("gc");
        assertThat(ThreadCpu.group("rocksdb:low")).isEqualTo("state");
        assertThat(ThreadCpu.group("Finalizer")).isEqualTo("other");
    }

    @Test
    void countsTheCpuThisThreadBurnsBetweenTwoSnapshots() {
        double processBefore = ThreadCpu.processSeconds();
        Map<String, Double> before = ThreadCpu.snapshot();
        long x = burn(300_000_000L);
        Map<String, Object> spent = ThreadCpu.between(before, ThreadCpu.snapshot());

        assertThat(x).isPositive();
        if (!before.isEmpty()) { // Linux: /proc/self/task is there
            assertThat((Double) spent.get("total")).isGreaterThanOrEqualTo(0.1);
            assertThat(ThreadCpu.processSeconds() - processBefore).isGreaterThanOrEqualTo(0.1);
        }
    }

    @Test
    void aPhaseReportsTheCoresItKeptBusy() throws InterruptedException {
        ThreadCpu.Mark start = ThreadCpu.mark();
        long x = burn(300_000_000L);
        Thread.sleep(300); // as long again idle: about half a core on average
        Map<String, Object> phase = ThreadCpu.since(start);

        assertThat(x).isPositive();
        assertThat(phase).containsKey("cpu_seconds_by_thread_group");
        if (!start.groups().isEmpty()) { // Linux
            assertThat((Double) phase.get("cpu_cores_busy")).isBetween(0.1, (double) Runtime.getRuntime().availableProcessors());
            assertThat(phase.get("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    /** Spins on this thread for {@code nanos} of wall time; the count keeps the loop from being optimised away. */
    private static long burn(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) {
            x++;
        }
        return x;
    }
}
