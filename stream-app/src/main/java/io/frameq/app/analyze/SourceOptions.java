package io.frameq.app.analyze;

import java.util.LinkedHashMap;
import java.util.Map;

import io.frameq.source.SamplingPolicy;

import picocli.CommandLine.Option;

/**
 * The options of `analyze` and `ingest` that say which frames of a source to take and how to open a URL: one
 * definition, mixed into both commands, so the two read sources the same way.
 */
public final class SourceOptions {

    @Option(names = "--every", paramLabel = "N", defaultValue = "1", description = "Take every N-th frame of each source (default ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--max-fps", paramLabel = "F", defaultValue = "0",
            description = "Take at most F frames per second of each source's timeline (default 0: no limit).")
    double maxFps;

    @Option(names = "--keyframes-only", description = "Take keyframes only (the others are not even decoded).")
    boolean keyframesOnly;

    @Option(names = "--input-option", paramLabel = "KEY=VALUE", description = "FFmpeg demuxer or protocol option for URL "
            + "sources (repeatable), overriding FrameQ's own, e.g. rtsp_transport=udp, rtsp_flags=listen, fflags=nobuffer.")
    Map<String, String> inputOptions = new LinkedHashMap<>();

    /** The sampling these options ask for; its record validates them. */
    public SamplingPolicy sampling() {
        return new SamplingPolicy(every, maxFps, keyframesOnly);
    }

    public Map<String, String> inputOptions() {
        return inputOptions;
    }
}
