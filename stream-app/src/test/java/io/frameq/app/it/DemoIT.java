package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.frameq.app.FrameqCli;

import org.junit.jupiter.api.Test;

/**
 * The README's demo command, shortened: every camera scored, every detectable fault caught by its
 * detector, corrupt frames on the DLQ, and /metrics serving every stream — the demo checks these
 * itself and exits non-zero when one fails.
 */
class DemoIT {

    @Test
    void demoRunsEndToEndAndPassesItsOwnChecks() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = FrameqCli.execute("demo", "--duration", "30s", "--streams", "8", "--fps", "2", "--metrics-port", "0");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.println(out);
        assertThat(out).contains("Summary").contains("frameq_frames_total for 8/8 streams");
        assertThat(out).containsPattern("DLQ by reason: \\{[^}]*corrupt=");
        assertThat(code).as("demo exit code (its own checks)").isZero();
    }
}
