package io.frameq.source;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.MediaReader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live URL (RTSP, HLS, HTTP MJPEG, UDP...): frames are stamped with the wall clock when they
 * arrive, and a dropped or ended connection is reopened with backoff ({@link ReconnectPolicy}).
 * A live stream has no end of its own: it ends when {@link #stop()} is called, or when the URL
 * stays unreachable for the policy's attempts.
 */
final class LiveSource extends SourceBase {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSource.class);

    private final String url;
    private final Map<String, String> options;
    private final SamplingPolicy.Sampler sampler;
    private final ReconnectPolicy reconnect;
    private final DecodeLimits limits;
    private final boolean keyframesOnly;
    private final LongSupplier clock;
    private final long startMs;
    private MediaReader reader;
    private long seq;
    /** Reconnects since the last frame: a URL that answers but never sends a frame must back off and give up too. */
    private final Attempts attemptsWithoutFrame = new Attempts();
    /** Errors of the current reader already counted. */
    private long reportedErrors;

    /**
     * @param opened the first connection, opened with {@code stopped} as its interrupt
     * @param stopped set by {@link #stop()}; blocking reads of every connection give up when it is set
     */
    LiveSource(String streamId, String location, String url, Map<String, String> options, MediaReader opened, AtomicBoolean stopped,
            SamplingPolicy sampling, ReconnectPolicy reconnect, DecodeLimits limits, LongSupplier clock) {
        super(streamId, location, stopped);
        this.url = url;
        this.options = Map.copyOf(options);
        this.reader = opened;
        this.sampler = sampling.sampler();
        this.keyframesOnly = sampling.keyframesOnly();
        this.reconnect = reconnect;
        this.limits = limits;
        this.clock = clock;
        this.startMs = clock.getAsLong();
    }

    @Override
    public CapturedFrame next() throws SourceException, InterruptedException {
        while (!stopped.get()) {
            if (reader == null) {
                reader = reopen();
                if (reader == null) {
                    return null; // stopped while waiting
                }
            }
            boolean got = reader.next();
            long errors = reader.decodeErrors() + reader.corruptFrames();
            counters.decodeErrors(errors - reportedErrors);
            reportedErrors = errors;
            if (!got && stopped.get()) {
                return null; // interrupted by stop(), not dropped
            }
            if (!got) {
                String why = reader.readError() == null ? "end of stream" : reader.readError();
                LOG.warn("{}: {} dropped ({}); reconnecting", streamId, location, why);
                reader.close();
                reader = null;
                reportedErrors = 0;
                continue;
            }
            attemptsWithoutFrame.count = 0;
            long index = seq++;
            counters.read();
            long now = clock.getAsLong();
            // Arrival time since the source started, not the container's pts: a live stream's pts starts
            // anew (or anywhere) at every reconnect, and pts_ms must not run backwards or below 0.
            long relative = now - startMs;
            boolean key = reader.keyframe();
            if (!sampler.accept(relative, key)) {
                continue;
            }
            try {
                CapturedFrame frame = new CapturedFrame(streamId, index, now, relative, key, reader.rgb(), null, null);
                counters.sampled(now);
                return frame;
            } catch (FrameDecodeException e) {
                counters.decodeErrors(1);
            }
        }
        return null;
    }

    private MediaReader reopen() throws SourceException, InterruptedException {
        return reopenWithBackoff(reconnect, attemptsWithoutFrame, "frame",
                () -> MediaReader.open(url, options, keyframesOnly, limits, stopped::get), LOG);
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
