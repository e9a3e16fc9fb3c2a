package io.frameq.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The container of one coded image ({@code FQC1}, little-endian): magic {@code "FQC1"}, uint16
 * width, uint16 height, uint32 length of the z stream, the z stream, the y stream (both
 * {@link RansEncoder} streams). As {@code frameq_models.codec.runtime} writes it.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param z the hyper-latent stream
 * @param y the latent stream (all slices, in order)
 */
public record CodecStream(int width, int height, byte[] z, byte[] y) {

    static final byte[] MAGIC = {'F', 'Q', 'C', '1'};
    static final int HEADER = 12;

    public CodecStream {
        if (width <= 0 || width > 0xFFFF || height <= 0 || height > 0xFFFF) {
            throw new IllegalArgumentException("CodecStream: image " + width + "x" + height + " outside 1..65535");
        }
        z = z.clone();
        y = y.clone();
    }

    @Override
    public byte[] z() {
        return z.clone();
    }

    @Override
    public byte[] y() {
        return y.clone();
    }

    /** The stream's bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + z.length + y.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) width).putShort((short) height).putInt(z.length).put(z).put(y);
        return b.array();
    }

    /**
     * Parses a stream.
     *
     * @throws IllegalArgumentException naming what is wrong when the magic, the sizes or the z length
     *     do not fit
     */
    public static CodecStream parse(byte[] data) {
        if (data.length < HEADER) {
            throw new IllegalArgumentException("codec stream: " + data.length + " bytes, expected at least the "
                    + HEADER + "-byte header");
        }
        if (!Arrays.equals(data, 0, 4, MAGIC, 0, 4)) {
            throw new IllegalArgumentException("codec stream: magic " + Arrays.toString(Arrays.copyOf(data, 4))
                    + ", expected \"FQC1\"");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int width = Short.toUnsignedInt(b.getShort(4));
        int height = Short.toUnsignedInt(b.getShort(6));
        long zLength = Integer.toUnsignedLong(b.getInt(8));
        if (zLength > data.length - HEADER) {
            throw new IllegalArgumentException("codec stream: z length " + zLength + " exceeds the "
                    + (data.length - HEADER) + " bytes after the header");
        }
        int zEnd = HEADER + (int) zLength;
        return new CodecStream(width, height, Arrays.copyOfRange(data, HEADER, zEnd), Arrays.copyOfRange(data, zEnd, data.length));
    }
}
