package io.frameq.route;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.frameq.detect.Degradation;

/**
 * Which degradation types go to which restorer. A frame with several degradations takes the most
 * cautious route: any alert-only type makes the whole frame alert-only (restoring a frozen or
 * black frame only hides the fault); otherwise any quality type sends it to the quality restorer;
 * otherwise a latency type to the latency restorer. {@code low_quality} (the model's generic verdict)
 * decides the route only when no detector named a type: a blurred frame that also scores low is
 * still a blur. Types in no set are alert-only: a new detector is never restored until someone says
 * it should be.
 *
 * @param quality types restored by the quality restorer (MIRNet)
 * @param latency types restored by the latency restorer (LPIENet)
 * @param alertOnly types that are never restored
 */
public record RoutePolicy(Set<String> quality, Set<String> latency, Set<String> alertOnly) {

    /** Every type the verdict can carry: the detector codes and {@code low_quality} from the model. */
    public static final Set<String> KNOWN_TYPES;

    private static final String LOW_QUALITY = "low_quality";

    static {
        Set<String> known = new LinkedHashSet<>();
        for (Degradation d : Degradation.values()) {
            known.add(d.code());
        }
        known.add("low_quality");
        KNOWN_TYPES = Set.copyOf(known);
    }

    /**
     * Noise, darkness and a low model score want MIRNet's heavier denoising and low-light path; blur,
     * over-exposure and blocking are left to the cheap enhancer (defocused is raised together with blur, so it
     * goes the same way). Alert only: black and frozen frames carry no picture to restore; covered and moved
     * cameras need a person, not a filter; soiled, raindrops, low visibility, glare and colour cast have no
     * restorer that helps — on the three real O-HAZE pairs at 640 px both shipped restorers lowered SSIM against
     * the haze-free reference (0.602/0.697/0.781 hazy; MIRNet 0.546/0.602/0.713; LPIENet 0.557/0.673/0.762), so
     * restoring would only hide the fault. Listing them keeps the decision visible in {@code frameq config}.
     */
    public static final RoutePolicy DEFAULTS = new RoutePolicy(Set.of("noise", "dark", "low_quality"),
            Set.of("blur", "defocused", "overexposed", "blocky"),
            Set.of("black", "frozen", "covered", "moved", "soiled", "raindrops", "low_visibility", "glare", "colour_cast"));

    public RoutePolicy {
        quality = Set.copyOf(quality);
        latency = Set.copyOf(latency);
        alertOnly = Set.copyOf(alertOnly);
        List<String> problems = new ArrayList<>();
        for (Set<String> s : List.of(quality, latency, alertOnly)) {
            for (String t : s) {
                if (!KNOWN_TYPES.contains(t)) {
                    problems.add("unknown degradation type '" + t + "' (expected one of " + String.join(", ",
                            new java.util.TreeSet<>(KNOWN_TYPES)) + ")");
                }
            }
        }
        for (String t : quality) {
            if (latency.contains(t) || alertOnly.contains(t)) {
                problems.add("type '" + t + "' is in more than one route");
            }
        }
        for (String t : latency) {
            if (alertOnly.contains(t)) {
                problems.add("type '" + t + "' is in more than one route");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("RoutePolicy: " + String.join("; ", problems));
        }
    }

    /** The route of a frame with these degradation codes (empty: {@link Route#NONE}). */
    public Route route(List<String> degradations) {
        degradations = specific(degradations);
        if (degradations.isEmpty()) {
            return Route.NONE;
        }
        boolean q = false;
        boolean l = false;
        for (String d : degradations) {
            if (quality.contains(d)) {
                q = true;
            } else if (latency.contains(d)) {
                l = true;
            } else {
                return Route.ALERT_ONLY;
            }
        }
        return q ? Route.QUALITY : l ? Route.LATENCY : Route.NONE;
    }

    /** The type that decided {@code route} for these degradations (the first one in the route's set), or null. */
    public String primaryType(List<String> degradations, Route route) {
        for (String d : specific(degradations)) {
            boolean in = switch (route) {
                case QUALITY -> quality.contains(d);
                case LATENCY -> latency.contains(d);
                case ALERT_ONLY -> !quality.contains(d) && !latency.contains(d);
                case NONE -> false;
            };
            if (in) {
                return d;
            }
        }
        return degradations.isEmpty() ? null : degradations.get(0);
    }

    /** The detector types when there are any, else the list as is ({@code low_quality} alone or nothing). */
    private static List<String> specific(List<String> degradations) {
        if (degradations.size() > 1 && degradations.contains(LOW_QUALITY)) {
            return degradations.stream().filter(d -> !LOW_QUALITY.equals(d)).toList();
        }
        return degradations;
    }
}
