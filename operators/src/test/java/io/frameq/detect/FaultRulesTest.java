package io.frameq.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.frame.RgbImage;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spatial diagnosis on faults synthesised from the committed photos ({@link CameraFaults}): each fault is found
 * where it was made, and each clean look it must not confuse with a fault (a bright sky, a night street, an IR
 * picture) stays clean.
 */
class FaultRulesTest {

    private static final DetectorSuite SUITE = new DetectorSuite();

    static List<String> photos() {
        return TestPhotos.NAMES;
    }

    /** Photos with daylight colour (rocket is a night launch: no colour to fog or tint). */
    static List<String> daylightPhotos() {
        return List.of("chelsea", "coffee");
    }

    private static Set<FaultType> types(RgbImage img) {
        return SUITE.analyze(img, null).faults().stream().map(Fault::type).collect(Collectors.toSet());
    }

    private static Fault fault(RgbImage img, FaultType type) {
        DetectorReport r = SUITE.analyze(img, null);
        return r.fault(type).orElseThrow(() -> new AssertionError("no " + type + " in " + r.faults()));
    }

    @ParameterizedTest
    @MethodSource("photos")
    void cleanPhotosHaveNoFault(String name) {
        DetectorReport r = SUITE.analyze(TestPhotos.load(name), null);
        assertThat(r.faults()).as(name).isEmpty();
        assertThat(r.flags()).as(name).isEmpty();
        assertThat(r.cells().size()).isEqualTo(SpatialGrid.LONG_CELLS * SpatialGrid.SHORT_CELLS);
    }

    @ParameterizedTest
    @MethodSource("photos")
    void aCoveredLensIsCoveredOnTheCoveredCells(String name) {
        RgbImage photo = TestPhotos.load(name);
        Fault covered = fault(CameraFaults.cover(photo, 0.12, 90), FaultType.COVERED);
        assertThat(covered.confidence()).isGreaterThan(0.5);
        assertThat(covered.cells()).contains(0, 7, 20, 35).doesNotContain(47);
        assertThat(types(CameraFaults.cover(photo, 0.6, 90))).as("a third covered is not covered").doesNotContain(FaultType.COVERED);
        assertThat(SUITE.analyze(CameraFaults.cover(photo, 0.12, 90), null).flags()).contains(Degradation.COVERED);
    }

    /**
     * Soiling is deliberately strict (a blob of at least 20 soft, veiled cells, see FaultThresholds): clean photos
     * with shallow depth of field look like small smudges. Coffee has texture everywhere, so a veiled smear over most
     * of it keeps enough range to be judged.
     */
    @Test
    void aLargeSmearOnTheLensIsSoiledThere() {
        RgbImage photo = TestPhotos.load("coffee");
        // columns 0-6, rows 0-4 smeared; column 7 and row 5 stay crisp
        RgbImage smeared = CameraFaults.smear(photo, 0, 0, 0.875, 0.84, 5, 0.4);
        Fault soiled = fault(smeared, FaultType.SOILED);
        assertThat(soiled.cells()).hasSizeGreaterThanOrEqualTo(20);
        for (int cell : soiled.cells()) {
            assertThat(cell % 8).as("cell %d column", cell).isLessThan(7);
            assertThat(cell / 8).as("cell %d row", cell).isLessThan(5);
        }
        assertThat(types(smeared)).doesNotContain(FaultType.DEFOCUSED);
        assertThat(types(CameraFaults.smear(photo, 0, 0, 0.375, 0.5, 5, 0.4))).as("a small smudge is below the bar")
                .doesNotContain(FaultType.SOILED);
        assertThat(types(Degrade.gaussianBlur(photo, 1))).as("mild blur everywhere is no smear").doesNotContain(FaultType.SOILED);
    }

