package io.frameq.frame;

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
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.frameq.frame.FrameDecodeException.Reason;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opened video input (avformat demuxer + avcodec decoder of its best video stream) that
 * decodes every frame and converts the sampled ones to RGB24. Single use, single thread; close it.
 *
 * <p>Error policy for video: decoders conceal damage across frames, and a segment cut short
 * still carries whole, correct frames before the cut. So frames FFmpeg flags corrupt are dropped
 * (counted, logged at DEBUG), the intact ones are kept, and the segment is refused as CORRUPT
 * only when no intact frame comes out.
 */
final class VideoDemuxer implements AutoCloseable {

    /** What to do when a segment holds more sampled frames than allowed. */
    enum OverLimit { REFUSE, TRUNCATE }

    private static final Logger LOG = LoggerFactory.getLogger(VideoDemuxer.class);
    /** AV_FRAME_FLAG_CORRUPT, a macro the JavaCPP presets do not expose. */
    private static final int AV_FRAME_FLAG_CORRUPT = 1;
    private static final AVRational MILLISECONDS = av_make_q(1, 1000);

    private final String source;
    private ByteArrayAvio io; // null for files: only in-memory segments carry a deadline
    private AVFormatContext format;
    private AVCodecContext codec;
    private AVPacket packet;
    private AVFrame frame;
    private RgbConverter converter;
    private int streamIndex;
    private AVStream stream;

    private VideoDemuxer(String source) {
        this.source = source;
    }

    /**
     * Opens an in-memory payload with only the demuxer of {@code container} (MP4 or MPEG-TS): a record
     * is never probed against every format FFmpeg knows. Each extra demuxer a hostile payload can reach
     * is more native code it can attack — the fuzz campaign found a JPEG-like payload, declared as
     * MPEG-TS and probed as an image pipe, that corrupts the native heap (RELIABILITY.md). Nested opens
     * (HLS playlists, concat lists, MP4 external data references) are refused with an empty protocol
     * whitelist, so a payload cannot make FFmpeg read local files or the network.
     */
    static VideoDemuxer open(ByteArrayAvio io, ContentType container, String source, DecodeLimits limits, RgbConversion conversion)
            throws FrameDecodeException {
        String demuxer = switch (container) {
            case MP4 -> "mp4";
            case MPEG_TS -> "mpegts";
            default -> throw new IllegalArgumentException("VideoDemuxer: " + container + " is not a video container");
        };
        return openInput(io, null, "none", demuxer, source, limits, conversion);
    }

    /** Opens a local file; only the file protocol is allowed (a playlist cannot reach the network). */
    static VideoDemuxer open(java.nio.file.Path file, DecodeLimits limits, RgbConversion conversion) throws FrameDecodeException {
        // "file:" keeps a path with a colon from being read as a protocol name.
        return openInput(null, "file:" + file.toAbsolutePath(), "file", null, file.toString(), limits, conversion);
    }

    private static VideoDemuxer openInput(ByteArrayAvio io, String url, String protocols, String demuxer, String source,
            DecodeLimits limits, RgbConversion conversion) throws FrameDecodeException {
        VideoDemuxer d = new VideoDemuxer(source);
        d.io = io;
        try {
            d.openFormat(io, url, protocols, demuxer);
            d.openDecoder(limits, conversion);
            return d;
        } catch (RuntimeException | Error e) { // FrameDecodeException included
            d.close();
            throw e;
        }
    }

