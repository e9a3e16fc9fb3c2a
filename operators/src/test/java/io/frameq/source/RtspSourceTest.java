package io.frameq.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.frameq.testing.Fixtures;

import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RTSP through the live source, over TCP (interleaved) and UDP: the bundled FFmpeg program publishes a committed
 * H.264 clip in real time (RTSP ANNOUNCE/RECORD) to the source, which listens for it ({@code rtsp_flags=listen}
 * given as an input option, as {@code --input-option} does). No RTSP server ships with the build, so the source
 * takes the server's side; the RTP depacketising, H.264 decoding, wall-clock stamping and sampling are the ones a
 * camera's pull stream goes through.
 */
class RtspSourceTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void aCameraPublishingOverRtspGivesLiveWallClockFrames(String transport) throws Exception {
        Path clip = Files.write(dir.resolve("plaza.mp4"), Fixtures.resource("/frames/plaza_320x240_h264.mp4"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "rtsp://127.0.0.1:" + port + "/live";
        Sources.Options options = Sources.Options.defaults(0)
                .withInputOptions(Map.of("rtsp_flags", "listen", "rtsp_transport", transport, "listen_timeout", "30"));
        long before = System.currentTimeMillis();

        CompletableFuture<MediaSource> opened = CompletableFuture.supplyAsync(() -> {
            try {
                return Sources.open(SourceSpec.parse("door=" + url), SamplingPolicy.ALL, options);
            } catch (SourceException e) {
                throw new IllegalStateException(e);
            }
        });
        Process publisher = null;
        List<CapturedFrame> frames = new ArrayList<>();
        try {
            // the listener must be up before the camera connects: retry the publisher until it is accepted
            for (int attempt = 0; attempt < 20 && !opened.isDone(); attempt++) {
                if (publisher == null || !publisher.isAlive()) {
                    publisher = publisher(clip, transport, url);
                }
                Thread.sleep(500);
            }
            try (MediaSource source = opened.get(40, TimeUnit.SECONDS)) {
                assertThat(source.live()).as("an RTSP stream states no duration").isTrue();
                while (frames.size() < 20) {
                    CapturedFrame f = source.next();
                    assertThat(f).as("frame %d", frames.size()).isNotNull();
                    frames.add(f);
                }
                assertThat(source.stats().framesRead()).isGreaterThanOrEqualTo(20);
            }
        } finally {
            if (publisher != null) {
                publisher.destroyForcibly();
            }
        }
        assertThat(frames).as("ffmpeg said: %s", Files.readString(dir.resolve("ffmpeg.log"))).allSatisfy(f -> {
            assertThat(f.streamId()).isEqualTo("door");
            assertThat(f.image().width()).isEqualTo(320);
            assertThat(f.image().height()).isEqualTo(240);
            assertThat(f.captureTsMs()).as("wall clock").isBetween(before, System.currentTimeMillis());
        });
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).captureTsMs()).isGreaterThanOrEqualTo(frames.get(i - 1).captureTsMs());
            assertThat(frames.get(i).seq()).isGreaterThan(frames.get(i - 1).seq());
        }
    }

    /** The FFmpeg program bundled with the FFmpeg binding, publishing {@code clip} in a loop in real time. */
    private Process publisher(Path clip, String transport, String url) throws Exception {
        Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        ProcessBuilder pb = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", clip.toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", transport, url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("ffmpeg.log").toFile()));
        // the program links the libraries extracted beside it (libva and friends), not the system's
        pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        return pb.start();
    }
}
