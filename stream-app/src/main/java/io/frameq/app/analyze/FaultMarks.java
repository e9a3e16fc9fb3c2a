package io.frameq.app.analyze;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The regions a score event blames, as rectangles in fractions of the frame, read from its optional
 * {@code faults} array: each fault names a type and the grid {@code cells} it found it in. Events
 * without faults (or with a shape this reader does not know) give no marks; the report then shows
 * the plain thumbnail.
 *
 * <p>Accepted cell shapes: {@code [row, col]}, {@code {"row": r, "col": c}}, a cell index
 * (row-major), or a box {@code {"x", "y", "w", "h"}} in fractions of the frame. The grid is the
 * fault's or the event's {@code grid} ({@code [rows, cols]} or {@code {"rows", "cols"}}); without
 * one it is taken as just large enough for the cells named (at least 4 x 4).
 */
final class FaultMarks {

    /** One marked rectangle; x, y, w, h in fractions of the frame's width and height. */
    record Mark(String type, double x, double y, double w, double h) {}

    private static final int MIN_GRID = 4;

    private FaultMarks() {}

    static List<Mark> of(JsonNode event) {
        List<Mark> marks = new ArrayList<>();
        if (event == null || !event.path("faults").isArray()) {
            return marks;
        }
        for (JsonNode fault : event.get("faults")) {
            String type = firstText(fault, "type", "kind", "degradation", "code");
            JsonNode cells = fault.path("cells");
            if (!cells.isArray()) {
                continue;
            }
            int[] grid = grid(fault.has("grid") ? fault.get("grid") : event.path("grid"));
            int rows = grid[0];
            int cols = grid[1];
            if (rows <= 0 || cols <= 0) {
                int maxRow = 0;
                int maxCol = 0;
                for (JsonNode c : cells) {
                    int[] rc = rowCol(c, 0);
                    if (rc != null) {
                        maxRow = Math.max(maxRow, rc[0]);
                        maxCol = Math.max(maxCol, rc[1]);
                    }
                }
                rows = Math.max(MIN_GRID, maxRow + 1);
                cols = Math.max(MIN_GRID, maxCol + 1);
            }
            for (JsonNode c : cells) {
                if (c.isObject() && c.has("w") && c.has("h")) {
                    marks.add(new Mark(type, c.path("x").asDouble(), c.path("y").asDouble(), c.path("w").asDouble(), c.path("h").asDouble()));
                    continue;
                }
                int[] rc = rowCol(c, cols);
                if (rc != null && rc[0] >= 0 && rc[1] >= 0 && rc[0] < rows && rc[1] < cols) {
                    marks.add(new Mark(type, (double) rc[1] / cols, (double) rc[0] / rows, 1.0 / cols, 1.0 / rows));
                }
            }
        }
        return marks;
    }

    private static int[] grid(JsonNode g) {
        if (g.isArray() && g.size() == 2) {
            return new int[] {g.get(0).asInt(), g.get(1).asInt()};
        }
        if (g.isObject()) {
            return new int[] {g.path("rows").asInt(), g.path("cols").asInt()};
        }
        return new int[] {0, 0};
    }

    /** Row and column of a cell; for a bare index {@code cols} must be known (else null). */
    private static int[] rowCol(JsonNode c, int cols) {
        if (c.isArray() && c.size() >= 2) {
            return new int[] {c.get(0).asInt(), c.get(1).asInt()};
        }
        if (c.isObject()) {
            JsonNode r = c.has("row") ? c.get("row") : c.get("r");
            JsonNode col = c.has("col") ? c.get("col") : c.has("column") ? c.get("column") : c.get("c");
            return r == null || col == null ? null : new int[] {r.asInt(), col.asInt()};
        }
        if (c.isInt() && cols > 0) {
            return new int[] {c.asInt() / cols, c.asInt() % cols};
        }
        return null;
    }

    private static String firstText(JsonNode n, String... names) {
        for (String name : names) {
            if (n.path(name).isTextual()) {
                return n.get(name).asText();
            }
        }
        return "fault";
    }
}
