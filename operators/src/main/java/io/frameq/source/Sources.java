package io.frameq.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.MediaReader;

/** Opens {@link MediaSource}s from {@link SourceSpec}s. */
public final class Sources {

    /**
     * How sources are opened beyond their sampling.
     *
     * @param inputOptions FFmpeg demuxer and protocol options for URL sources, applied last so they override FrameQ's
     *     own (e.g. {@code rtsp_transport=udp}, {@code rtsp_flags=listen}, {@code fflags=nobuffer})
     */
    public record Options(long startMs, long stillIntervalMs, ReconnectPolicy reconnect, long ioTimeoutMs, DecodeLimits limits,
                          LongSupplier clock, Map<String, String> inputOptions) {
        public Options {
            inputOptions = Map.copyOf(inputOptions);
        }

        public Options(long startMs, long stillIntervalMs, ReconnectPolicy reconnect, long ioTimeoutMs, DecodeLimits limits,
                       LongSupplier clock) {
            this(startMs, stillIntervalMs, reconnect, ioTimeoutMs, limits, clock, Map.of());
        }

        public static Options defaults(long startMs) {
            return new Options(startMs, 1000, ReconnectPolicy.DEFAULTS, 10_000, DecodeLimits.DEFAULT, System::currentTimeMillis);
        }

        public Options withReconnect(ReconnectPolicy policy) {
            return new Options(startMs, stillIntervalMs, policy, ioTimeoutMs, limits, clock, inputOptions);
        }

        public Options withInputOptions(Map<String, String> options) {
            return new Options(startMs, stillIntervalMs, reconnect, ioTimeoutMs, limits, clock, options);
        }
    }

    private Sources() {}

    /** Makes stream ids unique by appending -2, -3... to repeats, keeping the order. */
    public static List<SourceSpec> uniqueIds(List<SourceSpec> specs) {
        Set<String> seen = new HashSet<>();
        List<SourceSpec> out = new ArrayList<>();
        for (SourceSpec s : specs) {
            String id = s.streamId();
            for (int n = 2; !seen.add(id); n++) {
                id = s.streamId() + "-" + n;
            }
            out.add(id.equals(s.streamId()) ? s : s.withStreamId(id));
        }
        return out;
    }

    /**
     * Opens a source.
     *
     * @throws SourceException naming the source when it cannot be opened
     */
    public static MediaSource open(SourceSpec spec, SamplingPolicy sampling, Options options) throws SourceException {
        return open(spec, sampling, options, new AtomicBoolean());
    }

    /**
     * Opens a source that ends once {@code stop} is set, from any thread: also while it is being opened
     * or blocked in a network read (FFmpeg's interrupt callback watches the flag). It is the source's
     * own stop flag ({@link MediaSource#stop()} sets it).
     *
     * @throws SourceException naming the source when it cannot be opened (or {@code stop} was set meanwhile)
     */
    public static MediaSource open(SourceSpec spec, SamplingPolicy sampling, Options options, AtomicBoolean stop) throws SourceException {
        String local = SourceSpec.localPath(spec.location());
        return switch (spec.kind()) {
            case IMAGE -> new StillImageSource(spec.streamId(), spec.location(), List.of(Path.of(local)), sampling, options.startMs(),
                    options.stillIntervalMs(), options.limits(), stop);
            case DIRECTORY -> {
                List<Path> images = imagesUnder(Path.of(local));
                if (images.isEmpty()) {
                    throw new SourceException("source " + spec.location() + ": expected image files (" + SourceSpec.IMAGE_EXTENSIONS
                            + ") in the folder or below, actual none");
                }
                yield new StillImageSource(spec.streamId(), spec.location(), images, sampling, options.startMs(),
                        options.stillIntervalMs(), options.limits(), stop);
            }
            case SEQUENCE -> {
                Map<String, String> av = new HashMap<>();
                av.put(MediaReader.FORMAT_OPTION, "image2");
                if (local.contains("*")) {
                    av.put("pattern_type", "glob");
                }
                yield new VideoSource(spec.streamId(), spec.location(), imageSequence(local), av, sampling, options.startMs(),
                        options.limits(), stop);
            }
            case VIDEO -> new VideoSource(spec.streamId(), spec.location(), "file:" + Path.of(local).toAbsolutePath(),
                    Map.of("protocol_whitelist", "file,crypto,data"), sampling, options.startMs(), options.limits(), stop);
            case URL -> openUrl(spec, sampling, options, stop);
        };
    }

