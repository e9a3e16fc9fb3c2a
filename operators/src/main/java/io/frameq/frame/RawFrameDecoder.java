package io.frameq.frame;

import io.frameq.frame.FrameDecodeException.Reason;
import java.util.List;
import java.util.Optional;

/**
 * Decodes raw frames (RGB24, BGR24, NV12, I420) to RGB24 in pure Java. Raw frames carry no
 * header of their own: width and height come from {@code frameq-width}/{@code frameq-height},
 * and planes are tightly packed (no row padding), so the payload length must match exactly. YUV
 * is converted as BT.601 limited range (see {@link Bt601}). Stateless and thread-safe.
 *
 * <p>The output never shares the payload array: the pixels of an RgbImage must stay unchanged
 * while the original bytes may still be re-sent (DLQ) or reused by the caller.
 */
public final class RawFrameDecoder implements FrameDecoder {

    @Override
    public boolean supports(ContentType type) {
        return type.isRaw();
    }

    @Override
    public List<DecodedFrame> decode(byte[] payload, FrameMetadata meta, DecodeLimits limits) throws FrameDecodeException {
        Optional<ContentType> declared = meta.contentType();
        if (declared.isEmpty() || !declared.get().isRaw()) {
            // Raw frames have no magic number, so the type cannot be sniffed: it must be declared.
            throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, "RawFrameDecoder content-type: expected video/x-raw;format="
                    + "rgb24|bgr24|nv12|i420, actual " + declared.map(ContentType::mime).orElse("none"));
        }
        ContentType type = declared.get();
        int width = dimension(FrameHeaders.WIDTH, meta.width(), type);
        int height = dimension(FrameHeaders.HEIGHT, meta.height(), type);
        limits.checkDimensions(type.mime(), width, height);
        long expected = expectedBytes(type, width, height);
        if (payload.length != expected) {
            throw new FrameDecodeException(Reason.BAD_HEADER, type.mime() + " payload for " + width + "x" + height
                    + " (from headers " + FrameHeaders.WIDTH + "/" + FrameHeaders.HEIGHT + "): expected " + expected
                    + " bytes, actual " + payload.length);
        }
        byte[] rgb = switch (type) {
            case RAW_RGB24 -> payload.clone();
            case RAW_BGR24 -> swapRedBlue(payload);
            case RAW_NV12 -> Bt601.nv12ToRgb(payload, width, height);
            case RAW_I420 -> Bt601.i420ToRgb(payload, width, height);
            default -> throw new IllegalStateException("RawFrameDecoder: unhandled raw type " + type);
        };
        return List.of(new DecodedFrame(new RgbImage(width, height, rgb), 0, -1));
    }

    /** Payload length of a tightly packed raw frame. */
    public static long expectedBytes(ContentType type, long width, long height) {
        return switch (type) {
            case RAW_RGB24, RAW_BGR24 -> width * height * 3;
            case RAW_NV12, RAW_I420 -> Bt601.yuv420Bytes(width, height);
            default -> throw new IllegalArgumentException("RawFrameDecoder.expectedBytes: " + type + " is not a raw format");
        };
    }

    private static int dimension(String header, int value, ContentType type) throws FrameDecodeException {
        if (value == -1) {
            throw new FrameDecodeException(Reason.MISSING_HEADER, type.mime() + " frame needs header " + header
                    + ": expected a positive integer, actual absent");
        }
        if (value <= 0) {
            throw new FrameDecodeException(Reason.BAD_HEADER, type.mime() + " frame header " + header
                    + ": expected a positive integer, actual " + value);
        }
        return value;
    }

    private static byte[] swapRedBlue(byte[] bgr) {
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return rgb;
    }
}
