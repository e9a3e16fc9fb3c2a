package io.frameq.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal reader of NumPy {@code .npy} files (format 1.0-3.0): little-endian float32/float64/int64
 * arrays in C order, returned as float32. Enough for golden files; not a general NPY library.
 */
public final class Npy {

    /** An array read from a file: its shape and its elements, row-major, as floats. */
    public record Array(long[] shape, float[] data) {
        @Override
        public String toString() {
            return "Npy" + Arrays.toString(shape);
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static Array read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": not an .npy file");
        }
        int major = b.get();
        b.get(); // minor
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file);
        if (group(FORTRAN, header, file).equals("True")) {
            throw new IOException(file + ": fortran_order arrays are not supported");
        }
        long[] shape = Arrays.stream(group(SHAPE, header, file).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        float[] data = new float[n];
        switch (descr) {
            case "<f4" -> b.asFloatBuffer().get(data);
            case "<f8" -> {
                for (int i = 0; i < n; i++) {
                    data[i] = (float) b.getDouble();
                }
            }
            case "<i8" -> {
                for (int i = 0; i < n; i++) {
                    data[i] = b.getLong();
                }
            }
            default -> throw new IOException(file + ": dtype " + descr + " is not supported (expected <f4, <f8 or <i8)");
        }
        return new Array(shape, data);
    }

    private static String group(Pattern p, String header, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": header without " + p.pattern() + ": " + header);
        }
        return m.group(1);
    }
}
