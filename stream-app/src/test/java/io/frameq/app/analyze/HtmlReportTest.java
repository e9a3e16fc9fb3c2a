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
    void faultCellsAreIndexesOnTheGridOfTheFramesOrientation() throws Exception {
        JsonNode landscape = json("{'width': 1280, 'height': 720, 'degradations': ['raindrops', 'low_quality'],"
                + " 'faults': [{'type': 'raindrops', 'confidence': 0.8, 'cells': [10, 47]},"
                + " {'type': 'ir_mode', 'confidence': 0.9, 'cells': [0]}],"
                + " 'model_map': {'cols': 8, 'rows': 6, 'score': [], 'weight': [], 'worst_cells': [5]}}");

        assertThat(FaultMarks.of(landscape)).containsExactly(
                new FaultMarks.Mark("raindrops", 2 / 8.0, 1 / 6.0, 1 / 8.0, 1 / 6.0),
                new FaultMarks.Mark("raindrops", 7 / 8.0, 5 / 6.0, 1 / 8.0, 1 / 6.0),
                new FaultMarks.Mark("low_quality", 5 / 8.0, 0, 1 / 8.0, 1 / 6.0));

        JsonNode portrait = json("{'width': 720, 'height': 1280, 'degradations': ['glare'],"
                + " 'faults': [{'type': 'glare', 'confidence': 0.7, 'cells': [7]}]}");
        assertThat(FaultMarks.of(portrait)).containsExactly(new FaultMarks.Mark("glare", 1 / 6.0, 1 / 8.0, 1 / 6.0, 1 / 8.0));
    }

    @Test
    void conditionsWholeFrameFaultsAndAnOkModelAreNotMarked() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            all.append(i == 0 ? "" : ", ").append(i);
        }
        JsonNode event = json("{'width': 640, 'height': 480, 'degradations': ['low_visibility'],"
                + " 'faults': [{'type': 'low_visibility', 'confidence': 0.9, 'cells': [" + all + "]}],"
                + " 'model_map': {'cols': 8, 'rows': 6, 'score': [], 'weight': [], 'worst_cells': [3]}}");

        assertThat(FaultMarks.of(event)).as("whole frame; model verdict not low_quality").isEmpty();
        assertThat(FaultMarks.of(json("{'verdict': 'ok'}"))).isEmpty();
    }

    @Test
    void theWorstFramesShowTheirMarksAndFramesWithoutFaultsShowNone() throws Exception {
        StreamReport r = new StreamReport("cam<1>", "/clips/cam.mp4", new WorstFrames(4, 1000));
        byte[] thumb = ImageEncoder.jpeg(TestScenes.photo(), 70);
        JsonNode blamed = json("{'seq': 3, 'capture_ts': 4000, 'width': 320, 'height': 240, 'quality': 0.2, 'verdict': 'degraded',"
                + " 'degradations': ['soiled'], 'stream_verdict': 'degraded', 'detectors': {'sharpness': 12.0},"
                + " 'faults': [{'type': 'soiled', 'confidence': 0.7, 'cells': [12]}]}");
        JsonNode plain = json("{'seq': 0, 'capture_ts': 1000, 'quality': 0.9, 'verdict': 'ok', 'degradations': [],"
                + " 'stream_verdict': 'ok', 'detectors': {'sharpness': 90.0}}");
        r.addEvent(plain);
        r.addEvent(blamed);
        r.worst.offer(new WorstFrames.Entry(WorstFrames.severity(true, 1, 0.2), 3, 4000, 0.2, List.of("soiled"), blamed, thumb, 320, 240));
        r.worst.offer(new WorstFrames.Entry(WorstFrames.severity(false, 0, 0.9), 0, 1000, 0.9, List.of(), plain, thumb, 320, 240));

        String html = HtmlReport.render(new HtmlReport.RunInfo("tiny-nr", 1, false, "every frame", 0, 1.0), List.of(r));

        assertThat(html).contains("<svg class=\"timeline\"", "<svg class=\"detector\"", "aria-label=\"sharpness\"", "cam&lt;1&gt;")
                .doesNotContain("cam<1>");
        assertThat(html.split("data:image/jpeg;base64,", -1)).hasSize(3);
        assertThat(html.split("<svg class=\"faults\"", -1)).as("one marked thumbnail").hasSize(2);
        assertThat(html).contains("<rect x=\"500.0\" y=\"166.7\" width=\"125.0\" height=\"166.7\"");
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
