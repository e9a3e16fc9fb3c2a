package io.frameq.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.frameq.source.CapturedFrame;
import io.frameq.source.MediaSource;
import io.frameq.source.SamplingPolicy;
import io.frameq.source.SourceSpec;
import io.frameq.source.Sources;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The source layer on each codec and container the bundled FFmpeg both writes and reads. */
class SourceCodecsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"mpeg4, avi", "mpeg4, mov", "mjpeg, mkv", "libopenh264, mp4", "libopenh264, ts", "libvpx-vp9, mkv", "libaom-av1, mkv"})
    void readsEveryFrameWithItsTimestamp(String encoder, String container) throws Exception {
        Path clip = ClipWriter.write(dir.resolve("clip." + container), encoder, 10, TestScenes.panThenFreeze(10, 0));
        List<CapturedFrame> frames = new ArrayList<>();
        try (MediaSource s = Sources.open(SourceSpec.parse(clip.toString()), SamplingPolicy.ALL, Sources.Options.defaults(0))) {
            CapturedFrame f;
            while ((f = s.next()) != null) {
                frames.add(f);
            }
        }

        assertThat(frames).hasSize(10);
        assertThat(frames).extracting(CapturedFrame::ptsMs).containsExactly(0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L);
        assertThat(frames).allSatisfy(f -> assertThat(f.image().width()).isEqualTo(TestScenes.WIDTH));
        assertThat(frames.get(0).keyframe()).isTrue();
    }
}
