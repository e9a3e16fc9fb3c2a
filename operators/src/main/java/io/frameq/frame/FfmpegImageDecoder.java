package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;

import java.util.List;

/**
 * Decodes JPEG and PNG with FFmpeg's avcodec (the whole payload as one packet) and swscale to
 * RGB24 (see {@link RgbConversion} for the speed/fidelity choice). Thread-safe: each call borrows an opened
 * codec session from a small pool, so codec and scaler set-up are paid once per concurrent
 * caller, not per frame. See {@link FfmpegImageSession} for the error policy (truncated or
 * damaged payloads are refused as CORRUPT, never half-decoded).
 *
 * <p>Alpha channels are dropped, not composited; embedded ICC profiles are ignored (both as in
 * {@link ImageIoDecoder}).
 */
public final class FfmpegImageDecoder implements FrameDecoder, AutoCloseable {

    private final NativePool<FfmpegImageSession> jpegSessions;
    private final NativePool<FfmpegImageSession> pngSessions;
    /** JPEG sessions decoding at 1/2 and 1/4 scale (FFmpeg lowres 1 and 2). */
    private final NativePool<FfmpegImageSession> jpegHalf;
    private final NativePool<FfmpegImageSession> jpegQuarter;

    /**
     * With {@link RgbConversion#FAST}.
     *
     * @throws IllegalStateException when FFmpeg's natives are not available on this platform
     */
    public FfmpegImageDecoder() {
        this(RgbConversion.FAST);
    }

    /** @throws IllegalStateException when FFmpeg's natives are not available on this platform */
    public FfmpegImageDecoder(RgbConversion conversion) {
        FfmpegNatives.requireAvailable();
        java.util.Objects.requireNonNull(conversion, "conversion");
        int maxIdle = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        jpegSessions = new NativePool<>("mjpeg", () -> new FfmpegImageSession(ContentType.JPEG, AV_CODEC_ID_MJPEG, conversion), maxIdle);
        pngSessions = new NativePool<>("png", () -> new FfmpegImageSession(ContentType.PNG, AV_CODEC_ID_PNG, conversion), maxIdle);
        jpegHalf = new NativePool<>("mjpeg-lowres1", () -> new FfmpegImageSession(ContentType.JPEG, AV_CODEC_ID_MJPEG, conversion, 1),
                maxIdle);
        jpegQuarter = new NativePool<>("mjpeg-lowres2",
                () -> new FfmpegImageSession(ContentType.JPEG, AV_CODEC_ID_MJPEG, conversion, 2), maxIdle);
    }

    /**
     * A JPEG decoded in the DCT domain at the smallest of 1/1, 1/2 and 1/4 scale that keeps it at least
     * {@code minWidth} pixels wide (its header says how wide it is); anything else, or a JPEG whose header
     * cannot be read, at full size. A shrunk JPEG is handed on as its own Y'CbCr planes ({@link RgbImage#ofPlanes}:
     * the detectors read those, and only a caller that asks for its pixels pays for the conversion), unless its
     * planes are not full-range BT.601 (grey, CMYK), which are converted by swscale as usual.
     */
    public Reduced decodeReduced(byte[] payload, FrameMetadata meta, DecodeLimits limits, int minWidth) throws FrameDecodeException {
        ContentType type = StillImages.resolveType(payload, meta, this);
        java.util.Optional<EncodedImageSize> size = EncodedImageSize.probe(type, payload);
        int factor = 1;
        if (type == ContentType.JPEG && size.isPresent() && minWidth > 0) {
            while (factor < 4 && size.get().width() / (factor * 2) >= minWidth) {
                factor *= 2;
            }
        }
        if (factor == 1) {
            List<DecodedFrame> full = decode(payload, meta, limits);
            RgbImage img = full.get(0).image();
            return new Reduced(full, Reduction.none(img.width(), img.height()));
        }
        StillImages.checkHeaderDimensions(type, payload, limits);
        NativePool<FfmpegImageSession> pool = factor == 2 ? jpegHalf : jpegQuarter;
        FfmpegImageSession session = pool.borrow();
        RgbImage image;
        try {
            image = session.decodeForDetectors(payload, limits);
        } catch (FrameDecodeException e) {
            pool.discard(session);
            throw StillImages.withMislabelHint(e, type, payload);
        } catch (RuntimeException | Error e) {
            pool.discard(session);
            throw e;
        }
        pool.giveBack(session);
        return new Reduced(List.of(new DecodedFrame(image, 0, -1)),
                new Reduction((int) size.get().width(), (int) size.get().height(), factor));
    }

    /** Decoded frames and how they were reduced. */
    public record Reduced(List<DecodedFrame> frames, Reduction reduction) {
    }

    /** Whether FFmpeg's natives loaded in this JVM. */
    public static boolean isAvailable() {
        return FfmpegNatives.available();
    }

    @Override
    public boolean supports(ContentType type) {
        return type == ContentType.JPEG || type == ContentType.PNG;
    }

    @Override
    public List<DecodedFrame> decode(byte[] payload, FrameMetadata meta, DecodeLimits limits) throws FrameDecodeException {
        ContentType type = StillImages.resolveType(payload, meta, this);
        StillImages.checkHeaderDimensions(type, payload, limits);
        NativePool<FfmpegImageSession> pool = type == ContentType.JPEG ? jpegSessions : pngSessions;
        FfmpegImageSession session = pool.borrow();
        RgbImage image;
        try {
            image = session.decode(payload, limits);
        } catch (FrameDecodeException e) {
            pool.discard(session);
            throw StillImages.withMislabelHint(e, type, payload);
        } catch (RuntimeException | Error e) {
            pool.discard(session);
            throw e;
        }
        pool.giveBack(session);
        return List.of(new DecodedFrame(image, 0, -1));
    }

    /** Frees the pooled codec sessions; sessions in use are freed when their decode returns. */
    @Override
    public void close() {
        jpegSessions.close();
        pngSessions.close();
        jpegHalf.close();
        jpegQuarter.close();
    }
}
