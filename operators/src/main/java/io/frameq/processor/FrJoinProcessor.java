package io.frameq.processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.frameq.event.FrScoreEvent;
import io.frameq.frame.ContentType;
import io.frameq.frame.DecodedFrame;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.ImageEncoder;
import io.frameq.join.BufferedFrame;
import io.frameq.join.FramePair;
import io.frameq.join.JoinPolicy;
import io.frameq.join.OriginResolver;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.scoring.FrPairScorer;
import io.frameq.processor.DecodeProcessor.DecodedInput;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The windowed stream-stream join of rendition frames with their origin frames, keyed by origin
 * stream id (both inputs arrive keyed by origin: renditions through {@link RenditionRouter} and the
 * repartition topic). Each side waits in its own changelogged store as encoded bytes
 * ({@link BufferedFrame}); a frame pairs on arrival with every buffered partner of the same match
 * key whose timestamp is within the window ({@link JoinPolicy}); one origin frame pairs with each of
 * its renditions. A stream-time punctuation evicts frames whose timestamp is more than
 * window + grace behind stream time; one that never paired is reported with an unmatched
 * {@link FrScoreEvent} and counted in {@code frameq_fr_unmatched_total{side,reason}}: nothing is
 * dropped silently. After a crash the stores are restored from their changelogs and the in-memory
 * eviction index is rebuilt from them in {@link #init}.
 */
public final class FrJoinProcessor implements Processor<String, FrJoinInput, String, Object> {

    public static final String STAGE = "fr-join";
    public static final String NO_PARTNER = "no_partner";
    public static final String LATE = "late";
    public static final String BUFFER_FULL = "buffer_full";
    private static final Logger LOG = LoggerFactory.getLogger(FrJoinProcessor.class);
    private static final String SEP = "\u001f"; // not in stream ids in practice; keeps prefixes unambiguous
    private static final StringSerializer KEYS = new StringSerializer();

    private final JoinPolicy policy;
    private final FrameDecoders decoders;
    private final FrameqMetrics metrics;
    private final String originStoreName;
    private final String renditionStoreName;
    private final Outlet<FramePair> pairs;
    private final Outlet<FrScoreEvent> unmatched;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Object> context;
    private Side origins;
    private Side renditions;

    /**
     * @param originStore key-value store of the origin frames waiting for renditions
     * @param renditionStore key-value store of the rendition frames waiting for their origin
     * @param pairs receives each {@link FramePair}
     * @param unmatched receives the event of each frame that never paired
     */
    public FrJoinProcessor(JoinPolicy policy, FrameDecoders decoders, FrameqMetrics metrics, String originStore,
                           String renditionStore, Outlet<FramePair> pairs, Outlet<FrScoreEvent> unmatched,
                           Outlet<DeadLettered> deadLetters) {
        this.policy = policy;
        this.decoders = decoders;
        this.metrics = metrics;
        this.originStoreName = originStore;
        this.renditionStoreName = renditionStore;
        this.pairs = pairs;
        this.unmatched = unmatched;
        this.deadLetters = new DeadLetters(deadLetters, metrics);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        origins = new Side(FrScoreEvent.SIDE_ORIGIN, context.getStateStore(originStoreName));
        renditions = new Side(FrScoreEvent.SIDE_RENDITION, context.getStateStore(renditionStoreName));
        context.schedule(java.time.Duration.ofMillis(policy.punctuateIntervalMs()), PunctuationType.STREAM_TIME, this::evict);
    }

    @Override
    public void process(Record<String, FrJoinInput> input) {
        Record<String, DecodedInput> record = input.withValue(input.value().decoded());
        Frame frame = record.value().frame();
        boolean isRendition = input.value().rendition();
        long matchKey = policy.matchOn() == JoinPolicy.MatchOn.SEQ ? frame.seq() : frame.ptsMillis();
        if (matchKey < 0) {
            deadLetters.send(context, record, frame.payload(), frame.source(), STAGE, "no_pts",
                    new IllegalArgumentException("frame " + frame.source().eventId() + ": fr join on pts needs header "
                            + FrameHeaders.PTS + " or a video pts, actual none"));
            return;
        }
        long horizon = context.currentStreamTimeMs() - policy.retentionMs();
        boolean late = record.timestamp() < horizon;
        long now = System.currentTimeMillis();
        if (isRendition) {
            String renditionId = header(record, OriginResolver.RENDITION_HEADER, record.key());
            String originKey = originKey(record.key(), matchKey);
            BufferedFrame partner = origins.get(originKey);
            if (partner != null && inWindow(partner.timestamp(), record.timestamp())) {
                Frame origin = decode(partner);
                if (origin == null) {
                    return;
                }
                if (!partner.matched()) {
                    origins.put(originKey, partner.withMatched());
                }
                forwardPair(record, origin, frame, renditionId, now - partner.arrivedWallMs(), record.value().decodeNanos());
                return;
            }
            BufferedFrame buffered = buffer(record, frame, renditionId, matchKey, now);
            if (late) {
                reportUnmatched(renditions.side, buffered, LATE, record.timestamp());
            } else {
                renditions.add(renditionKey(record.key(), matchKey, renditionId), buffered, record.timestamp());
            }
            return;
        }
        boolean matched = false;
        List<KeyValue<String, BufferedFrame>> waiting = renditions.prefix(originKey(record.key(), matchKey) + SEP);
        for (KeyValue<String, BufferedFrame> w : waiting) {
            if (!inWindow(w.value.timestamp(), record.timestamp())) {
                continue;
            }
            Frame rendition = decode(w.value);
            renditions.remove(w.key);
            if (rendition != null) {
                forwardPair(record, frame, rendition, w.value.renditionId(), now - w.value.arrivedWallMs(),
                        record.value().decodeNanos());
                matched = true;
            }
        }
        BufferedFrame buffered = buffer(record, frame, "", matchKey, now);
        BufferedFrame earlier = origins.get(originKey(record.key(), matchKey));
        if (earlier != null && earlier.matched()) {
            matched = true; // a re-delivered origin (after a crash) keeps what its first delivery paired
        }
        if (matched) {
            buffered = buffered.withMatched();
        }
        if (late) {
            if (!matched) {
                reportUnmatched(origins.side, buffered, LATE, record.timestamp());
            }
            return; // its renditions are behind the horizon too: nothing more will pair with it
        }
        origins.add(originKey(record.key(), matchKey), buffered, record.timestamp());
    }

    private boolean inWindow(long a, long b) {
        return Math.abs(a - b) <= policy.windowMs();
    }

    private void forwardPair(Record<String, DecodedInput> record, Frame origin, Frame rendition, String renditionId, long waitMs,
                             long decodeNanos) {
        pairs.send(context, new Record<>(renditionId, new FramePair(origin, rendition, renditionId, Math.max(0, waitMs),
                decodeNanos), record.timestamp(), record.headers()));
    }

    /** Stream-time eviction: frames behind the horizon leave the store; those that never paired are reported. */
    private void evict(long streamTime) {
        long horizon = streamTime - policy.retentionMs();
        origins.evictBefore(horizon, streamTime);
        renditions.evictBefore(horizon, streamTime);
    }

    private BufferedFrame buffer(Record<String, DecodedInput> record, Frame frame, String renditionId, long matchKey, long now) {
        ContentType type = FrameDecoders.metadataFrom(record.headers()).contentType()
                .orElseGet(() -> ContentType.sniff(frame.payload()).orElse(ContentType.PNG));
        String mime;
        byte[] bytes;
        if (type.isVideo()) {
            // one frame of a segment: keep that frame alone, losslessly, not the whole segment; a PNG
            // above the record limit (a 4K frame) would not fit the changelog, so it falls back to JPEG 95
            mime = ContentType.PNG.mime();
            bytes = ImageEncoder.png(frame.image());
            if (bytes.length > decoders.limits().maxPayloadBytes()) {
                mime = ContentType.JPEG.mime();
                bytes = ImageEncoder.jpeg(frame.image(), 95);
            }
        } else {
            mime = type.mime();
            bytes = frame.payload();
        }
        return new BufferedFrame(record.key(), renditionId, matchKey, frame.seq(), frame.ptsMillis(), frame.captureTimeMs(),
                record.timestamp(), now, frame.source(), mime, frame.width(), frame.height(), false, bytes);
    }

    private Frame decode(BufferedFrame b) {
        try {
            List<DecodedFrame> frames = decoders.decode(b.payload(), b.metadata());
            return new Frame(b.originId(), b.seq(), b.ptsMillis(), b.captureTimeMs(), System.nanoTime(), frames.get(0).image(),
                    b.source(), b.payload());
        } catch (RuntimeException e) { // FrameDecodeException included
            // it decoded when it arrived, so this is a store or decoder fault: dead-letter the buffered bytes
            deadLetters.send(context, new Record<>(b.originId(), b.payload(), b.timestamp()), b.payload(), b.source(), STAGE,
                    "redecode_failed", e);
            return null;
        }
    }

    private void reportUnmatched(String side, BufferedFrame b, String reason, long timestamp) {
        FrScoreEvent event = FrPairScorer.unmatched(b, side, reason, System.currentTimeMillis());
        unmatched.send(context, new Record<>(event.stream(), event, timestamp, FrPairScorer.headers(event)));
        metrics.fr().unmatched(side, reason);
        LOG.debug("fr unmatched side={} reason={} stream={} seq={}", side, reason, event.stream(), b.seq());
    }

    private static String header(Record<?, ?> record, String name, String fallback) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? fallback : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String originKey(String originId, long matchKey) {
        return originId + SEP + matchKey;
    }

    private static String renditionKey(String originId, long matchKey, String renditionId) {
        return originId + SEP + matchKey + SEP + renditionId;
    }

    /** One side's store plus an in-memory index by timestamp (rebuilt from the store) for eviction and the byte bound. */
    private final class Side {
        private record Entry(long timestamp, String key, int bytes) {}

        private final String side;
        private final KeyValueStore<String, byte[]> store;
        private final TreeSet<Entry> byTime = new TreeSet<>(Comparator.comparingLong(Entry::timestamp).thenComparing(Entry::key));
        private final Map<String, Entry> byKey = new HashMap<>();
        private long bytes;

        Side(String side, KeyValueStore<String, byte[]> store) {
            this.side = side;
            this.store = store;
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    index(kv.key, BufferedFrame.fromBytes(kv.value).timestamp(), kv.value.length);
                }
            }
        }

        BufferedFrame get(String key) {
            byte[] v = store.get(key);
            return v == null ? null : BufferedFrame.fromBytes(v);
        }

        List<KeyValue<String, BufferedFrame>> prefix(String prefix) {
            List<KeyValue<String, BufferedFrame>> out = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, KEYS)) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    out.add(KeyValue.pair(kv.key, BufferedFrame.fromBytes(kv.value)));
                }
            }
            return out;
        }

        /** Adds a frame, first evicting the oldest (reported when unmatched) while the byte bound would be exceeded. */
        void add(String key, BufferedFrame frame, long timestamp) {
            byte[] value = frame.toBytes();
            unindex(key);
            if (value.length > policy.maxBufferedBytes()) {
                reportUnmatched(side, frame, BUFFER_FULL, timestamp);
                store.delete(key);
                return;
            }
            while (bytes + value.length > policy.maxBufferedBytes() && !byTime.isEmpty()) {
                Entry oldest = byTime.first();
                BufferedFrame old = get(oldest.key());
                remove(oldest.key());
                if (old != null && !old.matched()) {
                    reportUnmatched(side, old, BUFFER_FULL, timestamp);
                }
            }
            store.put(key, value);
            index(key, frame.timestamp(), value.length);
        }

        void put(String key, BufferedFrame frame) {
            byte[] value = frame.toBytes();
            unindex(key);
            store.put(key, value);
            index(key, frame.timestamp(), value.length);
        }

        void remove(String key) {
            unindex(key);
            store.delete(key);
        }

        void evictBefore(long horizon, long streamTime) {
            while (!byTime.isEmpty() && byTime.first().timestamp() < horizon) {
                Entry e = byTime.first();
                BufferedFrame f = get(e.key());
                remove(e.key());
                if (f != null && !f.matched()) {
                    reportUnmatched(side, f, NO_PARTNER, streamTime);
                }
            }
        }

        private void index(String key, long timestamp, int size) {
            Entry e = new Entry(timestamp, key, size);
            byTime.add(e);
            byKey.put(key, e);
            bytes += size;
        }

        private void unindex(String key) {
            Entry e = byKey.remove(key);
            if (e != null) {
                byTime.remove(e);
                bytes -= e.bytes();
            }
        }
    }
}
