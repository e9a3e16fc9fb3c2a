package io.frameq.detect;

import io.frameq.frame.RgbImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Prints the grid readings of photos as JSON lines, one per photo: the data behind {@link FaultThresholds#DEFAULTS}.
 * Not a test. Reads photo paths (PNG or JPEG), one per line, from standard input. Usage (after
 * {@code mvn -o -q -pl operators test-compile}):
 *
 * <pre>
 * ls photos/*.jpg | java -cp operators/target/classes:operators/target/test-classes:DEPS io.frameq.detect.CellDump
 * </pre>
 */
public final class CellDump {

    private CellDump() {
    }

    public static void main(String[] args) throws Exception {
        DetectorSuite suite = new DetectorSuite();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                RgbImage image = TestPhotos.read(Path.of(line.trim()));
                DetectorReport r = suite.analyze(image, null);
                System.out.println(json(line.trim(), r));
            } catch (RuntimeException e) {
                System.err.println(line + ": " + e.getMessage());
            }
        }
    }

    private static String json(String file, DetectorReport r) {
        StringBuilder sb = new StringBuilder("{\"file\":\"").append(file.replace("\"", "\\\"")).append('"');
        sb.append(",\"cols\":").append(r.cells().cols()).append(",\"rows\":").append(r.cells().rows());
        sb.append(",\"mean_luma\":").append(fmt(r.readings().meanLuma()));
        field(sb, "luma", r.cells(), CellReading::meanLuma);
        field(sb, "contrast", r.cells(), CellReading::contrast);
        field(sb, "sharpness", r.cells(), CellReading::sharpness);
        field(sb, "edge", r.cells(), CellReading::edge);
        field(sb, "clipped", r.cells(), CellReading::clippedBright);
        field(sb, "black", r.cells(), CellReading::blackLevel);
        field(sb, "white", r.cells(), CellReading::whiteLevel);
        field(sb, "dark_channel", r.cells(), CellReading::darkChannel);
        field(sb, "saturation", r.cells(), CellReading::saturation);
        field(sb, "red", r.cells(), CellReading::meanRed);
        field(sb, "green", r.cells(), CellReading::meanGreen);
        field(sb, "blue", r.cells(), CellReading::meanBlue);
        sb.append(",\"faults\":[");
        for (int i = 0; i < r.faults().size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(r.faults().get(i).type().name().toLowerCase(Locale.ROOT)).append('"');
        }
        return sb.append("]}").toString();
    }

    private static void field(StringBuilder sb, String name, CellReadings cells, ToDoubleFunction<CellReading> f) {
        double[] v = cells.values(f);
        sb.append(",\"").append(name).append("\":[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(fmt(v[i]));
        }
        sb.append(']');
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
    }
}
