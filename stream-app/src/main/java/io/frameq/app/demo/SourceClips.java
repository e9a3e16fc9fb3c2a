package io.frameq.app.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.frameq.frame.ContentType;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.source.CapturedFrame;
import io.frameq.source.MediaSource;
import io.frameq.source.SamplingPolicy;
import io.frameq.source.SourceException;
import io.frameq.source.SourceSpec;
import io.frameq.source.Sources;

/**
 * The demo's clips from the user's own files ({@code demo --source}): any source {@code analyze}
 * reads, its first frames kept as JPEG like the bundled clips. Frames wider than {@link #MAX_WIDTH}
 * are scaled down: the demo plays every clip on several cameras at once on one machine.
 */
final class SourceClips {

    static final int MAX_WIDTH = 960;

    private SourceClips() {}

    /**
     * @throws IllegalArgumentException naming the source when it cannot be read or holds no frame
     */
    static List<byte[]> read(String source, int sampleEvery, int maxFrames, FrameDecoders decoders) {
        List<byte[]> jpegs = new ArrayList<>();
        try (MediaSource s = Sources.open(SourceSpec.parse(source), new SamplingPolicy(sampleEvery, 0, false),
                Sources.Options.defaults(System.currentTimeMillis()))) {
            CapturedFrame f;
            while (jpegs.size() < maxFrames && (f = s.next()) != null) {
                Optional<RgbImage> img = image(f, decoders);
                if (img.isEmpty()) {
                    continue;
                }
                RgbImage frame = img.get();
                if (frame.width() > MAX_WIDTH) {
                    frame = ImageEncoder.resize(frame, MAX_WIDTH, Math.max(2, Math.round((float) frame.height() * MAX_WIDTH / frame.width())));
                }
                jpegs.add(f.encodedType() == ContentType.JPEG && frame == img.get() ? f.encoded() : ImageEncoder.jpeg(frame, 92));
            }
        } catch (SourceException e) {
            throw new IllegalArgumentException("--source: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("--source " + source + ": interrupted", e);
        }
        if (jpegs.isEmpty()) {
            throw new IllegalArgumentException("--source " + source + ": expected at least one decodable frame, actual none");
        }
        return jpegs;
    }

    private static Optional<RgbImage> image(CapturedFrame f, FrameDecoders decoders) {
        if (f.image() != null) {
            return Optional.of(f.image());
        }
        try {
            return Optional.of(decoders.decode(f.encoded(), FrameMetadata.of(f.encodedType())).get(0).image());
        } catch (FrameDecodeException e) {
            return Optional.empty(); // a broken still in a folder: skip it, as analyze's topology would dead-letter it
        }
    }
}
