package io.frameq.app.demo;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code 90s}, {@code 2m}, {@code 1h} or an ISO-8601 duration ({@code PT90S}). */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new TypeConversionException("expected a duration like 60s, 2m or 1h, got '" + value + "'");
            };
        } catch (RuntimeException e) {
            if (e instanceof TypeConversionException t) {
                throw t;
            }
            throw new TypeConversionException("expected a duration like 60s, 2m or 1h, got '" + value + "'");
        }
    }
}
