package io.frameq.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.frame.ImageEncoder;

import org.junit.jupiter.api.Test;

/** The report's marks of blamed regions, from the optional {@code faults} of a score event. */
class HtmlReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void faultCellsBecomeRectanglesInFractionsOfTheFrame() throws Exception {
        JsonNode event = json("{'faults': [{'type': 'blur', 'grid': [4, 8], 'cells': [[1, 2], {'row': 3, 'col': 7}]},"
                + " {'kind': 'noise', 'cells': [{'x': 0.5, 'y': 0.25, 'w': 0.1, 'h': 0.2}]}], 'grid': {'rows': 2, 'cols': 2}}");

        List<FaultMarks.Mark> marks = FaultMarks.of(event);

        assertThat(marks).containsExactly(new FaultMarks.Mark("blur", 2 / 8.0, 1 / 4.0, 1 / 8.0, 1 / 4.0),
                new FaultMarks.Mark("blur", 7 / 8.0, 3 / 4.0, 1 / 8.0, 1 / 4.0),
                new FaultMarks.Mark("noise", 0.5, 0.25, 0.1, 0.2));
    }

    @Test
    void bareIndexesUseTheEventsGridAndUnknownShapesAreSkipped() throws Exception {
        JsonNode event = json("{'grid': [3, 3], 'faults': [{'type': 'blocky', 'cells': [4, 'centre', [9, 9]]}, {'type': 'x'}]}");

        assertThat(FaultMarks.of(event)).containsExactly(new FaultMarks.Mark("blocky", 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0));
        assertThat(FaultMarks.of(json("{'verdict': 'ok'}"))).isEmpty();
    }

    @Test
    void theWorstFramesShowTheirMarksAndFramesWithoutFaultsShowNone() throws Exception {
        StreamReport r = new StreamReport("cam<1>", "/clips/cam.mp4", new WorstFrames(4, 1000));
        byte[] thumb = ImageEncoder.jpeg(TestScenes.photo(), 70);
        JsonNode blamed = json("{'seq': 3, 'capture_ts': 4000, 'quality': 0.2, 'verdict': 'degraded', 'degradations': ['blur'],"
                + " 'stream_verdict': 'degraded', 'detectors': {'sharpness': 12.0},"
                + " 'faults': [{'type': 'blur', 'grid': [2, 2], 'cells': [[0, 1]]}]}");
        JsonNode plain = json("{'seq': 0, 'capture_ts': 1000, 'quality': 0.9, 'verdict': 'ok', 'degradations': [],"
                + " 'stream_verdict': 'ok', 'detectors': {'sharpness': 90.0}}");
        r.addEvent(plain);
        r.addEvent(blamed);
        r.worst.offer(new WorstFrames.Entry(WorstFrames.severity(true, 1, 0.2), 3, 4000, 0.2, List.of("blur"), blamed, thumb, 320, 240));
        r.worst.offer(new WorstFrames.Entry(WorstFrames.severity(false, 0, 0.9), 0, 1000, 0.9, List.of(), plain, thumb, 320, 240));

        String html = HtmlReport.render(new HtmlReport.RunInfo("tiny-nr", 1, false, "every frame", 0, 1.0), List.of(r));

        assertThat(html).contains("<svg class=\"timeline\"", "<svg class=\"detector\"", "aria-label=\"sharpness\"", "cam&lt;1&gt;")
                .doesNotContain("cam<1>");
        assertThat(html.split("data:image/jpeg;base64,", -1)).hasSize(3);
        assertThat(html.split("<svg class=\"faults\"", -1)).as("one marked thumbnail").hasSize(2);
        assertThat(html).contains("<rect x=\"500.0\" y=\"0.0\" width=\"500.0\" height=\"500.0\"");
    }

    @Test
    void worstFramesKeepTheWorstOnePerSpacing() {
        WorstFrames w = new WorstFrames(2, 1000);
        w.offer(entry(5, 0));
        w.offer(entry(9, 500)); // same moment, worse: replaces it
        w.offer(entry(1, 3000));
        w.offer(entry(3, 6000)); // better than 1: takes its slot
        w.offer(entry(2, 9000)); // not worse than the kept ones

        assertThat(w.worstFirst()).extracting(WorstFrames.Entry::captureTs).containsExactly(500L, 6000L);
    }

    private static WorstFrames.Entry entry(double severity, long ts) {
        return new WorstFrames.Entry(severity, ts, ts, null, List.of(), null, new byte[0], 1, 1);
    }
}
