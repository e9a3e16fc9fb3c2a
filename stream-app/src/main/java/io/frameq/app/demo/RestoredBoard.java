package io.frameq.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.frameq.frame.FrameHeaders;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the restored-frames topic back (as a downstream consumer would) and tallies restorations
 * per stream and restorer with the quality gain from the headers; optionally keeps the first few
 * restored JPEGs of each stream in a folder for people to look at.
 */
final class RestoredBoard implements AutoCloseable {

    /** Tally of one stream. */
    record Tally(long restored, double gainSum, long withGain, Map<String, Long> byRestorer) {
        double meanGain() {
            return withGain == 0 ? Double.NaN : gainSum / withGain;
        }
    }

    private static final int KEEP_PER_STREAM = 3;

    private final KafkaConsumer<String, byte[]> consumer;
    private final Path keepDir;
    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, double[]> gains = new TreeMap<>();
    private final Map<String, Map<String, Long>> restorers = new TreeMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /** @param keepDir where the first restored JPEGs of each stream are written, or null */
    RestoredBoard(String bootstrap, String topic, Path keepDir) {
        this.keepDir = keepDir;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "frameq-demo-restored",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(this::loop, "demo-restored");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                onRestored(r);
            }
        }
        consumer.close();
    }

    private synchronized void onRestored(ConsumerRecord<String, byte[]> r) {
        String stream = r.key();
        long n = ++counts.computeIfAbsent(stream, k -> new long[1])[0];
        String gain = header(r.headers(), FrameHeaders.QUALITY_GAIN);
        if (!gain.isEmpty()) {
            double[] g = gains.computeIfAbsent(stream, k -> new double[2]);
            g[0] += Double.parseDouble(gain);
            g[1]++;
        }
        String restorer = header(r.headers(), FrameHeaders.RESTORER);
        restorers.computeIfAbsent(stream, k -> new TreeMap<>()).merge(restorer, 1L, Long::sum);
        if (keepDir != null && n <= KEEP_PER_STREAM) {
            try {
                Files.write(keepDir.resolve(stream + "-seq" + header(r.headers(), FrameHeaders.SEQ) + "-" + restorer + ".jpg"), r.value());
            } catch (IOException e) {
                throw new UncheckedIOException("demo: cannot keep a restored frame in " + keepDir, e);
            }
        }
    }

    private static String header(Headers h, String name) {
        Header v = h.lastHeader(name);
        return v == null ? "" : new String(v.value(), StandardCharsets.UTF_8);
    }

    synchronized Map<String, Tally> tallies() {
        Map<String, Tally> out = new TreeMap<>();
        counts.forEach((s, c) -> {
            double[] g = gains.getOrDefault(s, new double[2]);
            out.put(s, new Tally(c[0], g[0], (long) g[1], Map.copyOf(restorers.getOrDefault(s, Map.of()))));
        });
        return out;
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
