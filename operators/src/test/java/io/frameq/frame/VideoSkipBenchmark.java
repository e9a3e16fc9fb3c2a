package io.frameq.frame;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times the decode of one video segment (an MP4 or MPEG-TS file) with each {@link VideoFrameSkip}: thread CPU per
 * segment and per kept frame, median of the rounds, modes interleaved round by round. A tool, not a test.
 *
 * <pre>
 * mvn -o -B -q -pl operators test-compile
 * mvn -o -B -q -pl operators dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=/tmp/frameq-cp.txt
 * java -cp operators/target/classes:operators/target/test-classes:$(cat /tmp/frameq-cp.txt) io.frameq.frame.VideoSkipBenchmark SEGMENT [ROUNDS]
 * </pre>
 */
public final class VideoSkipBenchmark {

    private VideoSkipBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        byte[] payload = Files.readAllBytes(file);
        ContentType type = file.toString().endsWith(".ts") ? ContentType.MPEG_TS : ContentType.MP4;
        VideoSegmentDecoder decoder = new VideoSegmentDecoder();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        VideoFrameSkip[] modes = VideoFrameSkip.values();
        long[][] cpu = new long[modes.length][rounds];
        int[] kept = new int[modes.length];
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            for (int m = 0; m < modes.length; m++) {
                DecodeLimits limits = new DecodeLimits(256 << 20, 7680, 4320, 100_000, 1, modes[m]);
                long c0 = threads.getCurrentThreadCpuTime();
                List<DecodedFrame> frames = decoder.decode(payload, FrameMetadata.of(type), limits);
                long c1 = threads.getCurrentThreadCpuTime();
                kept[m] = frames.size();
                if (r >= 0) {
                    cpu[m][r] = c1 - c0;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s, %d bytes, %d rounds, 1 thread%n", file.getFileName(), payload.length, rounds);
        System.out.println("| skip | frames out | CPU ms per segment (median) | CPU ms per frame out |");
        System.out.println("|---|---|---|---|");
        for (int m = 0; m < modes.length; m++) {
            long[] c = cpu[m].clone();
            Arrays.sort(c);
            double ms = c[c.length / 2] / 1e6;
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.2f |%n", modes[m].configName(), kept[m], ms, ms / kept[m]);
        }
    }
}