    /**
     * Opens a video file or video URL as a {@link SegmentSource}: its compressed video copied into
     * keyframe-aligned MPEG-TS segments, nothing decoded. A URL that states its duration is read once on
     * its pts timeline; any other is live (wall clock, reconnects), as for {@link #open}.
     *
     * @param sampling only {@link SamplingPolicy#keyframesOnly()} applies (one-frame segments of the keyframes):
     *     keeping every N-th frame or at most F per second would need decoding, so those are refused
     * @param segmentMs shortest segment: cut at the first keyframe this long after the segment's start; 0 cuts at
     *     every keyframe (one GOP per segment)
     * @throws IllegalArgumentException when the sampling needs decoding or segmentMs is negative
     * @throws SourceException naming the source when it is not a video file or URL, or cannot be opened, or its
     *     codec cannot travel in MPEG-TS
     */
    public static MediaSource openSegments(SourceSpec spec, SamplingPolicy sampling, long segmentMs, Options options, AtomicBoolean stop)
            throws SourceException {
        List<String> problems = new ArrayList<>();
        if (sampling.everyN() != 1) {
            problems.add("everyN: expected 1, actual " + sampling.everyN());
        }
        if (sampling.maxFps() != 0) {
            problems.add("maxFps: expected 0 (no limit), actual " + sampling.maxFps());
        }
        if (segmentMs < 0) {
            problems.add("segmentMs: expected >= 0 (0: one GOP per segment), actual " + segmentMs);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("segments of " + spec.location() + ": " + String.join("; ", problems)
                    + " (segments are copied without decoding, so frames can only be kept all or keyframes only)");
        }
        if (spec.kind() != SourceSpec.Kind.VIDEO && spec.kind() != SourceSpec.Kind.URL) {
            throw new SourceException("source " + spec.location() + ": segments: expected a video file or video URL, actual "
                    + spec.kind().name().toLowerCase(java.util.Locale.ROOT) + " (send stills and image sequences as jpeg or raw frames)");
        }
        boolean url = spec.kind() == SourceSpec.Kind.URL;
        Map<String, String> av;
        String target;
        if (url) {
            av = networkOptions(spec.location(), options.ioTimeoutMs());
            av.putAll(options.inputOptions());
            target = spec.location();
        } else {
            av = Map.of("protocol_whitelist", "file,crypto,data");
            target = "file:" + Path.of(SourceSpec.localPath(spec.location())).toAbsolutePath();
        }
        io.frameq.frame.SegmentRemuxer remuxer;
        try {
            remuxer = io.frameq.frame.SegmentRemuxer.open(target, av, options.limits(), url ? stop::get : null);
        } catch (FrameDecodeException e) {
            throw new SourceException("source " + spec.location() + ": " + e.getMessage() + " [" + e.reasonCode() + "]", e);
        }
        boolean live = url && remuxer.durationMillis() <= 0;
        return new SegmentSource(spec.streamId(), spec.location(), target, av, remuxer, live, stop, segmentMs, sampling.keyframesOnly(),
                options.startMs(), options.reconnect(), options.limits(), options.clock());
    }

    /**
     * A URL that states its duration is finite media (read once, pts timeline); one that does not is
     * live (wall clock, reconnects).
     */
    private static MediaSource openUrl(SourceSpec spec, SamplingPolicy sampling, Options options, AtomicBoolean stop)
            throws SourceException {
        Map<String, String> av = networkOptions(spec.location(), options.ioTimeoutMs());
        av.putAll(options.inputOptions());
        MediaReader reader;
        try {
            reader = MediaReader.open(spec.location(), av, sampling.keyframesOnly(), options.limits(), stop::get);
        } catch (FrameDecodeException e) {
            throw new SourceException("source " + spec.location() + ": " + e.getMessage() + " [" + e.reasonCode() + "]", e);
        }
        if (reader.durationMillis() > 0) {
            return new VideoSource(spec.streamId(), spec.location(), reader, sampling, options.startMs(), stop);
        }
        return new LiveSource(spec.streamId(), spec.location(), spec.location(), av, reader, stop, sampling, options.reconnect(),
                options.limits(), options.clock());
    }

    /** Protocol options for network inputs: bounded waits, RTSP over TCP (no lost UDP packets), HTTP reconnects. */
    static Map<String, String> networkOptions(String url, long ioTimeoutMs) {
        Map<String, String> av = new LinkedHashMap<>();
        String micros = Long.toString(ioTimeoutMs * 1000);
        // rw_timeout is honoured by every protocol: a stalled read returns an error instead of blocking forever
        av.put("rw_timeout", micros);
        // FFmpeg probes 5 s of stream by default before the first frame; a live stream delivers them in real time
        av.put("analyzeduration", "2000000");
        String scheme = url.substring(0, url.indexOf("://")).toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "rtsp", "rtsps" -> {
                av.put("rtsp_transport", "tcp");
                av.put("timeout", micros);
            }
            case "http", "https" -> {
                av.put("reconnect", "1");
                av.put("reconnect_streamed", "1");
                av.put("reconnect_delay_max", "5");
            }
            case "udp", "rtp", "srt" -> av.put("timeout", micros);
            default -> { }
        }
        return av;
    }

    private static String imageSequence(String pattern) {
        Path p = Path.of(pattern).toAbsolutePath();
        return p.toString(); // the image2 demuxer takes a plain path (no file: prefix: it expands the pattern itself)
    }

    /** Image files under {@code dir}, recursively, sorted by path. */
    static List<Path> imagesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> SourceSpec.IMAGE_EXTENSIONS.contains(SourceSpec.extension(f.getFileName().toString())))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("source " + dir + ": cannot list the folder: " + e.getMessage(), e);
        }
    }
}
