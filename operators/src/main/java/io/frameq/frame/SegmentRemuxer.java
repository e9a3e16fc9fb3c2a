package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG1VIDEO;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG2VIDEO;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.frameq.frame.FrameDecodeException.Reason;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the best video stream of a file or URL into self-contained MPEG-TS segments by stream copy:
 * the compressed packets are remuxed as they are (no decoding, no re-encoding), each segment starts
 * at a keyframe and runs up to the next keyframe at least {@code minDurationMs} later (0: one GOP per
 * segment). The MPEG-TS muxer inserts the bitstream filters it needs (H.264/HEVC from MP4 get their
 * parameter sets in-band), so each segment decodes on its own through {@link VideoSegmentDecoder}.
 *
 * <p>Only video packets are kept (audio and data streams are dropped). Packets before the first
 * keyframe (a live stream joined mid-GOP) cannot be decoded on their own and are skipped, counted in
 * {@link #skippedPackets()}. Timestamps stay on the source's own timeline.
 *
 * <p>The input is opened through {@link MediaReader} (same options, interrupt and limits as the
 * decoding sources), which also proves that this FFmpeg build decodes the codec, so the segments
 * are ones FrameQ's own decoder accepts. Single use, single thread; close it.
 */
public final class SegmentRemuxer implements AutoCloseable {

    /**
     * One segment.
     *
     * @param bytes the MPEG-TS bytes ({@link ContentType#MPEG_TS})
     * @param firstFrame index of its first packet among all video packets of the input, from 0
     * @param frames video packets (frames) in it
     * @param firstPtsMs the earliest presentation time in it, ms on the container's timeline; -1 when unknown
     */
    public record Segment(byte[] bytes, long firstFrame, int frames, long firstPtsMs) {}

    private static final Logger LOG = LoggerFactory.getLogger(SegmentRemuxer.class);
    private static final AVRational MILLISECONDS = av_make_q(1, 1000);
    /**
     * Video codecs with an MPEG-TS stream type that FFmpeg's mpegts demuxer maps back (the muxer itself
     * writes any codec, but others come back as private data that nothing decodes). avformat_query_codec
     * cannot tell: the mpegts muxer does not answer it.
     */
    private static final java.util.Set<Integer> MPEGTS_CODECS = java.util.Set.of(AV_CODEC_ID_H264, AV_CODEC_ID_HEVC,
            AV_CODEC_ID_MPEG1VIDEO, AV_CODEC_ID_MPEG2VIDEO, AV_CODEC_ID_MPEG4);

    private final MediaReader reader;
    private final AVOutputFormat mpegts;
    private final AVStream in;
    private final AVPacket packet;
    private final AVPacket pending;
    private boolean hasPending;
    private long pendingIndex;
    private boolean ended;
    private long packetsRead;
    private long skipped;
    private long muxErrors;
    private String readError;

    private SegmentRemuxer(MediaReader reader) {
        this.reader = reader;
        this.in = reader.videoStream();
        this.mpegts = av_guess_format("mpegts", null, null);
        this.packet = av_packet_alloc();
        this.pending = av_packet_alloc();
    }

    /**
     * Opens {@code url} as {@link MediaReader#open(String, Map, boolean, DecodeLimits, BooleanSupplier)} does.
     *
     * @throws FrameDecodeException as MediaReader's, and UNKNOWN_CONTENT_TYPE when MPEG-TS cannot carry the codec
     */
    public static SegmentRemuxer open(String url, Map<String, String> options, DecodeLimits limits, BooleanSupplier stop)
            throws FrameDecodeException {
        MediaReader r = MediaReader.open(url, options, false, limits, stop);
        SegmentRemuxer s = null;
        try {
            s = new SegmentRemuxer(r);
            if (s.mpegts == null || s.mpegts.isNull()) {
                throw new IllegalStateException("SegmentRemuxer: this FFmpeg build has no mpegts muxer");
            }
            int codecId = s.in.codecpar().codec_id();
            if (!MPEGTS_CODECS.contains(codecId)) {
                throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, url + " (" + r.containerName() + ", " + r.codecName()
                        + "): codec: expected one MPEG-TS carries (h264, hevc, mpeg1video, mpeg2video, mpeg4), actual " + r.codecName()
                        + " (use JPEG or raw frames for it)");
            }
            return s;
        } catch (RuntimeException | Error e) {
            if (s != null) {
                s.close();
            } else {
                r.close();
            }
            throw e;
        }
    }

    /**
     * Reads up to the end of the next segment.
     *
     * @param minDurationMs cut at the first keyframe at least this long (decode time) after the segment's first
     *     packet; 0 cuts at every keyframe
     * @param keyframesOnly drop every packet that is not a keyframe: each keyframe becomes a one-frame segment
     * @return the segment, or null at the end of the input (or after a read error, see {@link #readError()})
     */
    public Segment next(long minDurationMs, boolean keyframesOnly) throws FrameDecodeException {
        if (!hasPending && !readKeyframe()) {
            return null;
        }
        hasPending = false;
        long firstIndex = pendingIndex;
        long firstDts = timeOf(pending);
        long minPts = Long.MAX_VALUE;
        int frames = 0;
        try (Muxer mux = new Muxer()) {
            while (true) {
                // pending holds the packet to write next: the segment's keyframe first, then each one read
                long pts = ptsOf(pending);
                if (mux.write(pending)) {
                    frames++;
                    if (pts != AV_NOPTS_VALUE) {
                        minPts = Math.min(minPts, pts);
                    }
                }
                if (keyframesOnly) {
                    // the rest of the GOP is dropped: the next segment starts at the next keyframe
                    hasPending = readKeyframe();
                    break;
                }
                if (!readVideoPacket()) {
                    ended = true;
                    break;
                }
                boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
                if (key && elapsedMs(firstDts, timeOf(packet)) >= minDurationMs) {
                    av_packet_move_ref(pending, packet);
                    pendingIndex = packetsRead - 1;
                    hasPending = true;
                    break;
                }
                av_packet_move_ref(pending, packet);
            }
            byte[] bytes = mux.finish();
            long ptsMs = minPts == Long.MAX_VALUE ? -1 : av_rescale_q(minPts, in.time_base(), MILLISECONDS);
            return new Segment(bytes, firstIndex, frames, ptsMs);
        }
    }

    /** Reads packets until a keyframe, into {@code pending}; false at the end. */
    private boolean readKeyframe() {
        while (!ended && readVideoPacket()) {
            if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
                av_packet_unref(pending); // left over when the previous segment failed
                av_packet_move_ref(pending, packet);
                pendingIndex = packetsRead - 1;
                return true;
            }
            skipped++;
            av_packet_unref(packet);
        }
        ended = true;
        return false;
    }

    /** Reads the next packet of the video stream into {@code packet}; false at the end or on a read error. */
    private boolean readVideoPacket() {
        while (true) {
            int rc = av_read_frame(reader.formatContext(), packet);
            if (rc < 0) {
                if (rc != AVERROR_EOF && readError == null) {
                    readError = FfmpegNatives.explain(rc);
                }
                return false;
            }
            if (packet.stream_index() == reader.videoStreamIndex()) {
                packetsRead++;
                return true;
            }
            av_packet_unref(packet);
        }
    }

    private static long ptsOf(AVPacket p) {
        return p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
    }

    private static long timeOf(AVPacket p) {
        return p.dts() != AV_NOPTS_VALUE ? p.dts() : p.pts();
    }

    private long elapsedMs(long from, long to) {
        if (from == AV_NOPTS_VALUE || to == AV_NOPTS_VALUE) {
            return Long.MAX_VALUE; // without times every keyframe cuts: the segments stay as short as possible
        }
        return av_rescale_q(to - from, in.time_base(), MILLISECONDS);
    }

    /** Why reading stopped before the end of the input, or null. */
    public String readError() {
        return readError;
    }

    /** Video packets read so far, the skipped ones included. */
    public long packetsRead() {
        return packetsRead;
    }

    /** Packets dropped because no keyframe preceded them, or because only keyframes were asked for. */
    public long skippedPackets() {
        return skipped;
    }

    /** Packets the muxer refused (e.g. non-increasing timestamps of a damaged input). */
    public long muxErrors() {
        return muxErrors;
    }

    /** The input's duration in ms as the container states it, or -1 (live streams). */
    public long durationMillis() {
        return reader.durationMillis();
    }

    public String codecName() {
        return reader.codecName();
    }

    public String containerName() {
        return reader.containerName();
    }

    @Override
    public void close() {
        av_packet_free(packet);
        av_packet_free(pending);
        reader.close();
    }

    /** One segment's MPEG-TS muxer, writing into memory. */
    private final class Muxer implements AutoCloseable {
        private final MemoryAvioSink sink = new MemoryAvioSink();
        private AVFormatContext out;
        private AVStream stream;

        Muxer() throws FrameDecodeException {
            try (PointerPointer<AVFormatContext> holder = new PointerPointer<>(1)) {
                int rc = avformat_alloc_output_context2(holder, mpegts, (BytePointer) null, (BytePointer) null);
                if (rc < 0) {
                    sink.close();
                    throw new IllegalStateException("SegmentRemuxer: mpegts muxer: " + FfmpegNatives.explain(rc));
                }
                out = holder.get(AVFormatContext.class, 0);
            }
            try {
                stream = avformat_new_stream(out, (AVCodec) null);
                int rc = avcodec_parameters_copy(stream.codecpar(), in.codecpar());
                if (rc < 0) {
                    throw new FrameDecodeException(Reason.CORRUPT, "segment of " + reader + ": copying codec parameters: "
                            + FfmpegNatives.explain(rc));
                }
                stream.codecpar().codec_tag(0); // the container's own tag (avc1 of MP4) means nothing in MPEG-TS
                stream.time_base(in.time_base());
                out.pb(sink.context());
                rc = avformat_write_header(out, (AVDictionary) null);
                if (rc < 0) {
                    throw new FrameDecodeException(Reason.CORRUPT, "segment of " + reader + " (" + codecName()
                            + "): writing the MPEG-TS header: " + FfmpegNatives.explain(rc));
                }
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }

        /** Writes and releases {@code p}; false when the muxer refused it (counted). */
        boolean write(AVPacket p) {
            av_packet_rescale_ts(p, in.time_base(), stream.time_base());
            p.stream_index(0);
            p.pos(-1);
            int rc = av_interleaved_write_frame(out, p); // takes the packet's data and unrefs it
            av_packet_unref(p);
            if (rc < 0) {
                muxErrors++;
                LOG.debug("{}: packet not muxed: {}", reader, FfmpegNatives.explain(rc));
                return false;
            }
            return true;
        }

        byte[] finish() throws FrameDecodeException {
            int rc = av_write_trailer(out);
            if (rc < 0) {
                throw new FrameDecodeException(Reason.CORRUPT, "segment of " + reader + ": finishing MPEG-TS: " + FfmpegNatives.explain(rc));
            }
            avio_flush(sink.context());
            return sink.bytes();
        }

        @Override
        public void close() {
            if (out != null) {
                out.pb(null); // the sink's context is freed by the sink, not by avformat
                avformat_free_context(out);
                out = null;
            }
            sink.close();
        }
    }
}
