package io.frameq.fuzz;

import io.frameq.frame.FrameDecoders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The long hostile-input campaign, outside CI: the same draws and accounting as
 * {@link HostileInputTest}'s decode property, for as many inputs as asked, on several threads (the
 * decoders are shared, as the stream threads share them). A crash or hang is recorded with its
 * random seed and the campaign goes on; the exit status is 1 when any was found. Run from
 * {@code operators/}:
 *
 * <pre>
 * mvn -o -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.frameq.fuzz.FuzzCampaign 200000 2 7
 * </pre>
 *
 * Arguments: inputs (default 100000), threads (default 2), base seed (default 7), and optionally a
 * journal file: each input's random seed is written there before it is decoded, so after a native
 * crash (the JVM gone) the last lines name the inputs to replay with {@link FuzzReplay}.
 */
public final class FuzzCampaign {

    private FuzzCampaign() {}

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long base = args.length > 2 ? Long.parseLong(args[2]) : 7;
        java.nio.channels.FileChannel journal = args.length > 3 ? java.nio.channels.FileChannel.open(java.nio.file.Path.of(args[3]),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING) : null;
        HostileInputs inputs = HostileInputs.load();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        try (FrameDecoders decoders = new FrameDecoders(HostileInputs.LIMITS)) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    SplittableRandom seeds = new SplittableRandom(base * 1_000_003 + id);
                    for (long i = id; i < total; i += threads) {
                        long random = seeds.nextLong();
                        if (journal != null) {
                            try {
                                // a write() reaches the page cache at once: it survives the process aborting
                                journal.write(java.nio.ByteBuffer.wrap((random + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                        try {
                            inputs.decode(decoders, inputs.draw(random));
                        } catch (AssertionError e) {
                            inputs.count(e.getMessage().startsWith("HANG") ? "HANG" : "CRASH");
                            failures.add(e.getMessage());
                        }
                        if (id == 0 && i % 10_000 == 0 && i > 0) {
                            System.out.printf("%d inputs, %d s: %s%n", i, (System.nanoTime() - t0) / 1_000_000_000, inputs.tally());
                        }
                    }
                }, "fuzz-" + t);
                w.start();
                workers.add(w);
            }
            for (Thread w : workers) {
                w.join();
            }
        }
        long seconds = Math.max(1, (System.nanoTime() - t0) / 1_000_000_000);
        Map<String, Long> tally = inputs.tally();
        long accounted = tally.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("campaign: %d inputs in %d s (%d/s) on %d threads, base seed %d%n", total, seconds, total / seconds, threads, base);
        System.out.printf("outcomes: %s (accounted %d of %d)%n", tally, accounted, total);
        System.out.printf("crashes+hangs: %d%n", failures.size());
        failures.stream().limit(20).forEach(f -> System.out.println("  " + f));
        System.exit(failures.isEmpty() && accounted == total ? 0 : 1);
    }
}
