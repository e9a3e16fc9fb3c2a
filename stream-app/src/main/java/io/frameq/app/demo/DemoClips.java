package io.frameq.app.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import io.frameq.frame.RgbImage;
import io.frameq.frame.VideoSegmentDecoder;

/** The sample clips bundled in the jar under {@code /demo/clips/} (licences in LICENSES.md beside them). */
public final class DemoClips {

    private DemoClips() {}

    /**
     * Decodes a bundled clip. FFmpeg opens files, not classpath resources, so the clip is copied to
     * a temporary file first and deleted afterwards.
     */
    public static List<RgbImage> read(String name, int sampleEvery, int maxFrames) {
        String resource = "/demo/clips/" + name;
        try {
            Path tmp = Files.createTempFile("frameq-clip-", ".mp4");
            try (InputStream in = DemoClips.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("bundled demo clip missing from the jar: " + resource);
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return VideoSegmentDecoder.readVideoFile(tmp, sampleEvery, maxFrames);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("demo clip " + name + ": " + e.getMessage(), e);
        }
    }
}
