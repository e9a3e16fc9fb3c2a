package io.frameq.frame;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes RGB24 pictures to JPEG and PNG, and resizes them. Stateless and thread-safe.
 *
 * <p>JPEG goes through the JDK's ImageIO (libjpeg inside): JFIF, BT.601 full-range YCbCr, 4:2:0,
 * and {@code quality} means what it means to libjpeg/IJG tools, so "q90" here matches q90
 * elsewhere. FFmpeg's mjpeg encoder was measured too: it takes a qscale rather than an IJG quality
 * (and fixes the DC quantiser at 8), and with per-call set-up it was slower on 1080p (38-59 ms
 * against 20-25 ms), so it brings nothing here.
 *
 * <p>PNG is written here, not by ImageIO, whose writer tries every row filter at the strongest
 * compression and needs about half a second for a 1080p frame: this one uses the Paeth filter
 * and a fast deflate level, lossless all the same.
 */
public final class ImageEncoder {

    /** zlib level 3: close to level 6's size on filtered photos at a fraction of the time. */
    private static final int PNG_DEFLATE_LEVEL = 3;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int PNG_FILTER_PAETH = 4;

    private ImageEncoder() {}

    /**
     * @param quality 1 (smallest) to 100 (best), IJG semantics
     * @throws IllegalArgumentException when quality is outside 1..100
     */
    public static byte[] jpeg(RgbImage img, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("ImageEncoder.jpeg quality: expected 1..100, actual " + quality);
        }
        BufferedImage bgr = toBgrImage(img);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("ImageEncoder.jpeg: this JDK has no ImageIO JPEG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(img.width() * img.height() / 4);
        // A memory-cached stream: ImageIO's default may spill to temp files.
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(bgr, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("ImageEncoder.jpeg: encoding " + img + " failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Lossless 8-bit RGB PNG. */
    public static byte[] png(RgbImage img) {
        int w = img.width();
        int h = img.height();
        ByteArrayOutputStream out = new ByteArrayOutputStream(w * h);
        out.writeBytes(PNG_SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, w);
        putInt(header, 4, h);
        header[8] = 8; // bits per sample
        header[9] = 2; // colour type: RGB
        // compression 0 (deflate), filter method 0, no interlace: bytes 10..12 stay 0
        writeChunk(out, "IHDR", header, header.length);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(w * h);
        Deflater deflater = new Deflater(PNG_DEFLATE_LEVEL);
        try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, deflater, 64 * 1024)) {
            byte[] pixels = img.pixels();
            int rowBytes = w * 3;
            byte[] filtered = new byte[rowBytes + 1];
            filtered[0] = PNG_FILTER_PAETH;
            for (int y = 0; y < h; y++) {
                paeth(pixels, y * rowBytes, y == 0 ? -1 : (y - 1) * rowBytes, rowBytes, filtered);
                z.write(filtered);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ImageEncoder.png: compressing " + img + " failed", e); // cannot happen in memory
        } finally {
            deflater.end(); // native zlib memory
        }
        byte[] idat = compressed.toByteArray();
        writeChunk(out, "IDAT", idat, idat.length);
        writeChunk(out, "IEND", new byte[0], 0);
        return out.toByteArray();
    }

    /**
     * Bilinear resize with pixel centres aligned (OpenCV INTER_LINEAR, PyTorch
     * align_corners=false). Bilinear samples 2x2 neighbours, so shrinking by more than 2x aliases:
     * fine for display and model input at similar scales, not a substitute for area averaging.
     *
     * @return the same image when the size does not change
     * @throws IllegalArgumentException when width or height is not positive
     */
    public static RgbImage resize(RgbImage img, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("ImageEncoder.resize: target size must be positive, actual " + width + "x" + height);
        }
        if (width == img.width() && height == img.height()) {
            return img;
        }
        BilinearTaps xs = BilinearTaps.of(img.width(), width);
        BilinearTaps ys = BilinearTaps.of(img.height(), height);
        byte[] src = img.pixels();
        byte[] dst = new byte[width * height * 3];
        int srcRow = img.width() * 3;
        int o = 0;
        for (int y = 0; y < height; y++) {
            int row0 = ys.first[y] * srcRow;
            int row1 = ys.second[y] * srcRow;
            int wy = ys.weight[y];
            for (int x = 0; x < width; x++) {
                int c0 = xs.first[x] * 3;
                int c1 = xs.second[x] * 3;
                int wx = xs.weight[x];
                for (int c = 0; c < 3; c++) {
                    int top = (src[row0 + c0 + c] & 0xff) * (BilinearTaps.ONE - wx) + (src[row0 + c1 + c] & 0xff) * wx;
                    int bottom = (src[row1 + c0 + c] & 0xff) * (BilinearTaps.ONE - wx) + (src[row1 + c1 + c] & 0xff) * wx;
                    dst[o++] = (byte) ((top * (BilinearTaps.ONE - wy) + bottom * wy + BilinearTaps.ROUND) >> BilinearTaps.SHIFT2);
                }
            }
        }
        return new RgbImage(width, height, dst);
    }

    /** For each output coordinate: the two source coordinates and the weight of the second. */
    private record BilinearTaps(int[] first, int[] second, int[] weight) {
        static final int SHIFT = 11; // weights in 1/2048: products stay well inside an int
        static final int ONE = 1 << SHIFT;
        static final int SHIFT2 = 2 * SHIFT;
        static final int ROUND = 1 << (SHIFT2 - 1);

        static BilinearTaps of(int srcSize, int dstSize) {
            int[] first = new int[dstSize];
            int[] second = new int[dstSize];
            int[] weight = new int[dstSize];
            double scale = (double) srcSize / dstSize;
            for (int i = 0; i < dstSize; i++) {
                double s = Math.max(0, (i + 0.5) * scale - 0.5);
                int s0 = Math.min((int) s, srcSize - 1);
                first[i] = s0;
                second[i] = Math.min(s0 + 1, srcSize - 1);
                weight[i] = (int) Math.round((s - s0) * ONE);
            }
            return new BilinearTaps(first, second, weight);
        }
    }

    private static BufferedImage toBgrImage(RgbImage img) {
        BufferedImage bgr = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] src = img.pixels();
        for (int i = 0; i < src.length; i += 3) {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
        return bgr;
    }

    /** One row with the Paeth predictor; {@code prev} is -1 for the first row (treated as zeros). */
    private static void paeth(byte[] px, int row, int prev, int rowBytes, byte[] out) {
        for (int i = 0; i < rowBytes; i++) {
            int a = i >= 3 ? px[row + i - 3] & 0xff : 0;
            int b = prev >= 0 ? px[prev + i] & 0xff : 0;
            int c = prev >= 0 && i >= 3 ? px[prev + i - 3] & 0xff : 0;
            int p = a + b - c;
            int pa = Math.abs(p - a);
            int pb = Math.abs(p - b);
            int pc = Math.abs(p - c);
            int predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
            out[i + 1] = (byte) (px[row + i] - predictor);
        }
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] word = new byte[4];
        putInt(word, 0, length);
        out.writeBytes(word);
        out.writeBytes(typeBytes);
        out.write(data, 0, length);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data, 0, length);
        putInt(word, 0, (int) crc.getValue());
        out.writeBytes(word);
    }

    private static void putInt(byte[] b, int i, int value) {
        b[i] = (byte) (value >>> 24);
        b[i + 1] = (byte) (value >>> 16);
        b[i + 2] = (byte) (value >>> 8);
        b[i + 3] = (byte) value;
    }
}
