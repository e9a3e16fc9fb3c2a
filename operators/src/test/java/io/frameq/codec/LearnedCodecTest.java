package io.frameq.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptorParser;
import io.frameq.model.ModelLoadException;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Images;
import io.frameq.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wacnn-lite (the shipped mid rate point) through the real graphs: Java → Java round trips at sizes that
 * need padding, and load-time checks. Cross-language parity is GoldenParityTest's.
 */
@org.junit.jupiter.api.Tag("slow")
class LearnedCodecTest {

    private static OrtRuntime runtime;
    private static LearnedCodec codec;
    private static LearnedCodec tiny; // amplified latents: many distinct symbols and escapes (make_tiny_codec.py)

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1));
        codec = LearnedCodec.open(ModelDescriptorParser.parse(TestModels.PROJECT_REPO.resolve("wacnn-lite/model.json")), runtime);
        tiny = LearnedCodec.open(ModelDescriptorParser.parse(TestModels.REPO.resolve("tiny-codec/model.json")), runtime);
    }

    @AfterAll
    static void close() {
        codec.close();
        tiny.close();
        runtime.close();
    }

    @Test
    void shouldDecodeWhatItEncodedAtSizesThatNeedPadding() {
        for (int[] size : new int[][] {{150, 100}, {64, 64}, {65, 130}}) {
            RgbImage image = Images.synthetic(size[0], size[1], 4);
            roundTrip(codec, image);
            LearnedCodec.Encoded enc = roundTrip(tiny, image);
            assertThat(java.util.Arrays.stream(enc.ySymbols()).distinct().count()).as("tiny-codec symbols vary").isGreaterThan(5);
        }
    }

    private static LearnedCodec.Encoded roundTrip(LearnedCodec codec, RgbImage image) {
        String at = codec.descriptor().name() + " " + image.width() + "x" + image.height();
        LearnedCodec.Encoded enc = codec.encode(image);
        LearnedCodec.Decoded dec = codec.decode(enc.stream());

        assertThat(enc.y().shape()).as(at).containsExactly(1, codec.descriptor().outputs().get(0).shape()[1],
                (image.height() + 63) / 64 * 4, (image.width() + 63) / 64 * 4);
        assertThat(dec.zSymbols()).as(at).containsExactly(enc.zSymbols());
        assertThat(dec.ySymbols()).as(at).containsExactly(enc.ySymbols());
        assertThat(dec.xHat().shape()).as(at).containsExactly(1, 3, image.height(), image.width());
        assertThat(dec.xHat().data()).as(at).containsExactly(enc.xHat().data());
        assertThat(dec.image().width()).isEqualTo(image.width());
        assertThat(codec.decompress(codec.compress(image)).pixels()).as(at).isEqualTo(dec.image().pixels());
        System.out.printf("codec round trip %s: %d bytes%n", at, enc.stream().length);
        return enc;
    }

    @Test
    void shouldPadCentredToAMultipleOf64() {
        assertThat(LearnedCodec.padBox(80, 120)).containsExactly(24, 4, 128, 128);
        assertThat(LearnedCodec.padBox(64, 64)).containsExactly(0, 0, 64, 64);
        assertThat(LearnedCodec.padBox(65, 1)).containsExactly(31, 31, 128, 64);
    }

    @Test
    void shouldRefuseANonCodecModel() {
        ModelDescriptor vtamiq = ModelDescriptorParser.parse(TestModels.PROJECT_REPO.resolve("vtamiq-lite/model.json"));
        assertThatThrownBy(() -> LearnedCodec.open(vtamiq, runtime)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("vtamiq-lite").hasMessageContaining("codec").hasMessageContaining("fr-iqa");
    }

    @Test
    void shouldStopAtATamperedTable(@TempDir Path tmp) throws IOException {
        Path src = TestModels.PROJECT_REPO.resolve("wacnn-lite");
        Path dst = tmp.resolve("wacnn-lite");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path to = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        int version = ModelDescriptorParser.parse(src.resolve("model.json")).version();
        Path table = dst.resolve(version + "/tables/y_offset.bin");
        byte[] b = Files.readAllBytes(table);
        String expectedSha = java.util.HexFormat.of().formatHex(sha256(b));
        b[0] ^= 1;
        Files.write(table, b);

        ModelDescriptor d = ModelDescriptorParser.parse(dst.resolve("model.json"));
        assertThatThrownBy(() -> LearnedCodec.open(d, runtime)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("wacnn-lite").hasMessageContaining("codec.tables.y_offset.sha256")
                .hasMessageContaining(expectedSha);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldRefuseAStreamThatIsNotOne() {
        assertThatThrownBy(() -> codec.decode(new byte[] {'F', 'Q', 'C', '2', 0, 0, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected \"FQC1\"");
    }
}
