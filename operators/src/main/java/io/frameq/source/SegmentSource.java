package io.frameq.source;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.SegmentRemuxer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A video file or URL passed on as its own compressed video, cut into keyframe-aligned MPEG-TS
 * segments by {@link SegmentRemuxer} (stream copy: nothing is decoded or re-encoded). Each
 * {@link CapturedFrame} it returns is one segment: {@code encoded} holds the MPEG-TS bytes, {@code seq}
 * the index of the segment's first frame among all frames of the source, and the times are those of
 * that first frame; the topology places the other frames by their pts inside the segment.
 *
 * <p>Times as for the decoding sources: files (and finite URLs) are stamped with {@code startMs} plus
 * the pts counted from the source's first frame; live URLs with the wall clock when the segment's first
 * keyframe arrived, and are reopened with backoff after a drop ({@link ReconnectPolicy}); the first
 * packets after a (re)connect that precede a keyframe cannot be decoded alone and are dropped.
 *
 * <p>{@link SourceStats#framesRead()} counts the video packets read, {@link SourceStats#framesSampled()}
 * the segments handed on, {@link SourceStats#decodeErrors()} packets the muxer refused and segments that
 * could not be written.
 */
final class SegmentSource extends SourceBase {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentSource.class);

    private final String url;
    private final Map<String, String> options;
    private final boolean live;
    private final long segmentMs;
    private final boolean keyframesOnly;
    private final long startMs;
    private final ReconnectPolicy reconnect;
    private final DecodeLimits limits;
    private final LongSupplier clock;
    private SegmentRemuxer remuxer;
    private long firstPts = Long.MIN_VALUE;
    private long lastRelative = -1;
    /** Frames of earlier connections of a live source, so seq keeps growing across reconnects. */
    private long seqBase;
    private long countedPackets;
    private long countedMuxErrors;
    /** Wall-clock arrival of the keyframe that starts the next segment of a live source. */
    private long nextArrival = -1;
    private final Attempts attemptsWithoutSegment = new Attempts();
    private boolean warnedLong;

    /**
     * @param opened the first connection (for URLs opened with {@code stopped} as its interrupt)
     * @param live whether capture times follow the wall clock and drops are reconnected
     * @param segmentMs shortest segment (cut at the first keyframe this long after its start); 0: one GOP each
     * @param keyframesOnly one-frame segments of the keyframes alone
     */
    SegmentSource(String streamId, String location, String url, Map<String, String> options, SegmentRemuxer opened, boolean live,
            AtomicBoolean stopped, long segmentMs, boolean keyframesOnly, long startMs, ReconnectPolicy reconnect, DecodeLimits limits,
            LongSupplier clock) {
        super(streamId, location, stopped);
        this.url = url;
        this.options = Map.copyOf(options);
        this.remuxer = opened;
        this.live = live;
        this.segmentMs = segmentMs;
        this.keyframesOnly = keyframesOnly;
        this.startMs = live ? clock.getAsLong() : startMs;
        this.reconnect = reconnect;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public CapturedFrame next() throws SourceException, InterruptedException {
        while (!stopped.get()) {
            if (remuxer == null) {
                remuxer = reopen();
                if (remuxer == null) {
                    return null; // stopped while waiting
                }
            }
            long before = clock.getAsLong();
            SegmentRemuxer.Segment s;
            try {
                s = remuxer.next(segmentMs, keyframesOnly);
            } catch (FrameDecodeException e) {
                // one segment could not be written (its packets are lost, counted); the next starts at the next keyframe
                counters.decodeErrors(1);
                LOG.warn("{}: a segment of {} was not written: {}", streamId, location, e.getMessage());
                continue;
            }
            countRemuxer();
            if (s == null) {
                if (stopped.get()) {
                    return null;
                }
                String why = remuxer.readError();
                if (!live) {
                    if (why != null) {
                        LOG.warn("{}: reading {} stopped early: {}", streamId, location, why);
                    }
                    return null;
                }
                LOG.warn("{}: {} dropped ({}); reconnecting", streamId, location, why == null ? "end of stream" : why);
                dropConnection();
                continue;
            }
            attemptsWithoutSegment.count = 0;
            if (s.frames() > limits.maxFramesPerSegment() && !warnedLong) {
                warnedLong = true;
                LOG.warn("{}: a segment of {} frames exceeds the decode limit of {} frames per segment: the topology will refuse it "
                        + "(shorter GOPs at the camera, or a higher decode.max.frames.per.segment)", streamId, s.frames(),
                        limits.maxFramesPerSegment());
            }
            CapturedFrame frame = live ? liveFrame(s, before) : fileFrame(s);
            counters.sampled(frame.captureTsMs());
            return frame;
        }
        return null;
    }

    private CapturedFrame fileFrame(SegmentRemuxer.Segment s) {
        if (s.firstPtsMs() >= 0 && firstPts == Long.MIN_VALUE) {
            firstPts = s.firstPtsMs();
        }
        // as VideoSource: pts rebased to the first frame, never running backwards
        long relative = s.firstPtsMs() >= 0 && firstPts != Long.MIN_VALUE ? Math.max(0, s.firstPtsMs() - firstPts) : lastRelative + 1;
        relative = Math.max(relative, lastRelative < 0 ? 0 : lastRelative);
        lastRelative = relative;
        return new CapturedFrame(streamId, s.firstFrame(), startMs + relative, relative, true, null, s.bytes(), ContentType.MPEG_TS);
    }

    private CapturedFrame liveFrame(SegmentRemuxer.Segment s, long calledAt) {
        // the segment's keyframe arrived when the previous segment ended (or, for the first one, during this call)
        long arrival = nextArrival >= 0 ? nextArrival : calledAt;
        nextArrival = clock.getAsLong();
        long relative = Math.max(arrival - startMs, lastRelative < 0 ? 0 : lastRelative);
        lastRelative = relative;
        return new CapturedFrame(streamId, seqBase + s.firstFrame(), startMs + relative, relative, true, null, s.bytes(),
                ContentType.MPEG_TS);
    }

    private void countRemuxer() {
        counters.read(remuxer.packetsRead() - countedPackets);
        countedPackets = remuxer.packetsRead();
        counters.decodeErrors(remuxer.muxErrors() - countedMuxErrors);
        countedMuxErrors = remuxer.muxErrors();
    }

    private void dropConnection() {
        seqBase += remuxer.packetsRead();
        remuxer.close();
        remuxer = null;
        countedPackets = 0;
        countedMuxErrors = 0;
        nextArrival = -1;
    }

    private SegmentRemuxer reopen() throws SourceException, InterruptedException {
        return reopenWithBackoff(reconnect, attemptsWithoutSegment, "segment",
                () -> SegmentRemuxer.open(url, options, limits, stopped::get), LOG);
    }

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public void close() {
        if (remuxer != null) {
            remuxer.close();
            remuxer = null;
        }
    }
}
