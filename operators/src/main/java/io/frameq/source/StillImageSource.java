package io.frameq.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.MediaReader;
import io.frameq.frame.RgbImage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Still images as one stream, in the given order: one file, or a folder's images. JPEG and PNG are
 * passed on as their original bytes, exactly what a camera publishing stills to Kafka would send;
 * other formats FFmpeg reads (BMP, TIFF, WebP...) are decoded here. Stills have no timeline, so
 * the n-th image is stamped {@code startMs + n * intervalMs}. A file that cannot be read is counted
 * as a decode error and skipped: one bad file should not end a folder.
 */
final class StillImageSource extends SourceBase {

    private static final Logger LOG = LoggerFactory.getLogger(StillImageSource.class);

    private final List<Path> files;
    private final SamplingPolicy.Sampler sampler;
    private final long startMs;
    private final long intervalMs;
    private final DecodeLimits limits;
    private int next;

    StillImageSource(String streamId, String location, List<Path> files, SamplingPolicy sampling, long startMs, long intervalMs,
            DecodeLimits limits, AtomicBoolean stopped) {
        super(streamId, location, stopped);
        this.files = List.copyOf(files);
        this.sampler = sampling.sampler();
        this.startMs = startMs;
        this.intervalMs = intervalMs;
        this.limits = limits;
    }

    @Override
    public CapturedFrame next() throws SourceException {
        while (!stopped.get() && next < files.size()) {
            int index = next++;
            Path file = files.get(index);
            counters.read();
            long ptsMs = index * intervalMs;
            if (!sampler.accept(ptsMs, true)) {
                continue;
            }
            long capture = startMs + ptsMs;
            try {
                byte[] bytes = Files.readAllBytes(file);
                Optional<ContentType> type = ContentType.sniff(bytes).filter(t -> t == ContentType.JPEG || t == ContentType.PNG);
                CapturedFrame frame = type.isPresent()
                        ? new CapturedFrame(streamId, index, capture, ptsMs, true, null, bytes, type.get())
                        : new CapturedFrame(streamId, index, capture, ptsMs, true, decode(file), null, null);
                counters.sampled(capture);
                return frame;
            } catch (IOException | FrameDecodeException e) {
                if (files.size() == 1) {
                    throw new SourceException("source " + location + ": " + e.getMessage(), e);
                }
                counters.decodeErrors(1);
                LOG.warn("{}: skipping {}: {}", streamId, file, e.getMessage());
            }
        }
        return null;
    }

    private RgbImage decode(Path file) throws FrameDecodeException {
        try (MediaReader reader = MediaReader.open("file:" + file.toAbsolutePath(), Map.of(), false, limits)) {
            if (!reader.next()) {
                throw new FrameDecodeException(FrameDecodeException.Reason.CORRUPT, file + ": expected one picture, found none"
                        + (reader.readError() == null ? "" : " (" + reader.readError() + ")"));
            }
            return reader.rgb();
        }
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public void close() {
        // nothing held between frames
    }
}
