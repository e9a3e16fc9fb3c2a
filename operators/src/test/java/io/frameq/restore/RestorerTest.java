package io.frameq.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.TestModels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RestorerTest {

    private static OrtRuntime runtime;
    private static ModelRepository repo;

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
        repo = ModelRepository.of(List.of(TestModels.PROJECT_REPO), false);
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    private static RgbImage random(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        new Random(seed).nextBytes(px);
        return new RgbImage(w, h, px);
    }

    @Test
    void shouldRefuseModelsOfAnotherFamily() {
        ModelDescriptor nr = repo.resolve("maniqa-lite");
        assertThatThrownBy(() -> Restorer.check(nr)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("family").hasMessageContaining("restore");
    }

    @Test
    void shouldRoundTripTheNormalisation() {
        try (Restorer r = Restorer.open(repo, "lpienet-lite", runtime)) {
            RgbImage img = random(7, 5, 1);
            FloatTensor in = r.input(img);
            assertThat(in.shape()).containsExactly(1, 3, 5, 7);
            assertThat(in.data()[0]).isEqualTo((img.pixels()[0] & 0xff) / 255f);
            RgbImage back = Restorer.toImage(in, r.descriptor().preprocess());
            assertThat(back.pixels()).isEqualTo(img.pixels());
        }
    }

    @Test
    void shouldRestoreFramesWhoseSizeIsNotAMultipleOfTheNetworkStride() {
        for (String name : List.of("lpienet-lite", "mirnet-v2-lite")) {
            try (Restorer r = Restorer.open(repo, name, runtime)) {
                RgbImage img = random(45, 30, 2);
                Restorer.Restored out = r.restore(img);
                assertThat(out.tensor().shape()).as(name).containsExactly(1, 3, 30, 45);
                assertThat(out.image().width()).isEqualTo(45);
                assertThat(out.image().height()).isEqualTo(30);
                for (float v : out.tensor().data()) {
                    assertThat(v).isBetween(0f, 1f);
                }
            }
        }
    }
}
