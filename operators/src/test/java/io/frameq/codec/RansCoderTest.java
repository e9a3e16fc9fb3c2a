package io.frameq.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.testing.Npy;
import io.frameq.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rANS coder against the Python reference's streams (models/golden/wacnn-lite/rans.bin) and on its own. */
class RansCoderTest {

    private static final Path GOLDEN = TestModels.PROJECT_GOLDEN.resolve("wacnn-lite");
    private static final CdfTable SMALL = new CdfTable(new int[][] {{0, 1, 65534, 65535, 65536}, {0, 20000, 50000, 60000, 65536}},
            new int[] {5, 5}, new int[] {-1, 0});

    @Test
    void shouldWriteAndReadThePythonReferenceStreamByteForByte() throws IOException {
        CodecTables tables = tables();
        int[] symbols = ints(Npy.read(GOLDEN.resolve("rans_symbols.npy")).data());
        int[] indexes = ints(Npy.read(GOLDEN.resolve("rans_indexes.npy")).data());
        byte[] python = Files.readAllBytes(GOLDEN.resolve("rans.bin"));

        RansEncoder enc = new RansEncoder();
        enc.encode(symbols, indexes, tables.y());
        byte[] java = enc.flush();

        assertThat(java).as("a third of the symbols escape into bypass nibbles").isEqualTo(python);
        assertThat(new RansDecoder(python).decode(indexes, tables.y())).containsExactly(symbols);
    }

    @Test
    void shouldRoundTripInPiecesAndWithExtremeValues() {
        Random rnd = new Random(3);
        int[] a = new int[5000];
        int[] rows = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            rows[i] = rnd.nextInt(2);
            a[i] = i % 97 == 0 ? (i % 2 == 0 ? Integer.MAX_VALUE / 4 : -Integer.MAX_VALUE / 4) : rnd.nextInt(9) - 4;
        }
        RansEncoder enc = new RansEncoder();
        enc.encode(java.util.Arrays.copyOf(a, 1000), java.util.Arrays.copyOf(rows, 1000), SMALL);
        enc.encode(java.util.Arrays.copyOfRange(a, 1000, a.length), java.util.Arrays.copyOfRange(rows, 1000, a.length), SMALL);
        byte[] stream = enc.flush();

        RansDecoder dec = new RansDecoder(stream);
        int[] first = dec.decode(java.util.Arrays.copyOf(rows, 1000), SMALL);
        int[] rest = dec.decode(java.util.Arrays.copyOfRange(rows, 1000, a.length), SMALL);
        assertThat(first).containsExactly(java.util.Arrays.copyOf(a, 1000));
        assertThat(rest).containsExactly(java.util.Arrays.copyOfRange(a, 1000, a.length));
        assertThat(enc.flush()).as("flush empties the encoder").hasSize(8);
    }

    @Test
    void shouldRefuseBrokenInput() {
        assertThatThrownBy(() -> new RansEncoder().encode(new int[2], new int[1], SMALL))
                .hasMessage("RansEncoder: 2 symbols but 1 indexes");
        assertThatThrownBy(() -> new RansEncoder().encode(new int[1], new int[] {2}, SMALL))
                .hasMessage("RansEncoder: index 2 at 0 outside the table's 2 rows");
        assertThatThrownBy(() -> new RansDecoder(new byte[6])).hasMessage("RansDecoder: stream of 6 bytes; expected a multiple of 4, at least 8");
        RansEncoder enc = new RansEncoder();
        enc.encode(new int[] {3000, -3000, 7}, new int[] {0, 1, 1}, SMALL);
        byte[] stream = enc.flush();
        byte[] truncated = java.util.Arrays.copyOf(stream, 8);
        assertThatThrownBy(() -> new RansDecoder(truncated).decode(new int[] {0, 1, 1}, SMALL))
                .hasMessageContaining("RansDecoder: stream ended after 8 bytes");
        assertThatThrownBy(() -> new CdfTable(new int[][] {{0, 5, 9}}, new int[] {3}, new int[] {0}))
                .hasMessage("CdfTable: row 0 must run from 0 to 65536, got 0 .. 9");
    }

    @Test
    void shouldParseAndRefuseCodecStreams() {
        CodecStream s = new CodecStream(120, 80, new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8, 9, 10, 11, 12});
        CodecStream back = CodecStream.parse(s.toBytes());
        assertThat(back.width()).isEqualTo(120);
        assertThat(back.height()).isEqualTo(80);
        assertThat(back.z()).containsExactly(1, 2, 3, 4);
        assertThat(back.y()).hasSize(8);
        assertThatThrownBy(() -> CodecStream.parse("JPEG-not-a-codec".getBytes()))
                .hasMessageStartingWith("codec stream: magic [74, 80, 69, 71], expected \"FQC1\"");
        byte[] bad = s.toBytes();
        bad[8] = 100;
        assertThatThrownBy(() -> CodecStream.parse(bad)).hasMessage("codec stream: z length 100 exceeds the 12 bytes after the header");
        assertThatThrownBy(() -> CodecStream.parse(new byte[5])).hasMessage("codec stream: 5 bytes, expected at least the 12-byte header");
    }

    @Test
    void shouldPickTheGaussianRowOfAScale() {
        CodecTables t = tables();
        float[] table = t.scaleTable();
        assertThat(t.scaleIndex(0.0f)).as("below the bound").isZero();
        assertThat(t.scaleIndex(table[5])).isEqualTo(5);
        assertThat(t.scaleIndex(Math.nextUp(table[5]))).isEqualTo(6);
        assertThat(t.scaleIndex(1e9f)).isEqualTo(table.length - 1);
    }

    private static CodecTables tables() {
        io.frameq.model.ModelDescriptor d = io.frameq.model.ModelDescriptorParser.parse(
                TestModels.PROJECT_REPO.resolve("wacnn-lite/model.json"));
        return CodecTables.load(d, TestModels.PROJECT_REPO.resolve("wacnn-lite/" + d.version() + "/").toUri(), "tables.json");
    }

    private static int[] ints(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i]);
        }
        return out;
    }
}