    @ParameterizedTest
    @MethodSource("daylightPhotos")
    void fogIsLowVisibilityAndAMildVeilIsNot(String name) {
        RgbImage photo = TestPhotos.load(name);
        Fault fog = fault(CameraFaults.veil(photo, 0.75, 210), FaultType.LOW_VISIBILITY);
        assertThat(fog.cells().size()).isGreaterThanOrEqualTo(40);
        assertThat(types(CameraFaults.veil(photo, 0.2, 210))).doesNotContain(FaultType.LOW_VISIBILITY);
    }

    /** Thick fog washes the colour out too: a grey, veiled picture is fog, where a grey picture alone is IR mode. */
    @ParameterizedTest
    @MethodSource("daylightPhotos")
    void thickGreyFogIsLowVisibility(String name) {
        RgbImage photo = TestPhotos.load(name);
        RgbImage greyFog = CameraFaults.greyscale(CameraFaults.veil(photo, 0.75, 200));
        Fault fog = fault(greyFog, FaultType.LOW_VISIBILITY);
        assertThat(fog.cells().size()).isGreaterThanOrEqualTo(46);
        assertThat(types(CameraFaults.greyscale(photo))).doesNotContain(FaultType.LOW_VISIBILITY);
    }

    /**
     * Dense haze over a coloured scene squeezes the median range under the fog rule's range gate: a frame hazy in
     * nearly every cell still counts, one hazy in most cells (a pale bottling line) does not.
     */
    @Test
    void denseColouredHazeWithLittleRangeIsLowVisibilityOnlyWhenNearlyEveryCellIsHazy() {
        FaultRules rules = new FaultRules();
        DetectorReadings global = new DetectorReadings(40, 1.0, 160, 0, 0, 8, 1.0, Double.NaN);
        assertThat(rules.diagnose(global, haze(47, 15), false)).extracting(Fault::type).contains(FaultType.LOW_VISIBILITY);
        assertThat(rules.diagnose(global, haze(40, 15), false)).extracting(Fault::type)
                .doesNotContain(FaultType.LOW_VISIBILITY);
        DetectorReadings grey = new DetectorReadings(40, 1.0, 120, 0, 0, 8, 1.0, Double.NaN);
        assertThat(rules.diagnose(grey, haze(48, 8), false)).as("flatter than haze leaves a scene, and not bright")
                .extracting(Fault::type).doesNotContain(FaultType.LOW_VISIBILITY);
        assertThat(rules.diagnose(global, haze(48, 8), false)).as("as flat, but as bright as fog's airlight")
                .extracting(Fault::type).contains(FaultType.LOW_VISIBILITY);
    }

    /** Grey daylight fog is bright airlight: a colourless frame that bright needs no more hazy cells than colour. */
    @Test
    void aBrightColourlessFrameNeedsNoMoreHazyCellsThanAColouredOne() {
        FaultRules rules = new FaultRules();
        DetectorReadings bright = new DetectorReadings(40, 1.0, 160, 0, 0, 30, 1.0, Double.NaN);
        DetectorReadings dimmer = new DetectorReadings(40, 1.0, 120, 0, 0, 30, 1.0, Double.NaN);
        assertThat(rules.diagnose(bright, greyHaze(42), false)).extracting(Fault::type)
                .contains(FaultType.LOW_VISIBILITY);
        assertThat(rules.diagnose(dimmer, greyHaze(42), false)).as("a grey car park or IR scene: 88 % hazy")
                .extracting(Fault::type).doesNotContain(FaultType.LOW_VISIBILITY);
        assertThat(rules.diagnose(bright, greyHaze(39), false)).as("81 % hazy: a pale grey scene")
                .extracting(Fault::type).doesNotContain(FaultType.LOW_VISIBILITY);
    }

    /** 8x6 colourless cells, the first {@code hazy} of them hazy (lifted, squeezed), the rest a crisp grey scene. */
    private static CellReadings greyHaze(int hazy) {
        return grid(hazy, new CellReading(170, 10, 5, 2, 0, 150, 190, 145, 4, 170, 170, 170),
                new CellReading(120, 30, 200, 40, 0, 20, 200, 15, 5, 120, 120, 120));
    }

