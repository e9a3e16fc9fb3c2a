package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
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

import java.util.Set;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * The luma {@link RgbImage#luma()} stands for, taken from a decoded frame's Y plane when that plane already is it:
 * 8-bit planar Y'CbCr with the BT.601 matrix (or no matrix signalled, which swscale converts as BT.601). Full range
 * (JFIF JPEG) is copied; limited range (video) is expanded, {@code (Y - 16) * 255 / 219}, which is what the
 * BT.601 luma of swscale's RGB output comes to. Other matrices (BT.709 video), grey planes without a signalled
 * range and packed RGB return null, and the detectors then compute luma from the RGB pixels.
 */
final class LumaPlane {

    /** How a frame's first plane relates to full-range BT.601 luma. */
    enum Kind { FULL_RANGE, LIMITED_RANGE, NOT_LUMA }

    private static final Set<Integer> FULL_RANGE_FORMATS = Set.of(AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P,
            AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUVJ411P);
    private static final Set<Integer> PLANAR_FORMATS = Set.of(AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV422P, AV_PIX_FMT_YUV444P,
            AV_PIX_FMT_YUV440P, AV_PIX_FMT_YUV411P);
    private static final Set<Integer> BT601_MATRICES = Set.of(AVCOL_SPC_UNSPECIFIED, AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M);
    /** Limited-range Y (16..235) to full range, rounded and clipped. */
    private static final byte[] EXPAND = new byte[256];

    static {
        for (int y = 0; y < 256; y++) {
            EXPAND[y] = (byte) Math.max(0, Math.min(255, Math.round((y - 16) * 255 / 219.0)));
        }
    }

    private LumaPlane() {
    }

    static Kind kind(int format, int colorRange, int colorSpace) {
        if (!BT601_MATRICES.contains(colorSpace)) {
            return Kind.NOT_LUMA;
        }
        if (FULL_RANGE_FORMATS.contains(format) || format == AV_PIX_FMT_GRAY8 && colorRange == AVCOL_RANGE_JPEG) {
            return Kind.FULL_RANGE;
        }
        if (PLANAR_FORMATS.contains(format)) {
            // swscale treats an unsignalled range of these formats as limited, so the RGB path does too
            return colorRange == AVCOL_RANGE_JPEG ? Kind.FULL_RANGE : Kind.LIMITED_RANGE;
        }
        return Kind.NOT_LUMA;
    }

    /** A heap copy of the frame's luma without row padding, or null when its Y plane is not BT.601 luma. */
    static byte[] copyOf(AVFrame frame) {
        Kind kind = kind(frame.format(), frame.color_range(), frame.colorspace());
        if (kind == Kind.NOT_LUMA) {
            return null;
        }
        int w = frame.width();
        int h = frame.height();
        int stride = frame.linesize(0);
        BytePointer y = frame.data(0);
        byte[] luma = new byte[w * h];
        if (stride == w) {
            y.position(0).get(luma, 0, w * h);
        } else {
            for (int row = 0; row < h; row++) {
                y.position((long) row * stride).get(luma, row * w, w);
            }
        }
        y.position(0);
        if (kind == Kind.LIMITED_RANGE) {
            for (int i = 0; i < luma.length; i++) {
                luma[i] = EXPAND[luma[i] & 0xff];
            }
        }
        return luma;
    }
}
