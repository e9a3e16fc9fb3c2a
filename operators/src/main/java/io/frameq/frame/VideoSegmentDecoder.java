package io.frameq.frame;

import io.frameq.frame.FrameDecodeException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes video segments (MP4, MPEG-TS) from memory with avformat over a custom AVIOContext, each with
 * only its own demuxer (never probed against every format FFmpeg knows), and keeps every
 * {@link DecodeLimits#videoSampleEvery()}-th frame.
 *
 * <p>Frame limit: a segment whose sampled frames exceed {@link DecodeLimits#maxFramesPerSegment()}
 * is refused with OVER_LIMIT, not truncated. Truncating would silently drop the tail of a segment
 * that then never reaches the DLQ; refusing makes the misconfiguration (segment length vs limit
 * vs sampling) visible, and the original bytes stay available for replay. When the container
 * declares its frame count (MP4) the refusal happens before anything is decoded.
 *
 * <p>{@link DecodedFrame#ptsMillis()} is the frame's presentation time on the container's own
 * timeline (not rebased to 0): MPEG-TS usually starts near 1400 ms, and consecutive HLS segments
 * of a stream continue one timeline, which keeps frames of a rendition and its origin comparable.
 *
 * <p>Thread-safe and stateless: each call opens and frees its own demuxer and decoder (opening
 * costs well under a millisecond next to decoding a segment).
 */
public final class VideoSegmentDecoder implements FrameDecoder {

    private final RgbConversion conversion;

    /**
     * With {@link RgbConversion#FAST}.
     *
     * @throws IllegalStateException when FFmpeg's natives are not available on this platform
     */
    public VideoSegmentDecoder() {
        this(RgbConversion.FAST);
    }

    /** @throws IllegalStateException when FFmpeg's natives are not available on this platform */
    public VideoSegmentDecoder(RgbConversion conversion) {
        FfmpegNatives.requireAvailable();
        this.conversion = java.util.Objects.requireNonNull(conversion, "conversion");
    }

    @Override
    public boolean supports(ContentType type) {
        return type.isVideo();
    }

    @Override
    public List<DecodedFrame> decode(byte[] payload, FrameMetadata meta, DecodeLimits limits) throws FrameDecodeException {
        Optional<ContentType> declared = meta.contentType();
        if (declared.isPresent() && !supports(declared.get())) {
            throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE,
                    "VideoSegmentDecoder content-type: expected video/mp4 or video/mp2t, actual " + declared.get().mime());
        }
        Optional<ContentType> container = declared.or(() -> ContentType.sniff(payload)).filter(ContentType::isVideo);
        if (container.isEmpty()) {
            throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, "video segment of " + payload.length
                    + " bytes: expected content-type video/mp4 or video/mp2t, or MP4/MPEG-TS magic bytes, actual first bytes "
                    + Payloads.headHex(payload));
        }
        String source = container.get().mime() + " segment of " + payload.length + " bytes";
        int every = limits.videoSampleEvery();
        int max = limits.maxFramesPerSegment();
        try (ByteArrayAvio io = new ByteArrayAvio(payload);
             VideoDemuxer demuxer = VideoDemuxer.open(io, container.get(), source, limits, conversion)) {
            long declaredFrames = demuxer.declaredFrameCount();
            long sampledFrames = declaredFrames < 0 ? -1 : (declaredFrames + every - 1) / every;
            if (sampledFrames > max) {
                throw new FrameDecodeException(Reason.OVER_LIMIT, source + " (" + demuxer.containerName() + "): frames after sampling every "
                        + every + ": expected at most " + max + " (maxFramesPerSegment), actual " + sampledFrames
                        + " (" + declaredFrames + " declared by the container)");
            }
            return demuxer.read(every, max, VideoDemuxer.OverLimit.REFUSE, limits);
        }
    }

    /**
     * Reads a video file (any container FFmpeg opens, {@link RgbConversion#FAST}) for demos and
     * tools, keeping every
     * {@code sampleEvery}-th frame. Unlike {@link #decode}, this truncates: it stops after
     * {@code maxFrames} kept frames, since a demo wants "the first N frames of this clip".
     * Pictures larger than {@link DecodeLimits#DEFAULT} are refused.
     *
     * @throws UncheckedIOException naming the file when it cannot be read or holds no decodable video
     * @throws IllegalArgumentException when sampleEvery or maxFrames is not positive
     */
    public static List<RgbImage> readVideoFile(Path file, int sampleEvery, int maxFrames) {
        List<RgbImage> images = new ArrayList<>();
        readVideoFrames(file, sampleEvery, maxFrames).forEach(f -> images.add(f.image()));
        return images;
    }

    /** Like {@link #readVideoFile}, with each kept frame's index and presentation time (ms). */
    public static List<DecodedFrame> readVideoFrames(Path file, int sampleEvery, int maxFrames) {
        if (sampleEvery <= 0 || maxFrames <= 0) {
            throw new IllegalArgumentException("readVideoFrames(" + file + "): sampleEvery and maxFrames must be positive, got "
                    + sampleEvery + " and " + maxFrames);
        }
        if (!Files.isReadable(file)) {
            throw new UncheckedIOException(new IOException("readVideoFrames: " + file + " is not a readable file"));
        }
        FfmpegNatives.requireAvailable();
        try (VideoDemuxer demuxer = VideoDemuxer.open(file, DecodeLimits.DEFAULT, RgbConversion.FAST)) {
            return demuxer.read(sampleEvery, maxFrames, VideoDemuxer.OverLimit.TRUNCATE, DecodeLimits.DEFAULT);
        } catch (FrameDecodeException e) {
            throw new UncheckedIOException(new IOException("readVideoFrames: " + file + ": " + e.getMessage() + " [" + e.reasonCode() + "]", e));
        }
    }
}