    /** 8x6 cells: the first {@code first} of them {@code firstCell}, the rest {@code rest}. */
    private static CellReadings grid(int first, CellReading firstCell, CellReading rest) {
        List<CellReading> cells = new java.util.ArrayList<>();
        for (int i = 0; i < 48; i++) {
            cells.add(i < first ? firstCell : rest);
        }
        return new CellReadings(8, 6, cells);
    }

    /**
     * Dense fog leaves little range in any cell, as a cover does, but it is the bright airlight itself: fog, not a
     * cover. A grey cover as flat is still covered.
     */
    @ParameterizedTest
    @MethodSource("daylightPhotos")
    void denseFogIsLowVisibilityAndNotCovered(String name) {
        RgbImage photo = TestPhotos.load(name);
        assertThat(types(CameraFaults.veil(photo, 0.9, 215))).contains(FaultType.LOW_VISIBILITY)
                .doesNotContain(FaultType.COVERED);
        assertThat(types(CameraFaults.cover(photo, 0, 120))).contains(FaultType.COVERED)
                .doesNotContain(FaultType.LOW_VISIBILITY);
    }

    /** 8x6 cells, the first {@code hazy} of them hazy (lifted, squeezed, pale but coloured), the rest a dark, crisp scene. */
    private static CellReadings haze(int hazy, double range) {
        return grid(hazy, new CellReading(150, range / 4, 5, 2, 0, 150 - range / 2, 150 + range / 2, 140, 15, 160, 150, 140),
                new CellReading(60, 30, 200, 40, 0, 10, 120, 5, 30, 70, 60, 50));
    }

    @ParameterizedTest
    @MethodSource("photos")
    void aLampShiningIntoTheLensIsGlareAroundIt(String name) {
        RgbImage photo = TestPhotos.load(name);
        RgbImage lit = CameraFaults.glare(photo, 0.3, 0.4, photo.width() / 16.0, 6);
        Fault glare = fault(lit, FaultType.GLARE);
        int lampCell = (int) (0.4 * 6) * 8 + (int) (0.3 * 8);
        assertThat(glare.cells()).contains(lampCell);
        assertThat(glare.cells().size()).isLessThan(40);
        assertThat(types(CameraFaults.glare(photo, 0.3, 0.4, photo.width() / 16.0, 1))).as("a lamp without a veil")
                .doesNotContain(FaultType.GLARE);
    }

    @ParameterizedTest
    @MethodSource("photos")
    void defocusIsDefocusedAndBlur(String name) {
        RgbImage photo = TestPhotos.load(name);
        DetectorReport r = SUITE.analyze(Degrade.gaussianBlur(photo, 4), null);
        assertThat(r.fault(FaultType.DEFOCUSED)).isPresent();
        assertThat(r.flags()).contains(Degradation.DEFOCUSED, Degradation.BLUR);
        assertThat(types(Degrade.gaussianBlur(photo, 0.7))).doesNotContain(FaultType.DEFOCUSED);
    }

    @ParameterizedTest
    @MethodSource("daylightPhotos")
    void aDeadBlueChannelIsAColourCast(String name) {
        RgbImage photo = TestPhotos.load(name);
        assertThat(fault(CameraFaults.tint(photo, 1, 1, 0.25), FaultType.COLOUR_CAST).cells()).hasSize(48);
        assertThat(types(CameraFaults.tint(photo, 1.05, 1, 0.95))).as("slightly warm").doesNotContain(FaultType.COLOUR_CAST);
    }

    @ParameterizedTest
    @MethodSource("photos")
    void aGreyscalePictureIsIrModeAndNotAFault(String name) {
        DetectorReport r = SUITE.analyze(CameraFaults.greyscale(TestPhotos.load(name)), null);
        assertThat(r.faults()).extracting(Fault::type).containsExactly(FaultType.IR_MODE);
        assertThat(r.flags()).as("IR mode is information, not a fault").isEmpty();
        assertThat(types(TestPhotos.load(name))).doesNotContain(FaultType.IR_MODE);
    }

