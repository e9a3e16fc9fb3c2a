package io.frameq.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.frame.RgbImage;
import io.frameq.testing.Images;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fixtures: src/test/python/make_resample_fixtures.py (Pillow's Image.resize with BILINEAR). */
class BilinearResamplerTest {

    private static final Path DIR = Path.of("src/test/resources/resample");

    @ParameterizedTest(name = "31x17 -> {0}x{1}")
    @CsvSource({"53, 29", "31, 40", "70, 17", "224, 123", "12, 9", "31, 17"})
    void shouldMatchPillowBitForBit(int width, int height) throws IOException {
        RgbImage source = Images.read(DIR.resolve("source.png"));
        RgbImage pil = Images.read(DIR.resolve("pil-" + width + "x" + height + ".png"));

        RgbImage java = BilinearResampler.resize(source, width, height);

        assertThat(java.width()).isEqualTo(width);
        assertThat(java.height()).isEqualTo(height);
        assertThat(java.pixels()).isEqualTo(pil.pixels());
    }
}
