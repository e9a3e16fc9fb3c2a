package io.frameq.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.frameq.frame.ContentType;
import io.frameq.frame.FrameHeaders;
import io.frameq.testing.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Video files published as copied MPEG-TS segments: records, headers, counters and refusals. */
class SegmentSourceTest {

    private static final long START = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        return Files.write(dir.resolve(name), Fixtures.resource("/frames/" + name));
    }

    private static List<FrameRecord> records(MediaSource s) throws Exception {
        List<FrameRecord> out = new ArrayList<>();
        CapturedFrame f;
        while ((f = s.next()) != null) {
            out.add(FrameRecord.of(f, FrameRecord.Encoding.JPEG, 8 << 20));
        }
        return out;
    }

    @Test
    void eachGopBecomesOneMpegTsRecordWithItsFirstFramesHeaders() throws Exception {
        Path mp4 = fixture("plaza_320x240_h264.mp4");
        List<FrameRecord> records;
        SourceStats stats;
        try (MediaSource s = Sources.openSegments(SourceSpec.parse("cam-s=" + mp4), SamplingPolicy.ALL, 0,
                Sources.Options.defaults(START), new AtomicBoolean())) {
            assertThat(s.live()).isFalse();
            records = records(s);
            stats = s.stats();
        }
        assertThat(records).hasSizeGreaterThan(1);
        assertThat(stats.framesRead()).as("packets read").isEqualTo(45);
        assertThat(stats.framesSampled()).isEqualTo(records.size());
        assertThat(stats.decodeErrors()).isZero();
        long previousSeq = -1;
        for (FrameRecord r : records) {
            assertThat(r.key()).isEqualTo("cam-s");
            assertThat(ContentType.sniff(r.value())).contains(ContentType.MPEG_TS);
            assertThat(Fixtures.header(r.headers(), FrameHeaders.CONTENT_TYPE)).isEqualTo("video/mp2t");
            long seq = Long.parseLong(Fixtures.header(r.headers(), FrameHeaders.SEQ));
            long pts = Long.parseLong(Fixtures.header(r.headers(), FrameHeaders.PTS));
            long ts = Long.parseLong(Fixtures.header(r.headers(), FrameHeaders.TIMESTAMP));
            assertThat(seq).isGreaterThan(previousSeq);
            assertThat(ts).isEqualTo(START + pts).isEqualTo(r.timestampMs());
            previousSeq = seq;
        }
        assertThat(Fixtures.header(records.get(0).headers(), FrameHeaders.SEQ)).isEqualTo("0");
        assertThat(Fixtures.header(records.get(0).headers(), FrameHeaders.PTS)).isEqualTo("0");
    }

    @Test
    void samplingThatNeedsDecodingIsRefusedNamingWhy() throws Exception {
        SourceSpec spec = SourceSpec.parse(fixture("plaza_320x240_h264.mp4").toString());
        assertThatThrownBy(() -> Sources.openSegments(spec, new SamplingPolicy(2, 5, false), 0, Sources.Options.defaults(START),
                new AtomicBoolean()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("everyN: expected 1, actual 2")
                .hasMessageContaining("maxFps: expected 0")
                .hasMessageContaining("without decoding");
    }

    @Test
    void stillImagesAreNotSegmentSources() throws Exception {
        SourceSpec spec = SourceSpec.parse(fixture("chelsea_320x240.jpg").toString());
        assertThatThrownBy(() -> Sources.openSegments(spec, SamplingPolicy.ALL, 0, Sources.Options.defaults(START), new AtomicBoolean()))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("expected a video file or video URL, actual image");
    }
}
