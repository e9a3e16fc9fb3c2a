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
 * The Y plane of a decoded frame, when it already is the luma {@link RgbImage#luma()} stands for:
 * 8-bit planar Y'CbCr (or grey) in full range with the BT.601 matrix, which is what JFIF JPEG
 * stores. Limited-range video and other matrices return null: their Y is not that quantity without
 * a conversion, and the detectors then compute luma from the RGB pixels as before.
 */
final class LumaPlane {

    private static final Set<Integer> FULL_RANGE_FORMATS = Set.of(AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P,
            AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUVJ411P);
    private static final Set<Integer> PLANAR_FORMATS = Set.of(AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV422P, AV_PIX_FMT_YUV444P,
            AV_PIX_FMT_YUV440P, AV_PIX_FMT_YUV411P, AV_PIX_FMT_GRAY8);
    private static final Set<Integer> BT601_MATRICES = Set.of(AVCOL_SPC_UNSPECIFIED, AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M);

    private LumaPlane() {
    }

    /** Whether {@code frame}'s first plane is full-range BT.601 luma. */
    static boolean isFullRangeBt601(int format, int colorRange, int colorSpace) {
        boolean fullRange = FULL_RANGE_FORMATS.contains(format) || PLANAR_FORMATS.contains(format) && colorRange == AVCOL_RANGE_JPEG;
        return fullRange && BT601_MATRICES.contains(colorSpace);
    }

    /** A heap copy of the frame's Y plane without row padding, or null when it is not full-range BT.601 luma. */
    static byte[] copyOf(AVFrame frame) {
        if (!isFullRangeBt601(frame.format(), frame.color_range(), frame.colorspace())) {
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
        return luma;
    }
}
