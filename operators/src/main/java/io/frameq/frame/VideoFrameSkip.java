package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONKEY;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;

import java.util.Locale;

/**
 * Which frames of a video segment the decoder may leave undecoded. Sampling every Nth frame
 * ({@link DecodeLimits#videoSampleEvery()}) still decodes all of them, since later frames predict from earlier ones;
 * frames that no other frame predicts from can be skipped at no cost to the rest.
 */
public enum VideoFrameSkip {
    /** Decode every frame. */
    NONE("none", AVDISCARD_DEFAULT),
    /**
     * Skip the frames no other frame references (in H.264 with B-frames most B-frames; none in an I/P-only
     * stream). The kept frames decode exactly as they would otherwise.
     */
    NON_REFERENCE("nonref", AVDISCARD_NONREF),
    /** Decode the keyframes only: one picture per GOP. */
    NON_KEY("nonkey", AVDISCARD_NONKEY);

    private final String configName;
    private final int avDiscard;

    VideoFrameSkip(String configName, int avDiscard) {
        this.configName = configName;
        this.avDiscard = avDiscard;
    }

    /** The value's name in configuration ({@code decode.video.skip.frames}). */
    public String configName() {
        return configName;
    }

    /** FFmpeg's {@code skip_frame} value for it. */
    int avDiscard() {
        return avDiscard;
    }

    /** The value named {@code name} in configuration: {@code none}, {@code nonref} or {@code nonkey}. */
    public static VideoFrameSkip fromConfigName(String name) {
        for (VideoFrameSkip s : values()) {
            if (s.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("decode.video.skip.frames: expected none, nonref or nonkey, actual '" + name + "'");
    }
}
