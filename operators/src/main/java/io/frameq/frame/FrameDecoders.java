package io.frameq.frame;

import io.frameq.deadline.Deadline;
import io.frameq.frame.FrameDecodeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point processors use: checks a record value against the limits, picks the
 * decoder from the {@code content-type} header or, when it is absent, from the payload's magic
 * bytes, and decodes. FFmpeg decodes JPEG, PNG and video (YUV to RGB per {@link RgbConversion}, FAST unless chosen); when its natives do not load, JPEG and
 * PNG fall back to ImageIO (logged once at WARN) and video is refused as UNKNOWN_CONTENT_TYPE
 * (no decoder for it). Raw frames are always decoded in Java.
 *
 * <p>Thread-safe: one instance serves all stream threads. Close it to free the pooled native
 * codec contexts.
 */
public final class FrameDecoders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoders.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private final DecodeLimits limits;
    private final FfmpegImageDecoder ffmpegImages; // null without FFmpeg
    private final FrameDecoder images;
    private final VideoSegmentDecoder video; // null without FFmpeg
    private final RawFrameDecoder raw = new RawFrameDecoder();
    private final String name;
    private volatile boolean closed;

    /** With {@link RgbConversion#FAST}. */
    public FrameDecoders(DecodeLimits limits) {
        this(limits, RgbConversion.FAST);
    }

    /** @param conversion how FFmpeg's YUV becomes RGB (JPEG and video); ignored by the ImageIO fallback */
    public FrameDecoders(DecodeLimits limits, RgbConversion conversion) {
        this(limits, conversion, FfmpegNatives.available());
    }

    /** @param useFfmpeg false forces the ImageIO fallback (tests, or to rule FFmpeg out) */
    FrameDecoders(DecodeLimits limits, RgbConversion conversion, boolean useFfmpeg) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        java.util.Objects.requireNonNull(conversion, "conversion");
        if (useFfmpeg) {
            ffmpegImages = new FfmpegImageDecoder(conversion);
            images = ffmpegImages;
            video = new VideoSegmentDecoder(conversion);
            name = "ffmpeg-" + FfmpegNatives.version() + (conversion == RgbConversion.ACCURATE ? "-accurate" : "");
        } else {
            ffmpegImages = null;
            images = new ImageIoDecoder();
            video = null;
            name = "imageio";
            FfmpegNatives.loadFailure().ifPresent(failure -> {
                if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                    LOG.warn("FFmpeg natives failed to load ({}): decoding JPEG/PNG with ImageIO (about 3x slower), "
                            + "video segments will be refused", failure.toString());
                }
            });
        }
    }

    /** Which implementation decodes images, for logs: "ffmpeg-8.1.2", "ffmpeg-8.1.2-accurate" or "imageio". */
    public String decoderName() {
        return name;
    }

    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Decodes one record value.
     *
     * @throws FrameDecodeException EMPTY (null or zero bytes), OVER_LIMIT (payload, picture or
     *     frame count), UNKNOWN_CONTENT_TYPE (neither header nor magic bytes say what it is),
     *     MISSING_HEADER / BAD_HEADER (raw frames), CORRUPT, TIMEOUT (the calling thread's
     *     {@link Deadline} expired: a segment is interrupted, an image abandoned when its decode returns)
     */
    public List<DecodedFrame> decode(byte[] payload, FrameMetadata meta) throws FrameDecodeException {
        if (closed) {
            throw new IllegalStateException("FrameDecoders is closed");
        }
        if (payload == null || payload.length == 0) {
            throw new FrameDecodeException(Reason.EMPTY, "record value: expected a non-empty payload, actual "
                    + (payload == null ? "null (tombstone)" : "0 bytes"));
        }
        limits.checkPayloadSize("record value", payload.length);
        ContentType type = resolveType(payload, meta);
        FrameMetadata typed = meta.contentType().isPresent() ? meta
                : new FrameMetadata(Optional.of(type), meta.timestampMs(), meta.seq(), meta.ptsMillis(), meta.width(), meta.height());
        List<DecodedFrame> frames = decoderFor(type).decode(payload, typed, limits);
        // An image decode is one native call FFmpeg cannot interrupt; it is bounded by the size limits,
        // and a frame that overran its deadline is abandoned when it returns, like an interrupted segment.
        Deadline deadline = Deadline.current();
        if (deadline != null && deadline.expired()) {
            throw new FrameDecodeException(Reason.TIMEOUT, type.mime() + " payload of " + payload.length + " bytes: "
                    + deadline.exceeded(null).getMessage());
        }
        return frames;
    }

    /**
     * Decodes one record value for the cheap detectors only: a JPEG at the smallest of 1/1, 1/2 and 1/4
     * scale (in the DCT domain) that keeps it at least {@code minWidth} wide, which costs about half of a
     * full decode at 1080p; anything else (PNG, raw, video, a JPEG without FFmpeg) as {@link #decode}.
     * A shrunk JPEG's image keeps the JPEG's Y'CbCr planes ({@link RgbImage#planes()}) and converts to RGB only
     * when asked. The caller decodes again at full size when a frame goes to the model ({@link Reduction}).
     *
     * @param minWidth the narrowest picture the detectors should get; 0 = never reduce
     */
    public FfmpegImageDecoder.Reduced decodeReduced(byte[] payload, FrameMetadata meta, int minWidth) throws FrameDecodeException {
        if (closed) {
            throw new IllegalStateException("FrameDecoders is closed");
        }
        if (payload == null || payload.length == 0 || ffmpegImages == null || minWidth <= 0) {
            return full(decode(payload, meta));
        }
        limits.checkPayloadSize("record value", payload.length);
        ContentType type = resolveType(payload, meta);
        if (type != ContentType.JPEG) {
            return full(decode(payload, meta));
        }
        FrameMetadata typed = meta.contentType().isPresent() ? meta
                : new FrameMetadata(Optional.of(type), meta.timestampMs(), meta.seq(), meta.ptsMillis(), meta.width(), meta.height());
        return ffmpegImages.decodeReduced(payload, typed, limits, minWidth);
    }

    private static FfmpegImageDecoder.Reduced full(List<DecodedFrame> frames) {
        RgbImage first = frames.get(0).image();
        return new FfmpegImageDecoder.Reduced(frames, Reduction.none(first.width(), first.height()));
    }

    /** {@link #decode(byte[], FrameMetadata)} with the metadata parsed strictly from record headers. */
    public List<DecodedFrame> decode(byte[] payload, Headers headers) throws FrameDecodeException {
        return decode(payload, metadataFromStrict(headers));
    }

    private static ContentType resolveType(byte[] payload, FrameMetadata meta) throws FrameDecodeException {
        Optional<ContentType> type = meta.contentType().or(() -> ContentType.sniff(payload));
        if (type.isEmpty()) {
            throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, "content-type: header absent or unknown, and the first bytes "
                    + Payloads.headHex(payload) + " match no sniffable format (JPEG, PNG, MP4, MPEG-TS); raw frames must declare "
                    + "video/x-raw;format=...");
        }
        return type.get();
    }

    private FrameDecoder decoderFor(ContentType type) throws FrameDecodeException {
        if (type.isRaw()) {
            return raw;
        }
        if (type.isVideo()) {
            if (video == null) {
                throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, type.mime() + ": no video decoder in this process ("
                        + FfmpegNatives.loadFailure().map(Throwable::toString).orElse("FFmpeg disabled") + ")");
            }
            return video;
        }
        return images;
    }

    /**
     * Reads the frame-contract headers leniently: a header that is absent or not a valid number
     * becomes -1 (absent), an unknown content type becomes empty (the payload is then sniffed).
     * Never throws; use {@link #metadataFromStrict} to refuse malformed headers instead.
     */
    public static FrameMetadata metadataFrom(Headers headers) {
        return new FrameMetadata(contentType(headers),
                leniently(() -> number(headers, FrameHeaders.TIMESTAMP, 0, Long.MAX_VALUE)),
                leniently(() -> number(headers, FrameHeaders.SEQ, 0, Long.MAX_VALUE)),
                leniently(() -> number(headers, FrameHeaders.PTS, Long.MIN_VALUE, Long.MAX_VALUE)),
                (int) leniently(() -> number(headers, FrameHeaders.WIDTH, 1, Integer.MAX_VALUE)),
                (int) leniently(() -> number(headers, FrameHeaders.HEIGHT, 1, Integer.MAX_VALUE)));
    }

    /**
     * Reads the frame-contract headers and refuses a present but malformed number
     * ({@code frameq-ts}, {@code frameq-seq} and {@code frameq-width}/{@code -height} must be
     * non-negative/positive decimal integers, {@code frameq-pts} any decimal integer) with
     * BAD_HEADER naming the header, expected and actual value. An unknown content type is not an
     * error here (the payload is sniffed).
     */
    public static FrameMetadata metadataFromStrict(Headers headers) throws FrameDecodeException {
        return new FrameMetadata(contentType(headers),
                number(headers, FrameHeaders.TIMESTAMP, 0, Long.MAX_VALUE),
                number(headers, FrameHeaders.SEQ, 0, Long.MAX_VALUE),
                number(headers, FrameHeaders.PTS, Long.MIN_VALUE, Long.MAX_VALUE),
                (int) number(headers, FrameHeaders.WIDTH, 1, Integer.MAX_VALUE),
                (int) number(headers, FrameHeaders.HEIGHT, 1, Integer.MAX_VALUE));
    }

    private static Optional<ContentType> contentType(Headers headers) {
        String value = text(headers, FrameHeaders.CONTENT_TYPE);
        Optional<ContentType> type = ContentType.parse(value);
        if (value != null && type.isEmpty()) {
            LOG.debug("content-type '{}' is not one FrameQ decodes: sniffing the payload instead", value);
        }
        return type;
    }

    /** The header's number, or -1 when absent; BAD_HEADER when present but not a number in [min, max]. */
    private static long number(Headers headers, String name, long min, long max) throws FrameDecodeException {
        String value = text(headers, name);
        if (value == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range
        }
        throw new FrameDecodeException(Reason.BAD_HEADER, "header " + name + ": expected a decimal integer in [" + min + ", " + max
                + "], actual '" + abbreviate(value) + "'");
    }

    private interface HeaderNumber {
        long read() throws FrameDecodeException;
    }

    private static long leniently(HeaderNumber number) {
        try {
            return number.read();
        } catch (FrameDecodeException e) {
            LOG.debug("ignoring malformed header: {}", e.getMessage());
            return -1;
        }
    }

    /** The last header of that name as trimmed UTF-8, or null when absent (Kafka: last one wins). */
    private static String text(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        return new String(header.value(), StandardCharsets.UTF_8).trim();
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    @Override
    public void close() {
        closed = true;
        if (ffmpegImages != null) {
            ffmpegImages.close();
        }
    }
}
