package io.frameq.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.frameq.frame.ContentType;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.ImageEncoder;
import io.frameq.testing.Fixtures;
import io.frameq.testing.Images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source layer on the committed clips (H.264 in MP4 and MPEG-TS, MPEG-4 in AVI) and on files the tests write. */
class SourcesTest {

    private static final long START = 1_767_225_600_000L;

    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        return Files.write(dir.resolve(name), Fixtures.resource("/frames/" + name));
    }

    private static List<CapturedFrame> readAll(MediaSource s) throws Exception {
        List<CapturedFrame> frames = new ArrayList<>();
        CapturedFrame f;
        while ((f = s.next()) != null) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void videoFilesInEveryContainerGiveFramesOnTheirOwnTimelineFromZero() throws Exception {
        for (String name : List.of("plaza_320x240_h264.mp4", "plaza_320x240_h264.ts", "plaza_160x120_mpeg4.avi")) {
            Path clip = fixture(name);
            try (MediaSource s = Sources.open(SourceSpec.parse(clip.toString()), SamplingPolicy.ALL, Sources.Options.defaults(START))) {
                List<CapturedFrame> frames = readAll(s);

                assertThat(frames).as(name).hasSizeGreaterThan(5);
                assertThat(frames.get(0).ptsMs()).as(name + ": pts rebased to the first frame (MPEG-TS starts near 1.4 s)").isZero();
                assertThat(frames.get(0).captureTsMs()).isEqualTo(START);
                for (int i = 1; i < frames.size(); i++) {
                    assertThat(frames.get(i).ptsMs()).as(name + " frame " + i).isGreaterThan(frames.get(i - 1).ptsMs());
                    assertThat(frames.get(i).captureTsMs()).isEqualTo(START + frames.get(i).ptsMs());
                    assertThat(frames.get(i).seq()).isEqualTo(i);
                }
                assertThat(frames.get(0).keyframe()).isTrue();
                assertThat(s.stats().framesRead()).isEqualTo(frames.size());
                assertThat(s.stats().framesSampled()).isEqualTo(frames.size());
                assertThat(s.stats().lastFrameTimeMs()).isEqualTo(frames.get(frames.size() - 1).captureTsMs());
            }
        }
    }

    @Test
    void samplingCountsEveryFrameReadButHandsOnOnlyTheKeptOnes() throws Exception {
        Path clip = fixture("plaza_320x240_h264.mp4");
        try (MediaSource s = Sources.open(SourceSpec.parse(clip.toString()), new SamplingPolicy(3, 0, false), Sources.Options.defaults(START))) {
            List<CapturedFrame> frames = readAll(s);

            assertThat(frames).extracting(CapturedFrame::seq).allSatisfy(seq -> assertThat(seq % 3).isZero());
            assertThat(s.stats().framesRead()).isGreaterThan(s.stats().framesSampled())
                    .isBetween(frames.get(frames.size() - 1).seq() + 1, frames.get(frames.size() - 1).seq() + 3);
            assertThat(s.stats().framesSampled()).isEqualTo(frames.size());
        }
    }

    @Test
    void anImageSequencePatternIsReadInNumberOrderAndAFolderInPathOrderWithOriginalBytes() throws Exception {
        Path seq = Files.createDirectories(dir.resolve("seq"));
        Path folder = Files.createDirectories(dir.resolve("folder/nested"));
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] png = ImageEncoder.png(Images.synthetic(64, 48, i));
            pngs.add(png);
            Files.write(seq.resolve(String.format("img%03d.png", i)), png);
        }
        Files.write(dir.resolve("folder/b.png"), pngs.get(1));
        Files.write(dir.resolve("folder/a.png"), pngs.get(0));
        Files.write(dir.resolve("folder/nested/c.png"), pngs.get(2));

        try (MediaSource s = Sources.open(SourceSpec.parse(seq + "/img%03d.png"), SamplingPolicy.ALL, Sources.Options.defaults(START));
             MediaSource f = Sources.open(SourceSpec.parse(dir.resolve("folder").toString()), SamplingPolicy.ALL,
                     Sources.Options.defaults(START))) {
            List<CapturedFrame> sequence = readAll(s);
            List<CapturedFrame> stills = readAll(f);

            assertThat(sequence).hasSize(5).allSatisfy(c -> assertThat(c.image().width()).isEqualTo(64));
            assertThat(stills).extracting(CapturedFrame::encoded).containsExactly(pngs.get(0), pngs.get(1), pngs.get(2));
            assertThat(stills).extracting(CapturedFrame::captureTsMs).containsExactly(START, START + 1000, START + 2000);
            assertThat(f.stats().framesRead()).isEqualTo(3);
        }
    }

    @Test
    void aDamagedClipKeepsItsIntactFramesAndCountsTheDamage() throws Exception {
        byte[] ts = Fixtures.resource("/frames/plaza_320x240_h264.ts");
        java.util.Random rnd = new java.util.Random(7);
        for (int i = ts.length / 3; i < ts.length * 2 / 3; i += 1500) {
            ts[i + 10 + rnd.nextInt(100)] ^= (byte) 0x5a; // inside packets' payload, sync bytes untouched
        }
        Path clip = Files.write(dir.resolve("damaged.ts"), ts);
        Path intact = fixture("plaza_320x240_h264.ts");
        try (MediaSource good = Sources.open(SourceSpec.parse(intact.toString()), SamplingPolicy.ALL, Sources.Options.defaults(START));
             MediaSource bad = Sources.open(SourceSpec.parse(clip.toString()), SamplingPolicy.ALL, Sources.Options.defaults(START))) {
            int all = readAll(good).size();
            List<CapturedFrame> kept = readAll(bad);

            assertThat(bad.stats().decodeErrors()).isPositive();
            assertThat(kept).hasSizeGreaterThan(all / 3).hasSizeLessThanOrEqualTo(all);
        }
    }

    @Test
    void framesBecomeFrameContractRecords() {
        CapturedFrame raw = new CapturedFrame("cam", 7, START + 40, 40, true, Images.synthetic(8, 6, 1), null, null);
        CapturedFrame jpeg = new CapturedFrame("cam", 8, START + 80, -1, true, null, Fixtures.chelseaJpeg(), ContentType.JPEG);

        FrameRecord r = FrameRecord.of(raw, FrameRecord.Encoding.RAW, 1 << 20);
        FrameRecord tooBig = FrameRecord.of(raw, FrameRecord.Encoding.RAW, 100);
        FrameRecord still = FrameRecord.of(jpeg, FrameRecord.Encoding.RAW, 1 << 20);

        assertThat(r.key()).isEqualTo("cam");
        assertThat(r.value()).hasSize(8 * 6 * 3);
        assertThat(Fixtures.header(r.headers(), FrameHeaders.CONTENT_TYPE)).isEqualTo("video/x-raw;format=rgb24");
        assertThat(Fixtures.header(r.headers(), FrameHeaders.WIDTH)).isEqualTo("8");
        assertThat(Fixtures.header(r.headers(), FrameHeaders.HEIGHT)).isEqualTo("6");
        assertThat(Fixtures.header(r.headers(), FrameHeaders.SEQ)).isEqualTo("7");
        assertThat(Fixtures.header(r.headers(), FrameHeaders.TIMESTAMP)).isEqualTo(Long.toString(START + 40));
        assertThat(Fixtures.header(r.headers(), FrameHeaders.PTS)).isEqualTo("40");
        assertThat(Fixtures.header(tooBig.headers(), FrameHeaders.CONTENT_TYPE)).as("raw over the limit goes as JPEG").isEqualTo("image/jpeg");
        assertThat(still.value()).isSameAs(jpeg.encoded());
        assertThat(still.headers().lastHeader(FrameHeaders.PTS)).isNull();
    }

    @Test
    void anUnreachableLiveUrlGivesUpAfterItsAttemptsNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String url = "http://127.0.0.1:" + port + "/cam";

        assertThatThrownBy(() -> Sources.open(SourceSpec.parse(url), SamplingPolicy.ALL, Sources.Options.defaults(START)))
                .isInstanceOf(SourceException.class).hasMessageContaining(url);
    }
}
