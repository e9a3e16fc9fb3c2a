package io.frameq.join;

import java.nio.charset.StandardCharsets;

import io.frameq.frame.FrameHeaders;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Names the origin stream of a rendition record. The header {@value #ORIGIN_HEADER} wins; without
 * it the rendition id (the record key) is read as {@code <origin><separator><label>}, split at the
 * last separator (default {@code @}: {@code movie-1@720p} is a rendition of {@code movie-1}).
 * A rendition that names no origin either way cannot be paired and goes to the DLQ.
 */
public final class OriginResolver {

    /** Header naming a rendition's origin stream id (UTF-8). */
    public static final String ORIGIN_HEADER = FrameHeaders.ORIGIN;
    /** Header the topology adds to re-keyed renditions: the rendition id (the original record key). */
    public static final String RENDITION_HEADER = FrameHeaders.RENDITION;
    public static final String DEFAULT_SEPARATOR = "@";

    private final String separator;

    public OriginResolver(String separator) {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("OriginResolver.separator: expected a non-empty string, actual '" + separator + "'");
        }
        this.separator = separator;
    }

    /** The origin stream id, or null when neither the header nor the key names one. */
    public String origin(String renditionId, Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(ORIGIN_HEADER);
        if (h != null && h.value() != null) {
            String v = new String(h.value(), StandardCharsets.UTF_8).trim();
            if (!v.isEmpty()) {
                return v;
            }
        }
        if (renditionId == null) {
            return null;
        }
        int at = renditionId.lastIndexOf(separator);
        return at > 0 ? renditionId.substring(0, at) : null;
    }

    public String separator() {
        return separator;
    }
}
