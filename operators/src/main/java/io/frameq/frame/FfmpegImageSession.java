package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_BITSTREAM;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_BUFFER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_CRCCHECK;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import io.frameq.frame.FrameDecodeException.Reason;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * One opened FFmpeg image decoder (MJPEG or PNG) with its packet, frame, input buffer and RGB
 * converter, reused across payloads. Not thread-safe: {@link FfmpegImageDecoder} lends each
 * session to one thread at a time.
 *
 * <p>Error policy: the codec runs with {@code AV_EF_EXPLODE} (plus CRC, bitstream and buffer
 * checks), so FFmpeg fails a payload instead of concealing damage. Without it FFmpeg returns a
 * truncated JPEG as a full picture whose missing part is grey, which would reach the quality
 * models as a "valid" badly degraded frame. A payload is also refused when FFmpeg logged an error
 * while decoding it, or flagged the frame corrupt. Damage that leaves the bitstream well formed
 * (flipped bits inside JPEG entropy data) cannot be detected by any decoder and is accepted.
 */
final class FfmpegImageSession implements AutoCloseable {

    /** AV_FRAME_FLAG_CORRUPT, a macro the JavaCPP presets do not expose. */
    private static final int AV_FRAME_FLAG_CORRUPT = 1;

    private final ContentType type;
    private final int lowres;
    private final AVCodec decoder;
    private AVCodecContext codec;
    private boolean codecUsed;
    private final AVPacket packet;
    private final AVFrame frame;
    private final RgbConverter converter;
    private BytePointer input;
    private long inputBytes;

    FfmpegImageSession(ContentType type, int codecId, RgbConversion conversion) {
        this(type, codecId, conversion, 0);
    }

    /**
     * @param lowres FFmpeg's {@code lowres}: the picture comes out shrunk by 2^lowres in the DCT domain (MJPEG: the
     *     inverse DCT of each 8x8 block runs on its low-frequency 4x4, 2x2 corner), which skips most of the IDCT and
     *     colour conversion work; 0 = full size
     */
    FfmpegImageSession(ContentType type, int codecId, RgbConversion conversion, int lowres) {
        this.type = type;
        this.lowres = lowres;
        this.decoder = avcodec_find_decoder(codecId);
        if (decoder == null || decoder.isNull()) {
            throw new IllegalStateException("FfmpegImageSession: FFmpeg has no decoder for " + avcodec_get_name(codecId).getString());
        }
        AVCodecContext c = openCodec(decoder, lowres);
        AVPacket p = null;
        AVFrame f = null;
        RgbConverter conv = null;
        try {
            p = av_packet_alloc();
            f = av_frame_alloc();
            conv = new RgbConverter(conversion);
        } catch (RuntimeException | Error e) {
            if (conv != null) {
                conv.close();
            }
            if (f != null) {
                av_frame_free(f);
            }
            if (p != null) {
                av_packet_free(p);
            }
            avcodec_free_context(c);
            throw e;
        }
        codec = c;
        packet = p;
        frame = f;
        converter = conv;
    }

    private static AVCodecContext openCodec(AVCodec decoder, int lowres) {
        AVCodecContext c = avcodec_alloc_context3(decoder);
        if (c == null || c.isNull()) {
            throw new OutOfMemoryError("FfmpegImageSession: avcodec_alloc_context3 returned null");
        }
        c.thread_count(1); // parallelism comes from the stream threads; codec threads would oversubscribe
        c.err_recognition(AV_EF_EXPLODE | AV_EF_CRCCHECK | AV_EF_BITSTREAM | AV_EF_BUFFER);
        c.lowres(lowres);
        int rc = avcodec_open2(c, decoder, (AVDictionary) null);
        if (rc < 0) {
            avcodec_free_context(c);
            throw new IllegalStateException("FfmpegImageSession: avcodec_open2(" + decoder.name().getString() + ") failed: "
                    + FfmpegNatives.errorText(rc));
        }
        return c;
    }

    /**
     * Whether the codec context may carry over from the previous payload. PNG: never. FFmpeg
     * 8.1.2's PNG decoder zeroes its "row above the first row" buffer only when it allocates it
     * (av_fast_padded_mallocz), so the next image of the same size starts from the previous
     * image's last row and every Up/Average/Paeth-filtered row comes out wrong (found by
     * FrameDecodersTest; a fresh context costs ~11 us). JPEG: only when the payload
     * defines its own quantisation and Huffman tables; an abbreviated JPEG (some cameras' MJPEG
     * frames omit DHT) would otherwise inherit the tables of whichever payload the pooled context
     * decoded last, instead of the standard defaults a fresh context (~67 us) gives.
     */
    private boolean mayReuseCodec(byte[] payload) {
        return type == ContentType.JPEG && EncodedImageSize.jpegDefinesTables(payload);
    }

