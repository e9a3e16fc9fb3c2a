package io.frameq.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Every input the campaign found harmful (src/test/resources/fuzz/regressions) decodes or is refused
 * with a reason — in this JVM, so a native crash coming back fails the build (the test fork dies).
 */
class HostileRegressionTest {

    @Test
    void everyHarmfulInputFoundSoFarIsNowAccountedFor() throws Exception {
        HostileInputs inputs = HostileInputs.load();
        List<Path> cases;
        try (Stream<Path> files = Files.list(HostileInputs.CORPUS.resolve("regressions"))) {
            cases = files.filter(f -> f.toString().endsWith(".bin")).sorted().toList();
        }
        assertThat(cases).isNotEmpty();
        try (FrameDecoders decoders = new FrameDecoders(HostileInputs.LIMITS)) {
            for (Path c : cases) {
                String name = c.getFileName().toString();
                RecordHeaders h = new RecordHeaders();
                h.add(FrameHeaders.CONTENT_TYPE, name.substring(0, name.indexOf("__")).replaceFirst("_", "/")
                        .getBytes(StandardCharsets.US_ASCII));
                HostileInputs.HostileRecord rec = new HostileInputs.HostileRecord(name, 0, Files.readAllBytes(c), h);
                for (int i = 0; i < 20; i++) { // heap damage may show only on a later allocation
                    assertThat(inputs.decode(decoders, rec)).as(name).isNotBlank();
                }
            }
        }
    }
}
