package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV411P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ411P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;

import java.util.Map;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * A decoded frame's planes as {@link YuvPlanes}, when they are what YuvPlanes means: planar 8-bit Y'CbCr, full
 * range, BT.601 matrix (or none signalled), which is every baseline JFIF JPEG. Anything else (grey, CMYK or RGB
 * JPEGs, limited range, other matrices) gives null and the caller converts to RGB with swscale as usual.
 */
final class JpegPlanes {

    /** Chroma subsampling per planar format, as {log2 across, log2 down}. */
    private static final Map<Integer, int[]> SHIFTS = Map.of(
            AV_PIX_FMT_YUVJ420P, new int[] {1, 1}, AV_PIX_FMT_YUV420P, new int[] {1, 1},
            AV_PIX_FMT_YUVJ422P, new int[] {1, 0}, AV_PIX_FMT_YUV422P, new int[] {1, 0},
            AV_PIX_FMT_YUVJ444P, new int[] {0, 0}, AV_PIX_FMT_YUV444P, new int[] {0, 0},
            AV_PIX_FMT_YUVJ440P, new int[] {0, 1}, AV_PIX_FMT_YUV440P, new int[] {0, 1},
            AV_PIX_FMT_YUVJ411P, new int[] {2, 0}, AV_PIX_FMT_YUV411P, new int[] {2, 0});

    private JpegPlanes() {
    }

    /** Heap copies of the frame's three planes without row padding, or null when they are not full-range BT.601 Y'CbCr. */
    static YuvPlanes copyOf(AVFrame frame) {
        int[] shift = SHIFTS.get(frame.format());
        if (shift == null
                || LumaPlane.kind(frame.format(), frame.color_range(), frame.colorspace()) != LumaPlane.Kind.FULL_RANGE) {
            return null;
        }
        int w = frame.width();
        int h = frame.height();
        int cw = (w + (1 << shift[0]) - 1) >> shift[0];
        int ch = (h + (1 << shift[1]) - 1) >> shift[1];
        return new YuvPlanes(w, h, copy(frame, 0, w, h), copy(frame, 1, cw, ch), copy(frame, 2, cw, ch), shift[0], shift[1]);
    }

    private static byte[] copy(AVFrame frame, int plane, int w, int h) {
        int stride = frame.linesize(plane);
        BytePointer data = frame.data(plane);
        byte[] out = new byte[w * h];
        if (stride == w) {
            data.position(0).get(out, 0, w * h);
        } else {
            for (int row = 0; row < h; row++) {
                data.position((long) row * stride).get(out, row * w, w);
            }
        }
        data.position(0);
        return out;
    }
}
