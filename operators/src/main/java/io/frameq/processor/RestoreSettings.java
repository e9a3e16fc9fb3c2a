package io.frameq.processor;

import java.util.Objects;

import io.frameq.restore.TiledRestorer;
import io.frameq.route.BudgetPolicy;
import io.frameq.route.Route;

/**
 * What the restore stage needs: one tiled restorer per restoring route, the JPEG quality of the
 * restored frames and the per-stream budget. The restorers are owned (and closed) by the caller.
 *
 * @param quality restorer of {@link Route#QUALITY} frames (MIRNet family)
 * @param latency restorer of {@link Route#LATENCY} frames (LPIENet family)
 * @param jpegQuality 1..100, IJG semantics
 * @param budget per-stream budget
 */
public record RestoreSettings(TiledRestorer quality, TiledRestorer latency, int jpegQuality, BudgetPolicy budget) {

    public RestoreSettings {
        Objects.requireNonNull(quality, "RestoreSettings: quality restorer is required");
        Objects.requireNonNull(latency, "RestoreSettings: latency restorer is required");
        Objects.requireNonNull(budget, "RestoreSettings: budget is required");
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("RestoreSettings: jpegQuality must be in 1..100, got " + jpegQuality);
        }
    }

    public TiledRestorer restorer(Route route) {
        return switch (route) {
            case QUALITY -> quality;
            case LATENCY -> latency;
            default -> throw new IllegalArgumentException("route " + route.wire() + " restores nothing");
        };
    }
}
