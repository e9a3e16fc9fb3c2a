package io.frameq.frame;

import io.frameq.frame.FrameDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG and PNG with the JDK's ImageIO: the fallback when FFmpeg's natives do not load,
 * with the same contract as {@link FfmpegImageDecoder}. Thread-safe (a new reader per call).
 *
 * <p>Same error policy as FFmpeg's: ImageIO returns a truncated JPEG as a picture with a grey tail
 * and only a warning ("Premature end of JPEG file"); any reader warning refuses the payload as
 * CORRUPT. Pixels are the file's samples: alpha is dropped, embedded ICC profiles are ignored and
 * grey is replicated to R=G=B (ImageIO's getRGB would apply a linear-grey colour conversion).
 */
public final class ImageIoDecoder implements FrameDecoder {

    @Override
    public boolean supports(ContentType type) {
        return type == ContentType.JPEG || type == ContentType.PNG;
    }

    @Override
    public List<DecodedFrame> decode(byte[] payload, FrameMetadata meta, DecodeLimits limits) throws FrameDecodeException {
        ContentType type = StillImages.resolveType(payload, meta, this);
        StillImages.checkHeaderDimensions(type, payload, limits);
        try {
            return List.of(new DecodedFrame(read(type, payload, limits), 0, -1));
        } catch (FrameDecodeException e) {
            throw StillImages.withMislabelHint(e, type, payload);
        }
    }

    private static RgbImage read(ContentType type, byte[] payload, DecodeLimits limits) throws FrameDecodeException {
        String what = type.mime() + " payload of " + payload.length + " bytes";
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(type == ContentType.JPEG ? "jpeg" : "png");
        if (!readers.hasNext()) {
            throw new IllegalStateException("ImageIoDecoder: this JDK has no ImageIO reader for " + type.mime());
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        // A memory-cached stream: ImageIO's default may spill to temp files.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(payload))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            limits.checkDimensions(type.mime(), reader.getWidth(0), reader.getHeight(0));
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new FrameDecodeException(Reason.CORRUPT, what + ": ImageIO reported " + String.join("; ", warnings));
            }
            return toRgb(image);
        } catch (FrameDecodeException e) {
            throw e; // already says why (OVER_LIMIT, CORRUPT): the catch below must not relabel it
        } catch (IOException | RuntimeException e) {
            // RuntimeException: ImageIO plugins throw IndexOutOfBounds and friends on malformed data.
            throw new FrameDecodeException(Reason.CORRUPT, what + ": ImageIO could not decode it: " + e, e);
        } finally {
            reader.dispose();
        }
    }

    /** Packs any decoded image into RGB24 from its raster samples. */
    static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster raster = image.getRaster();
        if (image.getColorModel() instanceof IndexColorModel) {
            copyArgb(image, out);
        } else if (isPlainByteRaster(raster)) {
            copyBytes(raster, out);
        } else {
            copySamples(raster, out);
        }
        return new RgbImage(w, h, out);
    }

    private static boolean isPlainByteRaster(Raster raster) {
        return raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1
                && buffer.getOffset() == 0
                && raster.getSampleModel() instanceof ComponentSampleModel
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && (raster.getNumBands() == 1 || raster.getNumBands() >= 3);
    }

    /** Fast path for 8-bit interleaved rasters (ImageIO's JPEG and 8-bit PNG output). */
    private static void copyBytes(Raster raster, byte[] out) {
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
        int[] offsets = sm.getBandOffsets();
        int[] banks = sm.getBankIndices();
        int pixelStride = sm.getPixelStride();
        int scanline = sm.getScanlineStride();
        boolean grey = raster.getNumBands() == 1;
        int r = offsets[0];
        int g = grey ? r : offsets[1];
        int b = grey ? r : offsets[2];
        if (banks[0] != 0 || (!grey && (banks[1] != 0 || banks[2] != 0))) {
            copySamples(raster, out);
            return;
        }
        int w = raster.getWidth();
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            int p = y * scanline;
            for (int x = 0; x < w; x++, p += pixelStride) {
                out[o++] = data[p + r];
                out[o++] = data[p + g];
                out[o++] = data[p + b];
            }
        }
    }

    /** General path: any sample depth (16-bit PNG), scaled to 8 bits with rounding. */
    private static void copySamples(Raster raster, byte[] out) {
        int w = raster.getWidth();
        int bands = raster.getNumBands();
        boolean grey = bands < 3;
        int bits = raster.getSampleModel().getSampleSize(0);
        int max = (1 << bits) - 1;
        int[] row = new int[w * bands];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int p = x * bands;
                int r = row[p];
                int g = grey ? r : row[p + 1];
                int b = grey ? r : row[p + 2];
                out[o++] = (byte) scale(r, max);
                out[o++] = (byte) scale(g, max);
                out[o++] = (byte) scale(b, max);
            }
        }
    }

    private static int scale(int sample, int max) {
        return max == 255 ? sample : (sample * 255 + max / 2) / max;
    }

    /** Palette images: the palette is sRGB, so ARGB is exact. */
    private static void copyArgb(BufferedImage image, byte[] out) {
        int w = image.getWidth();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int argb : row) {
                out[o++] = (byte) (argb >> 16);
                out[o++] = (byte) (argb >> 8);
                out[o++] = (byte) argb;
            }
        }
    }
}
