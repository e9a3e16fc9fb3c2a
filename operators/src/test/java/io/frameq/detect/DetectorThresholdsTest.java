package io.frameq.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DetectorThresholdsTest {

    private static final DetectorThresholds D = DetectorThresholds.DEFAULTS;

    @Test
    void defaultsAreTheDocumentedValues() {
        assertThat(D).isEqualTo(new DetectorThresholds(50, 9, 40, 0.15, 20, 4, 0.02, 2.0));
        assertThat(D.blackBelowMeanLuma()).isLessThan(D.darkBelowMeanLuma());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("blurBelowSharpness", -1.0, (UnaryOperator<DetectorThresholds>) t -> t.withBlurBelowSharpness(-1)),
                Arguments.of("blurBelowSharpness", Double.POSITIVE_INFINITY,
                        (UnaryOperator<DetectorThresholds>) t -> t.withBlurBelowSharpness(Double.POSITIVE_INFINITY)),
                Arguments.of("noiseAboveSigma", Double.NaN, (UnaryOperator<DetectorThresholds>) t -> t.withNoiseAboveSigma(Double.NaN)),
                Arguments.of("darkBelowMeanLuma", 256.0, (UnaryOperator<DetectorThresholds>) t -> t.withDarkBelowMeanLuma(256)),
                Arguments.of("overexposedAboveClippedBright", 1.5,
                        (UnaryOperator<DetectorThresholds>) t -> t.withOverexposedAboveClippedBright(1.5)),
                Arguments.of("blackBelowMeanLuma", -0.5, (UnaryOperator<DetectorThresholds>) t -> t.withBlack(-0.5, 4)),
                Arguments.of("blackBelowContrast", 200.0, (UnaryOperator<DetectorThresholds>) t -> t.withBlack(20, 200)),
                Arguments.of("frozenBelowDiff", -0.01, (UnaryOperator<DetectorThresholds>) t -> t.withFrozenBelowDiff(-0.01)),
                Arguments.of("blockyAbove", 1.0, (UnaryOperator<DetectorThresholds>) t -> t.withBlockyAbove(1)),
                Arguments.of("blockyAbove", 0.8, (UnaryOperator<DetectorThresholds>) t -> t.withBlockyAbove(0.8)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalid")
    void invalidValueIsRejectedWithFieldExpectedAndActual(String field, double actual,
                                                          UnaryOperator<DetectorThresholds> change) {
        assertThatThrownBy(() -> change.apply(D))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DetectorThresholds." + field + ": expected ")
                .hasMessageEndingWith("actual " + actual);
    }

    @Test
    void withersChangeOneField() {
        DetectorThresholds t = D.withNoiseAboveSigma(12);
        assertThat(t.noiseAboveSigma()).isEqualTo(12);
        assertThat(t.withNoiseAboveSigma(D.noiseAboveSigma())).isEqualTo(D);
        assertThat(D.withFrozenBelowDiff(0).frozenBelowDiff()).isZero();
        assertThat(D.withBlack(10, 2)).extracting(DetectorThresholds::blackBelowMeanLuma,
                DetectorThresholds::blackBelowContrast).containsExactly(10.0, 2.0);
    }
}
