package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.FrameqCli;
import io.frameq.testing.EventSchema;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code frameq demo --scenario cdn} end to end on the real in-JVM KRaft broker: an origin clip and
 * two real H.264 (OpenH264) renditions at 600 and 60 kbps (the second at half resolution), joined
 * and scored by the full-reference path with the bundled vtamiq-lite through ONNX Runtime. Checked
 * here from the published events themselves, not only from the demo's own verdict: every rendition
 * frame whose origin was sent has exactly one matched, schema-valid FR event; every frame the
 * scenario left without a partner has an unmatched event on its side; the lower-bitrate rung has the
 * lower mean MS-SSIM and PSNR, and the bundled vtamiq-lite (v4, trained with bitrate-ladder groups)
 * gives it the lower mean quality too: a regression check of the shipped weights on real H.264, which a
 * model swap must pass as well.
 */
class CdnDemoIT {

    private static final Logger LOG = LoggerFactory.getLogger(CdnDemoIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PERIOD = 20;
    private static final int ORIGIN_LOST_AT = 7;
    private static final int RENDITIONS_LOST_AT = 15;

    @Test
    void everyPartneredRenditionFrameIsScoredUnmatchedFramesAreReportedAndTheLowerRungScoresWorse() throws Exception {
        // kept under target/ for a look after a failure
        Path events = Path.of("target", "cdn-demo-it-events.jsonl");
        Files.createDirectories(events.getParent());
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = FrameqCli.execute("demo", "--scenario", "cdn", "--duration", "20s", "--fps", "2", "--metrics-port", "0",
                    "--events-out", events.toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.println(out);

        Matcher m = Pattern.compile("CDN summary: (\\d+) origin ticks").matcher(out);
        assertThat(m.find()).as("summary line").isTrue();
        long ticks = Long.parseLong(m.group(1));
        assertThat(ticks).isGreaterThan(RENDITIONS_LOST_AT + 5); // both kinds of gap happened at least once

        List<String> renditions = List.of("people@360p-600k", "people@180p-60k");
        Map<String, Set<Long>> matchedSeqs = new HashMap<>();
        Map<String, double[]> sums = new HashMap<>(); // ms_ssim, psnr, vtamiq quality, count
        Set<String> unmatched = new HashSet<>();
        EventSchema schema = EventSchema.frScoreEvent();
        for (String line : Files.readAllLines(events)) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertThat(schema.violations(bytes)).as(line).isEmpty();
            JsonNode e = JSON.readTree(bytes);
            String stream = e.get("stream").asText();
            long seq = e.get("seq").asLong();
            if (e.get("fr").get("matched").asBoolean()) {
                assertThat(matchedSeqs.computeIfAbsent(stream, k -> new HashSet<>()).add(seq)).as("one event per frame " + stream + "#" + seq)
                        .isTrue();
                double[] s = sums.computeIfAbsent(stream, k -> new double[4]);
                s[0] += e.get("classic").get("ms_ssim").asDouble();
                s[1] += e.get("classic").get("psnr").asDouble();
                s[2] += e.get("quality").asDouble();
                s[3]++;
            } else {
                unmatched.add(e.get("fr").get("side").asText() + ":" + stream + "#" + seq);
            }
        }

        Set<String> expectedUnmatched = new HashSet<>();
        for (String r : renditions) {
            Set<Long> expectedPairs = new HashSet<>();
            for (long seq = 0; seq < ticks; seq++) {
                if (seq % PERIOD == ORIGIN_LOST_AT) {
                    expectedUnmatched.add("rendition:" + r + "#" + seq);
                } else if (seq % PERIOD != RENDITIONS_LOST_AT) {
                    expectedPairs.add(seq);
                }
            }
            assertThat(matchedSeqs.get(r)).as("matched FR events of " + r).isEqualTo(expectedPairs);
        }
        for (long seq = 0; seq < ticks; seq++) {
            if (seq % PERIOD == RENDITIONS_LOST_AT) {
                expectedUnmatched.add("origin:people#" + seq);
            }
        }
        assertThat(unmatched).isEqualTo(expectedUnmatched);

        double[] high = sums.get(renditions.get(0));
        double[] low = sums.get(renditions.get(1));
        double highMsSsim = high[0] / high[3];
        double lowMsSsim = low[0] / low[3];
        LOG.info("CDN IT: {} ticks; 600k 360p: MS-SSIM {} PSNR {} dB VTAMIQ quality {}; 60k 180p: MS-SSIM {} PSNR {} dB VTAMIQ quality {}; "
                        + "VTAMIQ orders the rungs {}; unmatched {}",
                ticks, highMsSsim, high[1] / high[3], high[2] / high[3], lowMsSsim, low[1] / low[3], low[2] / low[3],
                low[2] / low[3] < high[2] / high[3] ? "correctly" : "WRONGLY", unmatched.size());
        assertThat(lowMsSsim).as("mean MS-SSIM of the 60 kbps half-resolution rung").isLessThan(highMsSsim);
        assertThat(low[1] / low[3]).as("mean PSNR of the 60 kbps rung").isLessThan(high[1] / high[3]);
        assertThat(low[2] / low[3]).as("mean VTAMIQ quality of the 60 kbps half-resolution rung").isLessThan(high[2] / high[3]);
        assertThat(out).contains("frameq_fr_unmatched_total origin=" + expectedUnmatched.stream().filter(s -> s.startsWith("origin")).count());
        assertThat(code).as("demo exit code (its own checks)").isZero();
    }
}
