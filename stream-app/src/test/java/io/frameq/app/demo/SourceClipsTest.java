package io.frameq.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.frameq.app.analyze.ClipWriter;
import io.frameq.app.analyze.TestScenes;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceClipsTest {

    @TempDir
    Path dir;

    @Test
    void aClipBecomesEverySecondFrameAsJpegUpToTheLimitAndWideFramesAreScaledDown() throws Exception {
        Path clip = ClipWriter.write(dir.resolve("own.mkv"), "mjpeg", 10, TestScenes.panThenFreeze(30, 0));
        RgbImage wide = ImageEncoder.resize(TestScenes.photo(), 1280, 960);
        Path wideClip = ClipWriter.write(dir.resolve("wide.avi"), "mpeg4", 10, List.of(wide, wide, wide));

        try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            List<byte[]> frames = SourceClips.read(clip.toString(), 2, 10, decoders);
            List<byte[]> scaled = SourceClips.read(wideClip.toString(), 1, 10, decoders);

            assertThat(frames).hasSize(10);
            RgbImage first = decoders.decode(frames.get(0), FrameMetadata.of(null)).get(0).image();
            assertThat(first.width()).isEqualTo(320);
            assertThat(scaled).hasSize(3);
            RgbImage big = decoders.decode(scaled.get(0), FrameMetadata.of(null)).get(0).image();
            assertThat(big.width()).isEqualTo(SourceClips.MAX_WIDTH);
            assertThat(big.height()).isEqualTo(720);
        }
    }

    @Test
    void aStillJpegIsPlayedAsItIs() throws Exception {
        byte[] jpeg = ImageEncoder.jpeg(TestScenes.photo(), 90);
        Path still = Files.write(dir.resolve("still.jpg"), jpeg);

        try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            assertThat(SourceClips.read(still.toString(), 2, 10, decoders)).containsExactly(jpeg);
        }
    }

    @Test
    void aFolderWithoutImagesIsNamed() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            assertThatThrownBy(() -> SourceClips.read(empty.toString(), 2, 10, decoders))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--source").hasMessageContaining("empty");
        }
    }
}
