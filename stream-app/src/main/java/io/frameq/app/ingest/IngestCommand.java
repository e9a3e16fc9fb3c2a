package io.frameq.app.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.frameq.source.CapturedFrame;
import io.frameq.source.FrameRecord;
import io.frameq.source.MediaSource;
import io.frameq.source.ReconnectPolicy;
import io.frameq.source.SamplingPolicy;
import io.frameq.source.SourceException;
import io.frameq.source.SourceSpec;
import io.frameq.source.Sources;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import io.frameq.app.analyze.SourceOptions;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frameq ingest SOURCE... --bootstrap-servers HOSTS --topic T}: publishes each source's
 * sampled frames to a frame topic, as a camera gateway would: JPEG keyed by stream id with the
 * frame-contract headers, through an idempotent producer (a retried send is not written twice).
 * The sources are those of {@code analyze}; each is read on its own thread.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publish the frames of images, folders, image sequences, video files or live URLs to a Kafka frame topic "
                + "(JPEG, keyed by stream id, with the frame-contract headers), for `run` to analyse.",
            "Prints one JSON line per source when it ends: stream, source, frames_read, frames_sent, reconnects, decode_errors, error.",
            "Exit codes: 0 done; 1 a source could not be read or a frame not sent; 2 bad arguments."})
