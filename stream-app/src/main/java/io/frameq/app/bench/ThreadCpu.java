package io.frameq.app.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process's threads, grouped by what they do, read from {@code /proc/self/task}
 * (Linux; empty elsewhere). The benchmark shares two cores between the model, the pipeline and an
 * embedded broker; this says where the CPU went, which the throughput ratio alone cannot.
 *
 * <p>Groups, by thread name: {@code model} (the batcher, which calls the model, and the threads still
 * called {@code java}: ONNX Runtime's native pool threads and the JVM's main thread, which in the
 * end-to-end runs only reads events back), {@code stream} (Kafka Streams threads: decode, detectors,
 * pre-processing, serialisation), {@code kafka_clients} (producer and consumer network threads),
 * {@code broker} (the in-JVM KRaft broker, which a production deployment runs elsewhere), {@code state}
 * (RocksDB), {@code jit} and {@code gc}, and {@code other}.
 */
final class ThreadCpu {

    /** Linux USER_HZ, the unit of utime and stime in /proc/[pid]/task/[tid]/stat. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ThreadCpu() {}

    /** CPU seconds per group, now. */
    static Map<String, Double> snapshot() {
        Map<String, Double> groups = new TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return groups;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                // after "(comm) ": state is field 3 of the man page, utime 14 and stime 15 -> indexes 11 and 12
                double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                groups.merge(group(name), seconds, Double::sum);
            }
        } catch (IOException e) {
            return groups;
        }
        return groups;
    }

    /** Where a measured phase starts: per-group and whole-process CPU time, and the wall clock. */
    record Mark(Map<String, Double> groups, double processSeconds, long nanos) {
    }

    static Mark mark() {
        return new Mark(snapshot(), processSeconds(), System.nanoTime());
    }

    /**
     * The phase since {@code start}: {@code cpu_seconds_by_thread_group} (live threads only), and
     * {@code cpu_cores_busy}, the whole process's CPU time (ended threads included) over the wall time, of
     * {@code cores}. A phase whose process keeps nearly every core busy is saturated, whatever its nominal load.
     */
    static Map<String, Object> since(Mark start) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu_seconds_by_thread_group", between(start.groups(), snapshot()));
        double wall = (System.nanoTime() - start.nanos()) / 1e9;
        double cpu = processSeconds() - start.processSeconds();
        if (wall > 0 && !Double.isNaN(cpu)) {
            out.put("cpu_cores_busy", Math.round(cpu / wall * 100) / 100.0);
            out.put("cores", Runtime.getRuntime().availableProcessors());
        }
        return out;
    }

    /** CPU seconds of the whole process so far, ended threads included; NaN where /proc is missing. */
    static double processSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Per-group CPU seconds spent between two snapshots, largest first, plus their total. */
    static Map<String, Object> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Object> out = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : after.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue() - before.getOrDefault(b.getKey(), 0.0),
                        a.getValue() - before.getOrDefault(a.getKey(), 0.0))).toList()) {
            double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (d > 0) {
                out.put(e.getKey(), Math.round(d * 100) / 100.0);
                total += d;
            }
        }
        out.put("total", Math.round(total * 100) / 100.0);
        return out;
    }

    /** The group of a thread, by its (15-character, truncated) kernel name. */
    static String group(String name) {
        if (name.startsWith("frameq-batcher") || name.equals("java") || name.startsWith("bench-model")) {
            return "model";
        }
        if (name.contains("StreamThread") || name.contains("-StreamTh") || name.matches("frameq-[0-9a-f]{4}.*")) {
            return "stream";
        }
        if (name.startsWith("kafka-producer") || name.startsWith("kafka-coordinat") || name.startsWith("kafka-consumer")) {
            return "kafka_clients";
        }
        if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
            return "jit";
        }
        if (name.startsWith("GC ") || name.startsWith("G1 ")) {
            return "gc";
        }
        if (name.startsWith("rocksdb")) {
            return "state";
        }
        if (name.startsWith("data-plane") || name.startsWith("kafka-") || name.startsWith("quorum") || name.startsWith("broker-")
                || name.startsWith("group-coordin") || name.startsWith("controller-") || name.startsWith("share-")
                || name.startsWith("raft-") || name.startsWith("LogDirFailure") || name.startsWith("ExpirationReap")
                || name.startsWith("executor-") || name.startsWith("transaction") || name.startsWith("TxnMarker")
                || name.startsWith("AddPartitions") || name.startsWith("persister")) {
            return "broker";
        }
        return "other";
    }
}
