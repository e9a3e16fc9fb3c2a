package io.frameq.app.bench;

import java.util.List;
import java.util.Map;

/** The markdown of a fleet run ({@code fleet.md}): the result first, then one row per camera count tried. */
final class FleetReport {

    private FleetReport() {}

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("# frameq bench --fleet\n\n");
        Map<String, Object> machine = (Map<String, Object>) r.get("machine");
        sb.append(String.format("%s, %s fps per camera, model every %s s and on suspects; JPEG q%s, mean %s KB; %s cores, "
                        + "load average %s at start\n\n", r.get("resolution"), r.get("fps_per_camera"), r.get("model_every_seconds"),
                r.get("jpeg_quality"), r.get("jpeg_mean_kb"), machine.get("cores"), machine.get("load_average_at_start")));
        sb.append("**Largest sustained fleet: ").append(r.get("max_sustained_cameras")).append(" cameras**");
        if (r.get("first_failed_cameras") != null) {
            sb.append(" (").append(r.get("first_failed_cameras")).append(" failed)");
        }
        sb.append("\n\n");
        sb.append("| cameras | frames/s | sustained | p50 ms | p99 ms (event out) | lag growth ms | CPU cores | CPU ms per camera-s "
                + "| same without JIT | projected cameras on idle cores | decode ms | detect ms | model ms/run | model runs/s | sampled out | shed | over budget | why not |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> t : (List<Map<String, Object>>) r.get("trials")) {
            Map<String, Object> st = (Map<String, Object>) t.get("stage_wall_ms");
            sb.append(String.format("| %s | %.0f | %s | %.0f | %.0f | %.0f | %s | %s | %s | %s | %.2f | %.2f | %.0f | %.2f | %s | %s | %s | %s |\n",
                    t.get("cameras"), num(t.get("frames_per_second")), t.get("sustained"), num(t.get("visible_p50_ms")),
                    num(t.get("visible_p99_ms")), num(t.get("latency_growth_ms")), t.get("cpu_cores_busy"),
                    t.get("cpu_ms_per_camera_second"), t.get("cpu_ms_per_camera_second_without_jit"),
                    t.get("cameras_per_idle_cores_projected"), num(st.get("decode_ms_per_frame")), num(st.get("detect_ms_per_frame")),
                    num(st.get("model_ms_per_run")), num(t.get("model_runs_per_second")), t.get("sampled_out"), t.get("shed"), t.get("budget_deferred"),
                    t.get("why") == null ? "" : t.get("why")));
        }
        Map<String, Object> best = (Map<String, Object>) r.get("at_max");
        if (best != null) {
            sb.append("\nCPU seconds by thread group at ").append(best.get("cameras")).append(" cameras (")
                    .append(best.get("frames_sent")).append(" frames): ").append(best.get("cpu_seconds_by_thread_group")).append('\n');
        }
        return sb.toString();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