public final class IngestCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestCommand.class);

    @Parameters(arity = "1..*", paramLabel = "SOURCE", description = "[ID=]LOCATION, as for `analyze`.")
    List<String> sources;

    @Mixin
    SourceOptions source = new SourceOptions();

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOSTS", description = "Kafka brokers, host:port[,host:port].")
    String bootstrapServers;

    @Option(names = "--topic", required = true, paramLabel = "T", description = "The frame topic to publish to.")
    String topic;

    @Option(names = "--realtime", description = "Pace files at their own frame rate (capture times then follow the wall clock), "
            + "as if a camera were sending them; without it files are sent as fast as they decode.")
    boolean realtime;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0", description = "Stop each source after N frames sent (segments with --frame-encoding segments; 0: no limit).")
    long maxFrames;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0", description = "Stop each source after this long (0: no limit).")
    double durationSeconds;

    @Option(names = "--start-time", paramLabel = "TIME", converter = io.frameq.app.analyze.StartTimeConverter.class, description = "Capture time of the first frame of files (ISO-8601 or epoch ms; default now).")
    Long startTime;

    @Option(names = "--frame-encoding", paramLabel = "ENC", defaultValue = "jpeg",
            description = "jpeg (default: what cameras publish), raw (RGB24 with frameq-width/-height) or segments (video files and "
                    + "URLs only: the source's own compressed video copied into keyframe-aligned MPEG-TS segments, video/mp2t, "
                    + "nothing decoded or re-encoded; --every and --max-fps need decoding and are refused, --keyframes-only "
                    + "sends one-frame segments of the keyframes). Still JPEG/PNG files go as they are.")
    String frameEncoding;

    @Option(names = "--segment-seconds", paramLabel = "S", defaultValue = "0",
            description = "With --frame-encoding segments: cut at the first keyframe at least S seconds after a segment's start "
                    + "(0, the default: one segment per GOP).")
    double segmentSeconds;

    @Option(names = "--max-message-bytes", paramLabel = "N", defaultValue = "8388608",
            description = "Largest record (the topic's max.message.bytes must allow it; raw frames above it go as JPEG). Default ${DEFAULT-VALUE}.")
    int maxMessageBytes;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE", description = "Kafka producer setting (repeatable), e.g. security.protocol=SSL.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        SamplingPolicy sampling = source.sampling();
        boolean segments = frameEncoding.equalsIgnoreCase("segments");
        FrameRecord.Encoding encoding = switch (frameEncoding.toLowerCase(Locale.ROOT)) {
            case "jpeg", "segments" -> FrameRecord.Encoding.JPEG; // segments carry their own bytes: the encoding is not used
            case "raw" -> FrameRecord.Encoding.RAW;
            default -> throw new IllegalArgumentException("--frame-encoding: expected jpeg, raw or segments, actual '" + frameEncoding + "'");
        };
        List<SourceSpec> specs = Sources.uniqueIds(sources.stream().map(SourceSpec::parse).toList());
        long segmentMs = segments ? segmentOptions(specs) : 0;
        long startMs = startTime == null ? System.currentTimeMillis() : startTime;
        Sources.Options options = Sources.Options.defaults(startMs).withReconnect(ReconnectPolicy.DEFAULTS)
                .withInputOptions(source.inputOptions());
        // the stop hook may run while the list is being filled
        List<Feed> feeds = new CopyOnWriteArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            feeds.forEach(Feed::stop);
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "frameq-ingest-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (SourceSpec spec : specs) {
                feeds.add(new Feed(spec, sampling, options, producer, encoding, segments, segmentMs));
            }
            List<Thread> threads = new ArrayList<>();
            for (Feed f : feeds) {
                Thread t = new Thread(f, "frameq-ingest-" + f.spec.streamId());
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            producer.flush();
            int failures = 0;
            for (Feed f : feeds) {
                System.out.println(f.summaryJson());
                failures += f.error.get() == null && f.sendFailures.get() == 0 ? 0 : 1;
            }
            return failures == 0 ? 0 : 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already (Ctrl-C): the hook waits for us
            }
        }
    }

    /**
     * Checks what segments mode cannot do before anything is opened: sampling that needs decoding, and
     * sources that are not video.
     *
     * @return the shortest segment in ms
     */
    private long segmentOptions(List<SourceSpec> specs) {
        List<String> problems = new ArrayList<>();
        SamplingPolicy sampling = source.sampling();
        if (sampling.everyN() != 1) {
            problems.add("--every " + sampling.everyN() + ": expected 1 (keeping every N-th frame needs decoding; segments copy the compressed "
                    + "video; use --keyframes-only, or jpeg)");
        }
        if (sampling.maxFps() != 0) {
            problems.add("--max-fps " + sampling.maxFps() + ": expected 0 (a frame-rate limit needs decoding; segments copy the compressed "
                    + "video; use --keyframes-only, or jpeg)");
        }
        if (!(segmentSeconds >= 0) || Double.isInfinite(segmentSeconds)) {
            problems.add("--segment-seconds: expected a finite number >= 0, actual " + segmentSeconds);
        }
        for (SourceSpec s : specs) {
            if (s.kind() != SourceSpec.Kind.VIDEO && s.kind() != SourceSpec.Kind.URL) {
                problems.add("source " + s.location() + ": expected a video file or URL for segments, actual "
                        + s.kind().name().toLowerCase(Locale.ROOT) + " (use jpeg or raw)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("--frame-encoding segments: " + String.join("; ", problems));
        }
        return Math.round(segmentSeconds * 1000);
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>(producerProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // idempotence needs acks=all; a retried batch is then written once, in order
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxMessageBytes + 64 * 1024);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    /** One source's thread: read, pace, send. */
    private final class Feed implements Runnable {
        final SourceSpec spec;
        final SamplingPolicy sampling;
        final Sources.Options options;
        final KafkaProducer<String, byte[]> producer;
        final FrameRecord.Encoding encoding;
        final boolean segments;
        final long segmentMs;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong sendFailures = new AtomicLong();
        final AtomicReference<String> error = new AtomicReference<>();
        /** The source's stop flag: it also ends an open or a network read that blocks. */
        final AtomicBoolean stopped = new AtomicBoolean();
        volatile MediaSource source;

        Feed(SourceSpec spec, SamplingPolicy sampling, Sources.Options options, KafkaProducer<String, byte[]> producer,
                FrameRecord.Encoding encoding, boolean segments, long segmentMs) {
            this.spec = spec;
            this.segments = segments;
            this.segmentMs = segmentMs;
            this.sampling = sampling;
            this.options = options;
            this.producer = producer;
            this.encoding = encoding;
        }

        void stop() {
            stopped.set(true);
        }

        @Override
        public void run() {
            long wallStart = System.currentTimeMillis();
            if (durationSeconds > 0) {
                CompletableFuture.delayedExecutor(Math.round(durationSeconds * 1000), TimeUnit.MILLISECONDS).execute(this::stop);
            }
            Sources.Options opened = realtime ? withStart(options, wallStart) : options;
            try (MediaSource s = segments ? Sources.openSegments(spec, sampling, segmentMs, opened, stopped)
                    : Sources.open(spec, sampling, opened, stopped)) {
                source = s;
                CapturedFrame f;
                while ((f = s.next()) != null) {
                    if (realtime && !s.live() && f.ptsMs() >= 0) {
                        long due = wallStart + f.ptsMs();
                        long wait = due - System.currentTimeMillis();
                        if (wait > 0 && !stopped.get()) {
                            Thread.sleep(wait); // pacing to the clip's frame rate is the point of --realtime
                        }
                    }
                    FrameRecord r = FrameRecord.of(f, encoding, maxMessageBytes);
                    producer.send(new ProducerRecord<>(topic, null, r.timestampMs(), r.key(), r.value(), r.headers()), (md, e) -> {
                        if (e != null) {
                            if (sendFailures.incrementAndGet() == 1) {
                                LOG.error("{}: sending to {} failed: {}", spec.streamId(), topic, e.toString());
                            }
                        }
                    });
                    if (sent.incrementAndGet() == maxFrames) {
                        break;
                    }
                }
            } catch (SourceException e) {
                if (!stopped.get()) {
                    error.set(e.getMessage());
                    LOG.error("{}: {}", spec.streamId(), e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                error.set(e.toString());
                LOG.error("{}: ingest failed", spec.streamId(), e);
            }
        }

        String summaryJson() {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("stream", spec.streamId());
            line.put("source", spec.location());
            MediaSource s = source;
            line.put("frames_read", s == null ? 0 : s.stats().framesRead());
            line.put("frames_sent", sent.get() - sendFailures.get());
            if (segments) {
                line.put("unit", "segments"); // frames_sent then counts segments, frames_read the video packets
            }
            line.put("send_failures", sendFailures.get());
            line.put("reconnects", s == null ? 0 : s.stats().reconnects());
            line.put("decode_errors", s == null ? 0 : s.stats().decodeErrors());
            line.put("error", error.get());
            return io.frameq.event.EventJson.toJson(line);
        }
    }

    private static Sources.Options withStart(Sources.Options o, long startMs) {
        return new Sources.Options(startMs, o.stillIntervalMs(), o.reconnect(), o.ioTimeoutMs(), o.limits(), o.clock(),
                o.inputOptions());
    }

}
