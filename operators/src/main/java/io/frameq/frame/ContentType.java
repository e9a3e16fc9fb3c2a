package io.frameq.frame;

import java.util.Locale;
import java.util.Optional;

/** Payload formats of the frame contract (see README, "Frame contract"). */
public enum ContentType {
    JPEG("image/jpeg"),
    PNG("image/png"),
    RAW_RGB24("video/x-raw;format=rgb24"),
    RAW_BGR24("video/x-raw;format=bgr24"),
    RAW_NV12("video/x-raw;format=nv12"),
    RAW_I420("video/x-raw;format=i420"),
    MP4("video/mp4"),
    MPEG_TS("video/mp2t");

    private final String mime;

    ContentType(String mime) {
        this.mime = mime;
    }

    public String mime() {
        return mime;
    }

    public boolean isRaw() {
        return this == RAW_RGB24 || this == RAW_BGR24 || this == RAW_NV12 || this == RAW_I420;
    }

    public boolean isVideo() {
        return this == MP4 || this == MPEG_TS;
    }

    /**
     * Parses a {@code content-type} header value. Case and spaces are ignored; {@code image/jpg} is
     * accepted as JPEG, {@code video/x-raw;format=yuv420p} as I420.
     */
    public static Optional<ContentType> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.toLowerCase(Locale.ROOT).replace(" ", "");
        switch (h) {
            case "image/jpeg", "image/jpg" -> { return Optional.of(JPEG); }
            case "image/png" -> { return Optional.of(PNG); }
            case "video/mp4" -> { return Optional.of(MP4); }
            case "video/mp2t", "video/mpegts" -> { return Optional.of(MPEG_TS); }
            default -> { }
        }
        if (h.startsWith("video/x-raw")) {
            if (h.contains("format=rgb24") || h.contains("format=rgb")) {
                return Optional.of(RAW_RGB24);
            }
            if (h.contains("format=bgr24") || h.contains("format=bgr")) {
                return Optional.of(RAW_BGR24);
            }
            if (h.contains("format=nv12")) {
                return Optional.of(RAW_NV12);
            }
            if (h.contains("format=i420") || h.contains("format=yuv420p")) {
                return Optional.of(RAW_I420);
            }
        }
        return Optional.empty();
    }

    /**
     * Guesses the type of an encoded payload from its magic bytes. Raw frames have no signature
     * and are never sniffed.
     */
    public static Optional<ContentType> sniff(byte[] b) {
        if (b == null || b.length < 4) {
            return Optional.empty();
        }
        if ((b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return Optional.of(JPEG);
        }
        if ((b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return Optional.of(PNG);
        }
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return Optional.of(MP4);
        }
        if (b[0] == 0x47 && (b.length < 189 || b[188] == 0x47)) {
            return Optional.of(MPEG_TS);
        }
        return Optional.empty();
    }
}
