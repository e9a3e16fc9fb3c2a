package io.frameq.app.analyze;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameq.detect.SpatialGrid;

/**
 * The regions a score event blames, as rectangles in fractions of the frame: the cells of each fault in its
 * {@code faults} array, and, when the model's verdict is {@code low_quality}, the {@code worst_cells} of its
 * {@code model_map}. Cells are row-major indexes on the fault grid, whose shape follows the frame's orientation
 * ({@link SpatialGrid}: 8 x 6 for landscape, 6 x 8 for portrait); a model map states its own. Conditions that
 * are not faults ({@code ir_mode}) and whole-frame faults (every cell) are not marked: a box round the whole
 * thumbnail says nothing.
 */
final class FaultMarks {

    /** One marked rectangle; x, y, w, h in fractions of the frame's width and height. */
    record Mark(String type, double x, double y, double w, double h) {}

    static final String LOW_QUALITY = "low_quality";

    private FaultMarks() {}

    static List<Mark> of(JsonNode event) {
        List<Mark> marks = new ArrayList<>();
        if (event == null) {
            return marks;
        }
        boolean landscape = event.path("width").asInt(1) >= event.path("height").asInt(1);
        int cols = landscape ? SpatialGrid.LONG_CELLS : SpatialGrid.SHORT_CELLS;
        int rows = landscape ? SpatialGrid.SHORT_CELLS : SpatialGrid.LONG_CELLS;
        List<String> degradations = new ArrayList<>();
        event.path("degradations").forEach(d -> degradations.add(d.asText()));
        for (JsonNode fault : event.path("faults")) {
            String type = fault.path("type").asText("fault");
            JsonNode cells = fault.path("cells");
            if (degradations.contains(type) && cells.size() < cols * rows) {
                add(marks, type, cells, cols, rows);
            }
        }
        JsonNode map = event.path("model_map");
        if (degradations.contains(LOW_QUALITY) && map.isObject()) {
            add(marks, LOW_QUALITY, map.path("worst_cells"), map.path("cols").asInt(cols), map.path("rows").asInt(rows));
        }
        return marks;
    }

    private static void add(List<Mark> marks, String type, JsonNode cells, int cols, int rows) {
        for (JsonNode c : cells) {
            if (!c.isInt() || c.asInt() < 0 || c.asInt() >= cols * rows) {
                continue;
            }
            int row = c.asInt() / cols;
            int col = c.asInt() % cols;
            marks.add(new Mark(type, (double) col / cols, (double) row / rows, 1.0 / cols, 1.0 / rows));
        }
    }
}
