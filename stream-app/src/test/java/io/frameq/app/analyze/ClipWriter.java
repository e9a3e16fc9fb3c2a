package io.frameq.app.analyze;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_alloc_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import java.nio.file.Path;
import java.util.List;

import io.frameq.frame.RgbImage;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;

/**
 * Writes test clips with the bundled FFmpeg's encoders (mpeg4, mjpeg, libopenh264, libvpx-vp9,
 * libaom-av1...) and muxers (container from the file extension: .avi, .mp4, .mkv, .mov, .ts), so
 * tests make their fixtures instead of committing them.
 */
public final class ClipWriter implements AutoCloseable {

    private final String url;
    private final int width;
    private final int height;
    private final AVFormatContext oc = new AVFormatContext(null);
    private final AVCodecContext c;
    private final AVStream st;
    private final AVFrame rgb = av_frame_alloc();
    private final AVFrame yuv = av_frame_alloc();
    private final AVPacket pkt = av_packet_alloc();
    private final SwsContext sws = sws_alloc_context();
    private final BytePointer pixels;
    private long pts;

    /** Writes a whole clip to a file (container from the extension). */
    public static Path write(Path file, String encoder, int fps, List<RgbImage> frames) {
        try (ClipWriter w = new ClipWriter(file.toString(), null, encoder, fps, frames.get(0).width(), frames.get(0).height())) {
            frames.forEach(w::write);
        }
        return file;
    }

    /**
     * Opens an output: a file, or a URL such as {@code udp://127.0.0.1:5000} with {@code format}
     * (e.g. {@code mpegts}) naming the container.
     */
    public ClipWriter(String url, String format, String encoder, int fps, int width, int height) {
        this.url = url;
        this.width = width;
        this.height = height;
        AVCodec codec = avcodec_find_encoder_by_name(encoder);
        if (codec == null || codec.isNull()) {
            throw new IllegalStateException("ClipWriter: this FFmpeg build has no encoder " + encoder);
        }
        check(avformat_alloc_output_context2(oc, (AVOutputFormat) null, format, url), "guess container of " + url);
        c = avcodec_alloc_context3(codec);
        pixels = new BytePointer((long) width * height * 3);
        st = avformat_new_stream(oc, (AVCodec) null);
        int pixFmt = encoder.equals("mjpeg") ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
        c.width(width);
        c.height(height);
        c.pix_fmt(pixFmt);
        c.time_base(av_make_q(1, fps));
        c.framerate(av_make_q(fps, 1));
        c.bit_rate(2_000_000);
        c.gop_size(fps);
        c.max_b_frames(0);
        c.thread_count(1);
        // the library encoders' defaults favour quality over speed by far; tests want a clip, fast
        switch (encoder) {
            case "libaom-av1" -> av_opt_set(c.priv_data(), "cpu-used", "8", 0);
            case "libsvtav1" -> av_opt_set(c.priv_data(), "preset", "12", 0);
            case "libvpx-vp9" -> {
                av_opt_set(c.priv_data(), "deadline", "realtime", 0);
                av_opt_set(c.priv_data(), "cpu-used", "8", 0);
            }
            default -> { }
        }
        if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        check(avcodec_open2(c, codec, (AVDictionary) null), "open encoder " + encoder);
        check(avcodec_parameters_from_context(st.codecpar(), c), "copy codec parameters");
        st.time_base(c.time_base());
        AVIOContext pb = new AVIOContext(null);
        check(avio_open(pb, url, AVIO_FLAG_WRITE), "open " + url);
        oc.pb(pb);
        check(avformat_write_header(oc, (AVDictionary) null), "write header");
        sws.flags(SWS_BICUBIC);
        yuv.format(pixFmt);
        yuv.width(width);
        yuv.height(height);
        check(av_frame_get_buffer(yuv, 0), "allocate yuv frame");
    }

    /** Encodes and muxes the next frame (one frame period after the previous one). */
    public void write(RgbImage frame) {
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("ClipWriter " + url + ": frame size expected " + width + "x" + height + ", actual "
                    + frame.width() + "x" + frame.height());
        }
        pixels.position(0).put(frame.pixels());
        av_frame_unref(rgb);
        rgb.format(AV_PIX_FMT_RGB24);
        rgb.width(width);
        rgb.height(height);
        rgb.data(0, pixels);
        rgb.linesize(0, width * 3);
        check(av_frame_make_writable(yuv), "make frame writable");
        check(sws_scale_frame(sws, yuv, rgb), "convert frame " + pts);
        av_frame_unref(rgb);
        yuv.pts(pts++);
        check(avcodec_send_frame(c, yuv), "encode frame " + pts);
        drain(c, oc, st, pkt);
    }

    /** Flushes the encoder, writes the trailer and frees everything. */
    @Override
    public void close() {
        try {
            check(avcodec_send_frame(c, null), "flush encoder");
            drain(c, oc, st, pkt);
            check(av_write_trailer(oc), "write trailer");
            avio_closep(oc.pb());
        } finally {
            pixels.close();
            sws_freeContext(sws);
            av_packet_free(pkt);
            av_frame_free(yuv);
            av_frame_free(rgb);
            avcodec_free_context(c);
            avformat_free_context(oc);
        }
    }

    private static void drain(AVCodecContext c, AVFormatContext oc, AVStream st, AVPacket pkt) {
        while (avcodec_receive_packet(c, pkt) >= 0) {
            // one frame long: without a duration MP4/MOV give the last sample none and demuxers drop it
            pkt.duration(1);
            av_packet_rescale_ts(pkt, c.time_base(), st.time_base());
            pkt.stream_index(st.index());
            check(av_interleaved_write_frame(oc, pkt), "write packet");
        }
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            byte[] buf = new byte[256];
            av_strerror(rc, buf, buf.length);
            int n = 0;
            while (n < buf.length && buf[n] != 0) {
                n++;
            }
            throw new IllegalStateException("ClipWriter: " + what + " failed: " + new String(buf, 0, n) + " (" + rc + ")");
        }
    }
}
