package io.frameq.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RoutePolicyTest {

    private final RoutePolicy p = RoutePolicy.DEFAULTS;

    @Test
    void shouldRouteEachTypeAndTakeTheMostCautiousRouteForMixes() {
        assertThat(p.route(List.of())).isEqualTo(Route.NONE);
        assertThat(p.route(List.of("blur"))).isEqualTo(Route.LATENCY);
        assertThat(p.route(List.of("noise"))).isEqualTo(Route.QUALITY);
        assertThat(p.route(List.of("blur", "dark"))).isEqualTo(Route.QUALITY);
        // the model's low_quality decides only when no detector named the problem
        assertThat(p.route(List.of("blur", "low_quality"))).isEqualTo(Route.LATENCY);
        assertThat(p.primaryType(List.of("blur", "low_quality"), Route.LATENCY)).isEqualTo("blur");
        assertThat(p.route(List.of("low_quality"))).isEqualTo(Route.QUALITY);
        assertThat(p.route(List.of("dark", "frozen"))).isEqualTo(Route.ALERT_ONLY);
        assertThat(p.primaryType(List.of("blur", "dark"), Route.QUALITY)).isEqualTo("dark");
        assertThat(p.primaryType(List.of("dark", "frozen"), Route.ALERT_ONLY)).isEqualTo("frozen");
        // a type in no set is never restored
        RoutePolicy narrow = new RoutePolicy(Set.of("noise"), Set.of(), Set.of());
        assertThat(narrow.route(List.of("blur"))).isEqualTo(Route.ALERT_ONLY);
    }

    @Test
    void shouldRefuseUnknownOrDoublyRoutedTypes() {
        assertThatThrownBy(() -> new RoutePolicy(Set.of("nosie"), Set.of(), Set.of()))
                .hasMessageContaining("unknown degradation type 'nosie'").hasMessageContaining("noise");
        assertThatThrownBy(() -> new RoutePolicy(Set.of("blur"), Set.of("blur"), Set.of()))
                .hasMessageContaining("'blur' is in more than one route");
    }

    @Test
    void budgetShouldNeverExceedItsFrameShareInAnyWindow() {
        RestoreBudget b = new RestoreBudget(new BudgetPolicy(0.3, 10, 1.0, 1000));
        boolean[] restored = new boolean[200];
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < restored.length; i++) {
            restored[i] = b.admit("s", i, rnd.nextDouble() < 0.8) == RestoreBudget.Decision.ADMITTED;
        }
        int total = 0;
        for (int start = 0; start + 10 <= restored.length; start++) {
            int n = 0;
            for (int i = start; i < start + 10; i++) {
                n += restored[i] ? 1 : 0;
            }
            assertThat(n).as("window at %d", start).isLessThanOrEqualTo(3);
            total += n;
        }
        assertThat(total).as("the budget is used, not just refused").isGreaterThan(0);
        assertThat(b.admit("other", 0, true)).isEqualTo(RestoreBudget.Decision.ADMITTED);
    }
}
