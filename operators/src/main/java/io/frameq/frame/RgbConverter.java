package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_alloc_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;

/**
 * Converts decoded FFmpeg frames (any pixel format) to packed RGB24 with swscale, reusing one
 * scaler and one output buffer. Not thread-safe: one per decode session.
 *
 * <p>Colour: {@code sws_scale_frame} reads the matrix and range from the frame, so JPEG's full
 * range and a video's signalled BT.709 are honoured; unsignalled video is treated as BT.601
 * limited range (swscale's default). Chroma upsampling follows {@link RgbConversion}. The image carries the
 * frame's luma plane where {@link LumaPlane} says it is the detectors' luma.
 */
final class RgbConverter implements AutoCloseable {

    /** swscale's SIMD paths want aligned rows; copying row by row out of the padded buffer is cheap. */
    private static final int ROW_ALIGN = 64;
    /**
     * Room past the last row: swscale may write beyond the picture's last row (the fuzz campaign
     * found a 33x8 yuvj420p JPEG whose conversion overran an exactly sized buffer and corrupted the
     * native heap, aborting the JVM; RELIABILITY.md). One spare row plus 4 KiB, on a buffer that is
     * reused, costs nothing and keeps such writes inside memory we own.
     */
    private static final int SLACK = 4096;

    private final SwsContext sws;
    private final AVFrame dst;
    private BytePointer buffer;
    private long bufferBytes;

    RgbConverter(RgbConversion conversion) {
        sws = sws_alloc_context();
        if (sws == null || sws.isNull()) {
            throw new IllegalStateException("RgbConverter: sws_alloc_context returned null");
        }
        // Same-size conversion: the scaler kind (bilinear) does not matter, the two flags decide
        // between the unscaled fast path and interpolated chroma with exact rounding.
        sws.flags(conversion == RgbConversion.ACCURATE ? SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT : SWS_BILINEAR);
        sws.threads(1); // callers run many decodes in parallel already
        dst = av_frame_alloc();
        if (dst == null || dst.isNull()) {
            sws_freeContext(sws);
            throw new IllegalStateException("RgbConverter: av_frame_alloc returned null");
        }
    }

    /**
     * @param src a decoded frame, left untouched
     * @param what names the source in error messages
     */
    RgbImage toRgb(AVFrame src, String what) throws FrameDecodeException {
        int width = src.width();
        int height = src.height();
        int rowBytes = width * 3;
        int stride = (rowBytes + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        ensureBuffer((long) stride * (height + 1) + SLACK);
        av_frame_unref(dst);
        dst.format(AV_PIX_FMT_RGB24);
        dst.width(width);
        dst.height(height);
        dst.data(0, buffer);
        dst.linesize(0, stride);
        FfmpegNatives.clearLastError();
        int rc = sws_scale_frame(sws, dst, src);
        av_frame_unref(dst); // forgets our buffer pointer; the frame owns no reference to it
        if (rc < 0) {
            throw new FrameDecodeException(FrameDecodeException.Reason.CORRUPT, what + ": converting pixel format "
                    + pixelFormatName(src.format()) + " " + width + "x" + height + " to rgb24 failed: " + FfmpegNatives.explain(rc));
        }
        byte[] pixels = new byte[rowBytes * height];
        if (stride == rowBytes) {
            buffer.position(0).get(pixels);
        } else {
            for (int y = 0; y < height; y++) {
                buffer.position((long) y * stride).get(pixels, y * rowBytes, rowBytes);
            }
        }
        buffer.position(0);
        return new RgbImage(width, height, pixels, LumaPlane.copyOf(src));
    }

    static String pixelFormatName(int format) {
        BytePointer name = av_get_pix_fmt_name(format);
        return name == null || name.isNull() ? "pix_fmt " + format : name.getString();
    }

    private void ensureBuffer(long bytes) {
        if (bytes <= bufferBytes) {
            return;
        }
        freeBuffer();
        BytePointer p = new BytePointer(av_malloc(bytes));
        if (p.isNull()) {
            throw new OutOfMemoryError("RgbConverter: av_malloc(" + bytes + ") returned null");
        }
        buffer = p.capacity(bytes);
        bufferBytes = bytes;
    }

    private void freeBuffer() {
        if (buffer != null) {
            av_free(buffer.position(0));
            buffer = null;
            bufferBytes = 0;
        }
    }

    @Override
    public void close() {
        freeBuffer();
        av_frame_free(dst);
        sws_freeContext(sws);
    }
}