    @ParameterizedTest
    @MethodSource("photos")
    void underExposureIsDarkButANightStreetWithLampsIsNot(String name) {
        RgbImage photo = TestPhotos.load(name);
        assertThat(SUITE.analyze(Degrade.gain(photo, 0.15), null).flags()).contains(Degradation.DARK);
        RgbImage night = CameraFaults.lamps(Degrade.gain(photo, 0.18), 6, 4, photo.width() / 48.0);
        assertThat(SUITE.analyze(night, null).readings().meanLuma()).isLessThan(40);
        assertThat(types(night)).doesNotContain(FaultType.DARK);
        assertThat(SUITE.analyze(night, null).flags()).doesNotContain(Degradation.DARK);
    }

    @ParameterizedTest
    @MethodSource("photos")
    void aBlownOutPictureIsOverexposedButABrightSkyIsNot(String name) {
        RgbImage photo = TestPhotos.load(name);
        assertThat(fault(Degrade.gain(photo, 4), FaultType.OVEREXPOSED).confidence()).isGreaterThan(0.5);
        RgbImage sky = CameraFaults.whiteSky(photo, 0.34);
        assertThat(SUITE.analyze(sky, null).readings().clippedBright())
                .as("the old whole-frame rule flagged this").isGreaterThan(DetectorThresholds.DEFAULTS.overexposedAboveClippedBright());
        assertThat(SUITE.analyze(sky, null).flags()).doesNotContain(Degradation.OVEREXPOSED);
    }

    @Test
    void defocusedAlsoWhenTheSharpestEdgesAtThePicturesOwnScaleAreSpreadOut() {
        DetectorReport sharp = SUITE.analyze(TestPhotos.load("coffee"), null);
        FaultRules rules = new FaultRules();
        double t = FaultThresholds.DEFAULTS.defocusedBelowFineEdges();
        List<Fault> notMeasured = rules.diagnose(sharp.readings(), sharp.cells(), false, Double.NaN);
        assertThat(notMeasured).isEqualTo(rules.diagnose(sharp.readings(), sharp.cells(), false));
        assertThat(notMeasured).extracting(Fault::type).doesNotContain(FaultType.DEFOCUSED);
        assertThat(rules.diagnose(sharp.readings(), sharp.cells(), false, t + 0.01)).extracting(Fault::type)
                .doesNotContain(FaultType.DEFOCUSED);
        Fault soft = rules.diagnose(sharp.readings(), sharp.cells(), false, t - 0.15).stream()
                .filter(f -> f.type() == FaultType.DEFOCUSED).findFirst().orElseThrow();
        assertThat(soft.confidence()).isGreaterThan(0.9);
        assertThat(soft.cells()).isNotEmpty();
        assertThat(rules.diagnose(sharp.readings(), sharp.cells(), true, 0.1)).as("a black frame has no diagnosis").isEmpty();
    }

    @Test
    void aBlackFrameHasNoDiagnosis() {
        DetectorReport r = SUITE.analyze(Degrade.black(320, 240), null);
        assertThat(r.flags()).containsExactly(Degradation.BLACK);
        assertThat(r.faults()).isEmpty();
    }

    @Test
    void confidenceIsAHalfOnTheThresholdAndRisesWithTheMargin() {
        assertThat(FaultRules.confidence(0, 1)).isEqualTo(0.5);
        assertThat(FaultRules.confidence(1, 1)).isBetween(0.7, 0.75);
        assertThat(FaultRules.confidence(3, 1)).isGreaterThan(0.95);
        assertThat(FaultRules.confidence(-1, 1)).isLessThan(0.5);
    }

    @Test
    void portraitFramesUseSixColumnsOfEightRows() {
        RgbImage photo = TestPhotos.load("coffee");
        RgbImage portrait = Degrade.resize(photo, 240, 400);
        CellReadings cells = SUITE.analyze(portrait, null).cells();
        assertThat(cells.cols()).isEqualTo(SpatialGrid.SHORT_CELLS);
        assertThat(cells.rows()).isEqualTo(SpatialGrid.LONG_CELLS);
    }
}
