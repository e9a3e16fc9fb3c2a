package io.frameq.source;

import java.nio.charset.StandardCharsets;

import io.frameq.frame.ContentType;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A captured frame as a frame-contract record: key = stream id, value = the still's original bytes,
 * the raw RGB24 pixels, or a JPEG, with the {@link FrameHeaders} that say what it is and when it
 * was captured. {@code analyze} pipes these into the topology and {@code ingest} publishes them,
 * so both give the operators the same input.
 *
 * @param timestampMs the record timestamp: the capture time
 */
public record FrameRecord(String key, byte[] value, Headers headers, long timestampMs) {

    /** How decoded frames travel. */
    public enum Encoding {
        /** Raw RGB24: no second lossy coding; large (width x height x 3 bytes). */
        RAW,
        /** JPEG at {@link #JPEG_QUALITY}: what cameras publish; a tenth of the bytes. */
        JPEG
    }

    public static final int JPEG_QUALITY = 92;

    /**
     * @param maxRawBytes raw frames larger than this go as JPEG instead (the topology refuses payloads
     *     above its {@code decode.max.bytes})
     */
    public static FrameRecord of(CapturedFrame frame, Encoding encoding, int maxRawBytes) {
        RecordHeaders h = new RecordHeaders();
        byte[] value;
        ContentType type;
        if (frame.encoded() != null) {
            value = frame.encoded();
            type = frame.encodedType();
        } else {
            RgbImage img = frame.image();
            if (encoding == Encoding.RAW && img.pixels().length <= maxRawBytes) {
                value = img.pixels();
                type = ContentType.RAW_RGB24;
                h.add(FrameHeaders.WIDTH, ascii(img.width()));
                h.add(FrameHeaders.HEIGHT, ascii(img.height()));
            } else {
                value = ImageEncoder.jpeg(img, JPEG_QUALITY);
                type = ContentType.JPEG;
            }
        }
        h.add(FrameHeaders.CONTENT_TYPE, type.mime().getBytes(StandardCharsets.US_ASCII));
        h.add(FrameHeaders.TIMESTAMP, ascii(frame.captureTsMs()));
        h.add(FrameHeaders.SEQ, ascii(frame.seq()));
        if (frame.ptsMs() >= 0) {
            h.add(FrameHeaders.PTS, ascii(frame.ptsMs()));
        }
        return new FrameRecord(frame.streamId(), value, h, frame.captureTsMs());
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
