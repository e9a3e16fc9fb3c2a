package io.frameq.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Committed test fixtures (licences beside them under src/test/resources) and header helpers. */
public final class Fixtures {

    private Fixtures() {}

    public static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("test fixture missing: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real photo as JPEG (451x300). */
    public static byte[] chelseaJpeg() {
        return resource("/topology/chelsea.jpg");
    }

    /** A real photo as PNG (400x267). */
    public static byte[] coffeePng() {
        return resource("/topology/coffee.png");
    }

    /** The JPEG cut short and scribbled over: what a broken uplink delivers. */
    public static byte[] corruptJpeg() {
        byte[] ok = chelseaJpeg();
        byte[] bad = java.util.Arrays.copyOf(ok, ok.length / 4);
        for (int i = 700; i < bad.length; i += 97) {
            bad[i] = (byte) 0xFF;
        }
        return bad;
    }

    public static Headers headers(String contentType, long seq, long ts) {
        RecordHeaders h = new RecordHeaders();
        if (contentType != null) {
            h.add("content-type", contentType.getBytes(StandardCharsets.US_ASCII));
        }
        if (seq >= 0) {
            h.add("frameq-seq", Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        }
        if (ts >= 0) {
            h.add("frameq-ts", Long.toString(ts).getBytes(StandardCharsets.US_ASCII));
        }
        return h;
    }

    public static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
