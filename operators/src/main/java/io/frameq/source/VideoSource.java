package io.frameq.source;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.MediaReader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A video file, an image sequence or a network URL of finite media (one that states its duration:
 * an MP4 over HTTP, a finished HLS playlist), read once from start to end. Capture times are
 * {@code startMs} plus the frame's pts counted from the first frame, so a clip's alert windows
 * fall on its own timeline and not on when it was analysed.
 */
final class VideoSource extends SourceBase {

    private static final Logger LOG = LoggerFactory.getLogger(VideoSource.class);
    /** Frame spacing assumed for frames without a pts (some raw and image-sequence inputs). */
    private static final long FALLBACK_FRAME_MS = 40;

    private final SamplingPolicy.Sampler sampler;
    private final long startMs;
    private final MediaReader reader;
    private long seq;
    private long firstPts = Long.MIN_VALUE;
    private long lastPts = -1;
    private long reportedErrors;

    VideoSource(String streamId, String location, String url, Map<String, String> options, SamplingPolicy sampling, long startMs,
            DecodeLimits limits, AtomicBoolean stopped) throws SourceException {
        // local files need no interrupt callback: a read never blocks for long, and stop() is checked between frames
        this(streamId, location, open(location, url, options, sampling, limits, null), sampling, startMs, stopped);
    }

    /**
     * Takes over an open reader (a network URL found to be finite).
     *
     * @param stopped the flag the reader's interrupt callback watches, if any
     */
    VideoSource(String streamId, String location, MediaReader reader, SamplingPolicy sampling, long startMs, AtomicBoolean stopped) {
        super(streamId, location, stopped);
        this.reader = reader;
        this.sampler = sampling.sampler();
        this.startMs = startMs;
    }

    static MediaReader open(String location, String url, Map<String, String> options, SamplingPolicy sampling, DecodeLimits limits,
            AtomicBoolean stop) throws SourceException {
        try {
            return MediaReader.open(url, options, sampling.keyframesOnly(), limits, stop == null ? null : stop::get);
        } catch (FrameDecodeException e) {
            throw new SourceException("source " + location + ": " + e.getMessage() + " [" + e.reasonCode() + "]", e);
        }
    }

    @Override
    public CapturedFrame next() throws SourceException {
        while (!stopped.get() && reader.next()) {
            countReaderErrors();
            long index = seq++;
            counters.read();
            long pts = reader.ptsMillis();
            if (pts >= 0 && firstPts == Long.MIN_VALUE) {
                firstPts = pts;
            }
            // pts rebased to the first frame (MPEG-TS starts near 1.4 s); monotonic even if the container's is not
            long relative = pts >= 0 ? Math.max(0, pts - firstPts) : (lastPts >= 0 ? lastPts + FALLBACK_FRAME_MS : index * FALLBACK_FRAME_MS);
            lastPts = relative;
            boolean key = reader.keyframe();
            if (!sampler.accept(relative, key)) {
                continue;
            }
            long capture = startMs + relative;
            try {
                CapturedFrame frame = new CapturedFrame(streamId, index, capture, relative, key, reader.rgb(), null, null);
                counters.sampled(capture);
                return frame;
            } catch (FrameDecodeException e) {
                counters.decodeErrors(1);
                LOG.debug("{}: frame {} not converted: {}", streamId, index, e.getMessage());
            }
        }
        countReaderErrors();
        if (reader.readError() != null && !stopped.get()) {
            LOG.warn("{}: reading {} stopped early: {}", streamId, location, reader.readError());
        }
        return null;
    }

    /** The reader's errors since the last call go to the counters as they happen (the progress line shows them). */
    private void countReaderErrors() {
        long total = reader.decodeErrors() + reader.corruptFrames();
        counters.decodeErrors(total - reportedErrors);
        reportedErrors = total;
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public void close() {
        reader.close();
    }
}
