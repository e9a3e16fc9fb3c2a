package io.frameq.app.analyze;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;

/** {@code --start-time}: ISO-8601 ({@code 2026-01-31T12:00:00Z}) or epoch milliseconds, to epoch milliseconds. */
public final class StartTimeConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        if (text.matches("\\d+")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected ISO-8601 (2026-01-31T12:00:00Z) or epoch ms, actual '" + text + "'");
        }
    }
}
