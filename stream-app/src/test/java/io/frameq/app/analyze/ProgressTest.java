package io.frameq.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void theLineSumsRunningAndFinishedStreams() {
        StreamReport a = new StreamReport("a", "a.mp4", new WorstFrames(0, 1));
        StreamReport b = new StreamReport("b", "b.mp4", new WorstFrames(0, 1));
        a.events = 40;
        a.degradedFrames = 3;
        a.alertsOpened = 1;
        b.events = 2;
        try (Progress p = new Progress(3, null)) {
            p.started(a);
            p.started(b);
            p.finished(a);

            assertThat(p.line()).startsWith("analyze: 1/3 streams done, 42 frames (").endsWith(", 3 degraded, 1 alert");
        }
    }

    @Test
    void onATerminalTheLineIsRedrawnAndEndedWhenClosed() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (Progress p = new Progress(1, out)) {
            while (!bytes.toString(StandardCharsets.UTF_8).contains("\r")) {
                assertThat(System.nanoTime()).as("a progress line within 10 s").isLessThan(deadline);
                Thread.sleep(20); // poll interval of the deadline-bounded wait
            }
            assertThat(p.line()).startsWith("analyze: 0/1 streams done");
        }
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).startsWith("\ranalyze: 0/1 streams done, 0 frames").endsWith(System.lineSeparator());
    }
}