    /** Decodes one whole image; after an exception the session must be discarded. */
    RgbImage decode(byte[] payload, DecodeLimits limits) throws FrameDecodeException {
        return decode(payload, limits, false);
    }

    /**
     * Decodes one whole image for the detectors only: a JPEG's own planes ({@link RgbImage#ofPlanes}) when they are
     * full-range BT.601 Y'CbCr, which skips swscale and the RGB array; other pictures as {@link #decode(byte[], DecodeLimits)}.
     */
    RgbImage decodeForDetectors(byte[] payload, DecodeLimits limits) throws FrameDecodeException {
        return decode(payload, limits, true);
    }

    private RgbImage decode(byte[] payload, DecodeLimits limits, boolean planesWillDo) throws FrameDecodeException {
        String what = type.mime() + " payload of " + payload.length + " bytes";
        if (codecUsed && !mayReuseCodec(payload)) {
            avcodec_free_context(codec);
            codec = null;
            codec = openCodec(decoder, lowres);
        }
        codecUsed = true;
        // Second line of defence after the header probe: the codec itself refuses larger pictures.
        codec.max_pixels((long) limits.maxWidth() * limits.maxHeight());
        copyToInput(payload);
        FfmpegNatives.clearLastError();
        try {
            packet.data(input);
            packet.size(payload.length);
            int rc = avcodec_send_packet(codec, packet);
            if (rc < 0) {
                throw corrupt(what, "decoder refused the data", rc);
            }
            rc = avcodec_receive_frame(codec, frame);
            if (rc == AVERROR_EAGAIN()) {
                // A decoder that holds frames back: drain it (the flush below ends draining mode).
                avcodec_send_packet(codec, null);
                rc = avcodec_receive_frame(codec, frame);
            }
            if (rc < 0) {
                throw corrupt(what, "no picture came out", rc);
            }
            if ((frame.flags() & AV_FRAME_FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0) {
                throw new FrameDecodeException(Reason.CORRUPT, what + ": FFmpeg flagged the picture corrupt (decode_error_flags="
                        + frame.decode_error_flags() + ")" + saying());
            }
            if (!FfmpegNatives.lastError().isEmpty()) {
                throw new FrameDecodeException(Reason.CORRUPT, what + ": FFmpeg reported an error while decoding" + saying());
            }
            limits.checkDimensions(type.mime(), frame.width(), frame.height());
            YuvPlanes planes = planesWillDo ? JpegPlanes.copyOf(frame) : null;
            return planes != null ? RgbImage.ofPlanes(planes) : converter.toRgb(frame, what);
        } finally {
            av_packet_unref(packet);
            av_frame_unref(frame);
            avcodec_flush_buffers(codec);
        }
    }

    private static FrameDecodeException corrupt(String what, String problem, int rc) {
        return new FrameDecodeException(Reason.CORRUPT, what + ": " + problem + ": " + FfmpegNatives.explain(rc));
    }

    private static String saying() {
        String last = FfmpegNatives.lastError();
        return last.isEmpty() ? "" : ": " + last;
    }

    /**
     * FFmpeg reads up to AV_INPUT_BUFFER_PADDING_SIZE bytes past the end of a packet, which must be
     * zero: the input buffer is native, padded, and grown only when a larger payload arrives.
     */
    private void copyToInput(byte[] payload) {
        long needed = (long) payload.length + AV_INPUT_BUFFER_PADDING_SIZE;
        if (needed > inputBytes) {
            freeInput();
            BytePointer p = new BytePointer(av_malloc(needed));
            if (p.isNull()) {
                throw new OutOfMemoryError("FfmpegImageSession: av_malloc(" + needed + ") returned null");
            }
            input = p.capacity(needed);
            inputBytes = needed;
        }
        input.position(0).put(payload, 0, payload.length);
        input.position(payload.length).limit(needed).fill(0);
        input.position(0).limit(inputBytes);
    }

    private void freeInput() {
        if (input != null) {
            av_free(input.position(0));
            input = null;
            inputBytes = 0;
        }
    }

    @Override
    public void close() {
        converter.close();
        freeInput();
        av_frame_free(frame);
        av_packet_free(packet);
        if (codec != null) {
            avcodec_free_context(codec);
        }
    }
}
