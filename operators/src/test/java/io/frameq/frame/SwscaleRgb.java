package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;

/** For tests in other packages: a JPEG decoded by FFmpeg at 1/2^lowres scale and converted to RGB by swscale, as before planes. */
public final class SwscaleRgb {

    private SwscaleRgb() {
    }

    public static RgbImage decode(byte[] jpeg, int lowres) throws FrameDecodeException {
        try (FfmpegImageSession session = new FfmpegImageSession(ContentType.JPEG, AV_CODEC_ID_MJPEG, RgbConversion.FAST, lowres)) {
            return session.decode(jpeg, DecodeLimits.DEFAULT);
        }
    }
}
