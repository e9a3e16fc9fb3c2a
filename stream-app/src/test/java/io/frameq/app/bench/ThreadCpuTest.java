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
            // 0.3 s of this thread's CPU over however long the loaded machine took to give it: some share of a core
            assertThat((Double) phase.get("cpu_cores_busy")).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(phase.get("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * Spins until this thread has used {@code nanos} of CPU (not wall time: on a loaded machine a wall-time spin may get
     * a fraction of a core); the count keeps the loop from being optimised away.
     */
    private static long burn(long nanos) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + nanos;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x++;
            }
        }
        return x;
    }
}
