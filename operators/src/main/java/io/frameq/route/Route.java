package io.frameq.route;

/**
 * Where a frame goes after its verdict. {@link #wire()} is the value of the score event's
 * {@code route} field and a metric label: renaming one is a breaking change.
 */
public enum Route {
    /** Not degraded: nothing to do. */
    NONE("none"),
    /** Restore with the quality restorer (MIRNet family: heavier, better). */
    QUALITY("quality"),
    /** Restore with the latency restorer (LPIENet family: real-time enhancement). */
    LATENCY("latency"),
    /** Degraded in a way no restorer can repair (black, frozen, occluded): alert only. */
    ALERT_ONLY("alert_only");

    private final String wire;

    Route(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean restores() {
        return this == QUALITY || this == LATENCY;
    }

    /** The route named {@code wire}; IllegalArgumentException naming the valid values otherwise. */
    public static Route ofWire(String wire) {
        for (Route r : values()) {
            if (r.wire.equals(wire)) {
                return r;
            }
        }
        throw new IllegalArgumentException("route: expected one of none, quality, latency, alert_only; actual '" + wire + "'");
    }
}
