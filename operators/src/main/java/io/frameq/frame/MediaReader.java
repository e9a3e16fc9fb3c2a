package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONKEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.frameq.frame.FrameDecodeException.Reason;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Reads the best video stream of a file, image sequence or URL frame by frame (avformat +
 * avcodec), for sources that must not hold a whole clip in memory (unlike {@link VideoDemuxer},
 * which decodes one bounded segment at once). Frames are converted to RGB24 only when asked
 * ({@link #rgb()}), so frames a sampler skips cost only their decoding.
 *
 * <p>Frames FFmpeg flags corrupt are skipped and counted, like {@link VideoDemuxer} does. A read
 * error other than the end of the input ends the stream too; {@link #readError()} then says why,
 * so a live source can tell a dropped connection from a finished file. Single thread; close it.
 */
public final class MediaReader implements AutoCloseable {

    /** AV_FRAME_FLAG_CORRUPT and AV_FRAME_FLAG_KEY, macros the JavaCPP presets do not expose. */
    private static final int AV_FRAME_FLAG_CORRUPT = 1;
    private static final int AV_FRAME_FLAG_KEY = 1 << 1;
    private static final AVRational MILLISECONDS = av_make_q(1, 1000);
    /** Option naming the demuxer, as {@code ffmpeg -f} does (e.g. {@code image2} for a pattern); not passed to FFmpeg as an option. */
    public static final String FORMAT_OPTION = "f";

    private final String source;
    private AVFormatContext format;
    private AVCodecContext codec;
    private AVPacket packet;
    private AVFrame frame;
    private RgbConverter converter;
    private int streamIndex;
    private AVStream stream;
    private boolean flushing;
    private boolean hasFrame;
    private String readError;
    private long corruptFrames;
    private long decodeErrors;

    /** Held while the reader lives: JavaCPP frees the native thunk when the Java object is collected. */
    private Interrupt interrupt;

    private MediaReader(String source) {
        this.source = source;
    }

    /**
     * FFmpeg's interrupt callback: blocking network reads (an HLS demuxer waiting for the next segment,
     * a stalled socket) poll it and give up with AVERROR_EXIT once it returns 1.
     */
    private static final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
        private final BooleanSupplier stop;

        Interrupt(BooleanSupplier stop) {
            this.stop = stop;
        }

        @Override
        public int call(Pointer opaque) {
            try {
                return stop.getAsBoolean() ? 1 : 0;
            } catch (RuntimeException e) {
                return 0; // never let an exception unwind into native code
            }
        }
    }

    /**
     * Opens {@code url} (a path with a {@code file:} prefix, an image-sequence pattern, or a network
     * URL).
     *
     * @param options avformat/protocol options, e.g. {@code rtsp_transport=tcp}, {@code rw_timeout}; {@link #FORMAT_OPTION}
     *     forces a demuxer
     * @param keyframesOnly let the decoder skip every frame that is not a keyframe (saves decoding them)
     * @throws FrameDecodeException CORRUPT when nothing FFmpeg can demux is there, UNKNOWN_CONTENT_TYPE
     *     when the build has no decoder for the codec, OVER_LIMIT when the picture breaks {@code limits}
     * @throws IllegalStateException when FFmpeg's natives are not available on this platform
     */
    public static MediaReader open(String url, Map<String, String> options, boolean keyframesOnly, DecodeLimits limits)
            throws FrameDecodeException {
        return open(url, options, keyframesOnly, limits, null);
    }

    /**
     * As {@link #open(String, Map, boolean, DecodeLimits)}, and reads (opening included) give up
     * promptly once {@code stop} says so, from any thread: {@link #next()} then returns false.
     */
    public static MediaReader open(String url, Map<String, String> options, boolean keyframesOnly, DecodeLimits limits,
            BooleanSupplier stop) throws FrameDecodeException {
        FfmpegNatives.requireAvailable();
        MediaReader r = new MediaReader(url);
        if (stop != null) {
            r.interrupt = new Interrupt(stop);
        }
        try {
            r.openFormat(url, options);
            r.openDecoder(keyframesOnly, limits);
            return r;
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
    }

    private void openFormat(String url, Map<String, String> options) throws FrameDecodeException {
        FfmpegNatives.clearLastError();
        AVFormatContext f = avformat_alloc_context();
        if (f == null || f.isNull()) {
            throw new OutOfMemoryError("MediaReader: avformat_alloc_context returned null");
        }
        if (interrupt != null) {
            f.interrupt_callback().callback(interrupt);
        }
        try (PointerPointer<AVFormatContext> holder = new PointerPointer<>(1);
             PointerPointer<AVDictionary> dict = new PointerPointer<>(1);
             BytePointer urlPointer = new BytePointer(url)) {
            holder.put(0, f); // on failure avformat_open_input frees it
            dict.put(0, (Pointer) null);
            options.forEach((k, v) -> {
                if (!k.equals(FORMAT_OPTION)) {
                    try (BytePointer key = new BytePointer(k); BytePointer value = new BytePointer(v)) {
                        av_dict_set(dict, key, value, 0);
                    }
                }
            });
            AVInputFormat forced = null;
            if (options.containsKey(FORMAT_OPTION)) {
                forced = av_find_input_format(options.get(FORMAT_OPTION));
                if (forced == null || forced.isNull()) {
                    av_dict_free(dict);
                    avformat_free_context(f);
                    throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, source + ": input format '" + options.get(FORMAT_OPTION)
                            + "': this FFmpeg build has no such demuxer");
                }
            }
            int rc;
            try {
                rc = avformat_open_input(holder, urlPointer, forced, dict);
            } finally {
                av_dict_free(dict);
            }
            if (rc < 0) {
                throw new FrameDecodeException(Reason.CORRUPT, source + ": cannot open: " + FfmpegNatives.explain(rc));
            }
            format = holder.get(AVFormatContext.class, 0);
        }
        int rc = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (rc < 0) {
            throw new FrameDecodeException(Reason.CORRUPT, source + ": reading stream info failed: " + FfmpegNatives.explain(rc));
        }
    }

    private void openDecoder(boolean keyframesOnly, DecodeLimits limits) throws FrameDecodeException {
        streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (streamIndex < 0) {
            throw new FrameDecodeException(Reason.CORRUPT, source + " (" + containerName() + "): expected a video stream, found none among "
                    + format.nb_streams() + " streams");
        }
        stream = format.streams(streamIndex);
        AVCodecParameters par = stream.codecpar();
        String what = source + " (" + containerName() + ", " + codecName() + ")";
        if (par.width() > 0 && par.height() > 0) {
            limits.checkDimensions(what, par.width(), par.height());
        }
        AVCodec decoder = avcodec_find_decoder(par.codec_id());
        if (decoder == null || decoder.isNull()) {
            throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, what + ": this FFmpeg build has no decoder for the codec");
        }
        codec = avcodec_alloc_context3(decoder);
        if (codec == null || codec.isNull()) {
            throw new OutOfMemoryError("MediaReader: avcodec_alloc_context3 returned null");
        }
        int rc = avcodec_parameters_to_context(codec, par);
        if (rc < 0) {
            throw new FrameDecodeException(Reason.CORRUPT, what + ": codec parameters rejected: " + FfmpegNatives.explain(rc));
        }
        codec.pkt_timebase(stream.time_base());
        codec.thread_count(1); // sources run beside the scoring threads; codec threads would oversubscribe
        codec.max_pixels((long) limits.maxWidth() * limits.maxHeight()); // also guards mid-stream size changes
        if (keyframesOnly) {
            codec.skip_frame(AVDISCARD_NONKEY);
        }
        rc = avcodec_open2(codec, decoder, (AVDictionary) null);
        if (rc < 0) {
            throw new FrameDecodeException(Reason.CORRUPT, what + ": opening the decoder failed: " + FfmpegNatives.explain(rc));
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        converter = new RgbConverter(RgbConversion.FAST);
    }

    /**
     * Decodes up to the next intact frame.
     *
     * @return false at the end of the input (or after a read error, see {@link #readError()})
     */
    public boolean next() {
        if (hasFrame) {
            av_frame_unref(frame);
            hasFrame = false;
        }
        while (true) {
            int rc = avcodec_receive_frame(codec, frame);
            if (rc >= 0) {
                if ((frame.flags() & AV_FRAME_FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0) {
                    corruptFrames++;
                    av_frame_unref(frame);
                    continue;
                }
                hasFrame = true;
                return true;
            }
            if (rc == AVERROR_EOF || flushing) {
                return false;
            }
            if (rc != AVERROR_EAGAIN()) {
                decodeErrors++; // the decoder reported a damaged frame; it goes on with the next packet
            }
            feed();
        }
    }

    /** Sends the next packet of the video stream to the decoder, or the flush packet at the end. */
    private void feed() {
        while (true) {
            int rc = av_read_frame(format, packet);
            if (rc < 0) {
                if (rc != AVERROR_EOF) {
                    readError = FfmpegNatives.explain(rc);
                }
                avcodec_send_packet(codec, null);
                flushing = true;
                return;
            }
            try {
                if (packet.stream_index() == streamIndex) {
                    int sent = avcodec_send_packet(codec, packet);
                    if (sent < 0 && sent != AVERROR_EAGAIN() && sent != AVERROR_EOF) {
                        decodeErrors++;
                    }
                    return;
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private void requireFrame() {
        if (!hasFrame) {
            throw new IllegalStateException("MediaReader " + source + ": no current frame (call next() and check it returned true)");
        }
    }

    /** The current frame's presentation time on the container's timeline in ms, or -1 when it has none. */
    public long ptsMillis() {
        requireFrame();
        long ts = frame.best_effort_timestamp();
        if (ts == AV_NOPTS_VALUE) {
            ts = frame.pts();
        }
        return ts == AV_NOPTS_VALUE ? -1 : av_rescale_q(ts, stream.time_base(), MILLISECONDS);
    }

    /** Whether the current frame is a keyframe (every frame of an intra-only codec such as MJPEG is). */
    public boolean keyframe() {
        requireFrame();
        return (frame.flags() & AV_FRAME_FLAG_KEY) != 0;
    }

    /** The current frame in RGB24. */
    public RgbImage rgb() throws FrameDecodeException {
        requireFrame();
        return converter.toRgb(frame, source + " frame");
    }

    /** The open input, for {@link SegmentRemuxer}, which reads its packets instead of decoding them. */
    AVFormatContext formatContext() {
        return format;
    }

    /** The best video stream of the input (the one decoded). */
    AVStream videoStream() {
        return stream;
    }

    int videoStreamIndex() {
        return streamIndex;
    }

    /** The input's duration in ms as the container states it, or -1 when it does not (live streams). */
    public long durationMillis() {
        long d = format.duration();
        return d == AV_NOPTS_VALUE || d <= 0 ? -1 : d * 1000 / AV_TIME_BASE;
    }

    /** Why reading stopped before the end of the input, or null when it reached the end (or is still reading). */
    public String readError() {
        return readError;
    }

    /** Frames the decoder flagged corrupt and this reader skipped. */
    public long corruptFrames() {
        return corruptFrames;
    }

    /** Packets or frames the decoder refused. */
    public long decodeErrors() {
        return decodeErrors;
    }

    public String containerName() {
        if (format == null || format.iformat() == null || format.iformat().isNull()) {
            return "unknown container";
        }
        return format.iformat().name().getString();
    }

    public String codecName() {
        return stream == null ? "unknown codec" : avcodec_get_name(stream.codecpar().codec_id()).getString();
    }

    @Override
    public void close() {
        if (converter != null) {
            converter.close();
        }
        if (frame != null) {
            av_frame_free(frame);
        }
        if (packet != null) {
            av_packet_free(packet);
        }
        if (codec != null) {
            avcodec_free_context(codec);
        }
        if (format != null) {
            avformat_close_input(format);
        }
        if (interrupt != null) {
            interrupt.close(); // FFmpeg holds no reference to it any more
        }
    }

    @Override
    public String toString() {
        return "MediaReader[" + source + "]";
    }
}