    private void openFormat(ByteArrayAvio io, String url, String protocols, String demuxer) throws FrameDecodeException {
        FfmpegNatives.clearLastError();
        AVFormatContext f = avformat_alloc_context();
        if (f == null || f.isNull()) {
            throw new OutOfMemoryError("VideoDemuxer: avformat_alloc_context returned null");
        }
        if (io != null) {
            // avformat_open_input then marks it AVFMT_FLAG_CUSTOM_IO: closing the input leaves it to us.
            f.pb(io.context());
            io.installInterrupt(f);
        }
        // PointerPointers rather than JavaCPP's by-pointer-pointer overloads: FFmpeg frees the
        // context on failure and replaces the dictionary, and these show what it left behind.
        try (PointerPointer<AVFormatContext> holder = new PointerPointer<>(1);
             PointerPointer<AVDictionary> options = new PointerPointer<>(1);
             BytePointer key = new BytePointer("protocol_whitelist");
             BytePointer value = new BytePointer(protocols);
             BytePointer urlPointer = url == null ? null : new BytePointer(url)) {
            holder.put(0, f);
            options.put(0, (Pointer) null);
            av_dict_set(options, key, value, 0);
            int rc;
            try {
                AVInputFormat forced = demuxer == null ? null : av_find_input_format(demuxer);
                if (demuxer != null && (forced == null || forced.isNull())) {
                    throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, source + ": this FFmpeg build has no " + demuxer
                            + " demuxer");
                }
                rc = avformat_open_input(holder, urlPointer, forced, options);
            } finally {
                av_dict_free(options);
            }
            if (rc < 0) {
                // avformat_open_input freed the context it was given.
                checkDeadline();
                throw new FrameDecodeException(Reason.CORRUPT, source + ": no container FFmpeg can demux: " + FfmpegNatives.explain(rc));
            }
            format = holder.get(AVFormatContext.class, 0);
        }
        int rc = avformat_find_stream_info(format, (PointerPointer<?>) null);
        checkDeadline();
        if (rc < 0) {
            throw new FrameDecodeException(Reason.CORRUPT, source + ": reading stream info failed: " + FfmpegNatives.explain(rc));
        }
    }

    private void openDecoder(DecodeLimits limits, RgbConversion conversion) throws FrameDecodeException {
        streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (streamIndex < 0) {
            throw new FrameDecodeException(Reason.CORRUPT, source + " (" + containerName() + "): expected a video stream, found none among "
                    + format.nb_streams() + " streams");
        }
        stream = format.streams(streamIndex);
        AVCodecParameters par = stream.codecpar();
        String what = source + " (" + containerName() + ", " + avcodec_get_name(par.codec_id()).getString() + ")";
        if (par.width() <= 0 || par.height() <= 0) {
            throw new FrameDecodeException(Reason.CORRUPT, what + ": video size: expected positive, actual " + par.width() + "x" + par.height());
        }
        limits.checkDimensions(what, par.width(), par.height());
        AVCodec decoder = avcodec_find_decoder(par.codec_id());
        if (decoder == null || decoder.isNull()) {
            throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, what + ": this FFmpeg build has no decoder for the codec");
        }
        codec = avcodec_alloc_context3(decoder);
        if (codec == null || codec.isNull()) {
            throw new OutOfMemoryError("VideoDemuxer: avcodec_alloc_context3 returned null");
        }
        int rc = avcodec_parameters_to_context(codec, par);
        if (rc < 0) {
            throw new FrameDecodeException(Reason.CORRUPT, what + ": codec parameters rejected: " + FfmpegNatives.explain(rc));
        }
        codec.pkt_timebase(stream.time_base());
        codec.thread_count(1); // stream threads already use the cores; codec threads would oversubscribe
        codec.max_pixels((long) limits.maxWidth() * limits.maxHeight()); // also guards mid-stream size changes
        if (limits.videoSkip() != VideoFrameSkip.NONE) {
            codec.skip_frame(limits.videoSkip().avDiscard());
        }
        rc = avcodec_open2(codec, decoder, (AVDictionary) null);
        if (rc < 0) {
            throw new FrameDecodeException(Reason.CORRUPT, what + ": opening the decoder failed: " + FfmpegNatives.explain(rc));
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        converter = new RgbConverter(conversion);
    }

    /** Frames the container declares for the stream, or -1 when it does not say (MPEG-TS). */
    long declaredFrameCount() {
        return stream.nb_frames() > 0 ? stream.nb_frames() : -1;
    }

    String containerName() {
        if (format == null || format.iformat() == null || format.iformat().isNull()) {
            return "unknown container";
        }
        return format.iformat().name().getString();
    }

    /**
     * Decodes the stream to its end and keeps every {@code sampleEvery}-th intact frame (the first
     * one included).
     *
     * @param maxFrames most frames to keep
     * @param overLimit refuse the segment (OVER_LIMIT) or stop reading when one more would be kept
     */
    List<DecodedFrame> read(int sampleEvery, int maxFrames, OverLimit overLimit, DecodeLimits limits) throws FrameDecodeException {
        Sampler sampler = new Sampler(sampleEvery, maxFrames, overLimit, limits);
        while (!sampler.full) {
            checkDeadline(); // between packets: the decode of one packet is bounded, a segment's many are not
            int rc = av_read_frame(format, packet);
            if (rc < 0) {
                if (rc != AVERROR_EOF) {
                    // A cut or damaged tail: keep what decoded before it (see the class comment).
                    sampler.errors++;
                    LOG.debug("{}: demuxing stopped early: {}", source, FfmpegNatives.explain(rc));
                }
                break;
            }
            try {
                if (packet.stream_index() == streamIndex) {
                    send(packet, sampler);
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        checkDeadline(); // an interrupted read looks like a cut tail: say it was the deadline
        if (!sampler.full) {
            send(null, sampler); // flush: frames held back for reordering come out now
        }
        if (sampler.kept.isEmpty()) {
            throw new FrameDecodeException(Reason.CORRUPT, source + " (" + containerName() + "): expected at least one intact video frame, actual 0 ("
                    + sampler.corrupt + " corrupt frames, " + sampler.errors + " decode errors" + lastErrorSuffix() + ")");
        }
        if (sampler.corrupt > 0 || sampler.errors > 0) {
            LOG.debug("{}: kept {} frames, dropped {} corrupt frames, {} decode errors{}", source, sampler.kept.size(),
                    sampler.corrupt, sampler.errors, lastErrorSuffix());
        }
        return sampler.kept;
    }

    /** TIMEOUT once the decoding thread's deadline expired (the watchdog interrupted the demuxer). */
    private void checkDeadline() throws FrameDecodeException {
        if (io != null && io.interrupted()) {
            throw new FrameDecodeException(Reason.TIMEOUT, source + ": decode deadline of "
                    + io.deadlineMillis() + " ms passed: segment abandoned");
        }
    }

    private void send(AVPacket p, Sampler sampler) throws FrameDecodeException {
        int rc = avcodec_send_packet(codec, p);
        if (rc == AVERROR_EAGAIN()) {
            // Cannot happen when every send is followed by draining, but stay correct if it does.
            receiveAll(sampler);
            rc = avcodec_send_packet(codec, p);
        }
        if (rc < 0 && rc != AVERROR_EOF) {
            sampler.errors++;
        }
        receiveAll(sampler);
    }

    private void receiveAll(Sampler sampler) throws FrameDecodeException {
        while (!sampler.full) {
            int rc = avcodec_receive_frame(codec, frame);
            if (rc == AVERROR_EAGAIN() || rc == AVERROR_EOF) {
                return;
            }
            if (rc < 0) {
                sampler.errors++;
                return;
            }
            try {
                sampler.offer(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private String lastErrorSuffix() {
        String last = FfmpegNatives.lastError();
        return last.isEmpty() ? "" : "; last FFmpeg error: " + last;
    }

    /** Counts intact frames, converts the sampled ones, enforces the frame limit. */
    private final class Sampler {
        final int every;
        final int max;
        final OverLimit overLimit;
        final DecodeLimits limits;
        final List<DecodedFrame> kept = new ArrayList<>();
        int intact;
        int corrupt;
        int errors;
        boolean full;

        Sampler(int every, int max, OverLimit overLimit, DecodeLimits limits) {
            this.every = every;
            this.max = max;
            this.overLimit = overLimit;
            this.limits = limits;
        }

        void offer(AVFrame f) throws FrameDecodeException {
            if ((f.flags() & AV_FRAME_FLAG_CORRUPT) != 0 || f.decode_error_flags() != 0) {
                corrupt++;
                return;
            }
            boolean sampled = intact % every == 0;
            intact++;
            if (!sampled) {
                return; // skipped frames are never converted: sampling saves the RGB work too
            }
            if (kept.size() == max) {
                if (overLimit == OverLimit.TRUNCATE) {
                    full = true;
                    return;
                }
                throw new FrameDecodeException(Reason.OVER_LIMIT, source + " (" + containerName() + "): frames after sampling every "
                        + every + ": expected at most " + max + " (maxFramesPerSegment), actual more than " + max);
            }
            limits.checkDimensions(source + " frame " + (intact - 1), f.width(), f.height());
            RgbImage image = converter.toRgb(f, source + " frame " + (intact - 1));
            kept.add(new DecodedFrame(image, kept.size(), ptsMillis(f)));
        }
    }

    private long ptsMillis(AVFrame f) {
        long ts = f.best_effort_timestamp();
        if (ts == AV_NOPTS_VALUE) {
            ts = f.pts();
        }
        return ts == AV_NOPTS_VALUE ? -1 : av_rescale_q(ts, stream.time_base(), MILLISECONDS);
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
    }
}
