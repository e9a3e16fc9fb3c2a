package io.frameq.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSpecTest {

    @TempDir
    Path dir;

    @Test
    void kindsAndStreamIdsFollowTheLocation() throws Exception {
        Path video = Files.write(dir.resolve("gate cam.mp4"), new byte[] {1});
        Path still = Files.write(dir.resolve("door.JPG"), new byte[] {1});
        Path folder = Files.createDirectories(dir.resolve("lobby"));

        assertThat(SourceSpec.parse(video.toString())).isEqualTo(new SourceSpec("gate-cam", video.toString(), SourceSpec.Kind.VIDEO));
        assertThat(SourceSpec.parse(still.toString()).kind()).isEqualTo(SourceSpec.Kind.IMAGE);
        assertThat(SourceSpec.parse(folder.toString())).isEqualTo(new SourceSpec("lobby", folder.toString(), SourceSpec.Kind.DIRECTORY));
        assertThat(SourceSpec.parse(folder + "/img%04d.png")).extracting(SourceSpec::kind, SourceSpec::streamId)
                .containsExactly(SourceSpec.Kind.SEQUENCE, "lobby-img-04d");
        assertThat(SourceSpec.parse("rtsp://user:pw@10.0.0.7:554/stream1?tcp")).extracting(SourceSpec::kind, SourceSpec::streamId)
                .containsExactly(SourceSpec.Kind.URL, "10.0.0.7-554-stream1");
    }

    @Test
    void anExplicitIdWinsAndAUrlWithEqualsSignsStaysAUrl() {
        assertThat(SourceSpec.parse("cam-7=rtsp://10.0.0.7/live")).isEqualTo(new SourceSpec("cam-7", "rtsp://10.0.0.7/live",
                SourceSpec.Kind.URL));
        assertThat(SourceSpec.parse("http://host/feed?id=3").location()).isEqualTo("http://host/feed?id=3");
    }

    @Test
    void repeatedIdsAreNumbered() {
        List<SourceSpec> specs = Sources.uniqueIds(List.of(SourceSpec.parse("a=http://x/1"), SourceSpec.parse("a=http://x/2"),
                SourceSpec.parse("a=http://x/3")));

        assertThat(specs).extracting(SourceSpec::streamId).containsExactly("a", "a-2", "a-3");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> SourceSpec.parse(dir.resolve("nope.mkv").toString()))
                .hasMessageContaining("nope.mkv").hasMessageContaining("no such file or folder");
    }

    @Test
    void backoffDoublesUpToTheCap() {
        ReconnectPolicy p = new ReconnectPolicy(500, 3000, 5);

        assertThat(List.of(p.delayMs(1), p.delayMs(2), p.delayMs(3), p.delayMs(4), p.delayMs(9))).containsExactly(500L, 1000L, 2000L,
                3000L, 3000L);
    }
}
