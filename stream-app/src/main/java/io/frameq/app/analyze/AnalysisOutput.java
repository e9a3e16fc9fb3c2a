package io.frameq.app.analyze;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON-lines files of an analysis: {@code events.jsonl} and {@code alerts.jsonl} hold the
 * values of the scores and alerts topics byte for byte (one per line), {@code dead-letters.jsonl}
 * one line per refused frame. Streams write concurrently; each record stays one whole line.
 */
final class AnalysisOutput implements AutoCloseable {

    static final String EVENTS = "events.jsonl";
    static final String ALERTS = "alerts.jsonl";
    static final String DEAD_LETTERS = "dead-letters.jsonl";

    private final JsonLines events;
    private final JsonLines alerts;
    private final JsonLines deadLetters;

    AnalysisOutput(Path dir) {
        events = new JsonLines(dir.resolve(EVENTS));
        alerts = new JsonLines(dir.resolve(ALERTS));
        deadLetters = new JsonLines(dir.resolve(DEAD_LETTERS));
    }

    void event(byte[] json) {
        events.write(json);
    }

    void alert(byte[] json) {
        alerts.write(json);
    }

    void deadLetter(byte[] json) {
        deadLetters.write(json);
    }

    @Override
    public void close() {
        events.close();
        alerts.close();
        deadLetters.close();
    }

    /** One file of JSON lines; the topics' JSON is compact, so a record never spans lines. */
    private static final class JsonLines {
        private final Path file;
        private final OutputStream out;

        JsonLines(Path file) {
            this.file = file;
            try {
                out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }

        synchronized void write(byte[] json) {
            try {
                out.write(json);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }

        synchronized void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
