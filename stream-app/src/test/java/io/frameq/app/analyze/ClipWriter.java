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
import org.bytedeco.javacpp.BytePointer;

/**
 * Writes test clips with the bundled FFmpeg's encoders (mpeg4, mjpeg, libopenh264, libvpx-vp9,
 * libaom-av1...) and muxers (container from the file extension: .avi, .mp4, .mkv, .mov, .ts), so
 * tests make their fixtures instead of committing them.
 */
public final class ClipWriter {

    private ClipWriter() {}

    public static Path write(Path file, String encoder, int fps, List<RgbImage> frames) {
        RgbImage first = frames.get(0);
        int w = first.width();
        int h = first.height();
        AVCodec codec = avcodec_find_encoder_by_name(encoder);
        if (codec == null || codec.isNull()) {
            throw new IllegalStateException("ClipWriter: this FFmpeg build has no encoder " + encoder);
        }
        AVFormatContext oc = new AVFormatContext(null);
        check(avformat_alloc_output_context2(oc, (AVOutputFormat) null, (String) null, file.toString()), "guess container of " + file);
        AVCodecContext c = avcodec_alloc_context3(codec);
        AVFrame rgb = av_frame_alloc();
        AVFrame yuv = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        var sws = sws_alloc_context();
        BytePointer pixels = new BytePointer((long) w * h * 3);
        try {
            AVStream st = avformat_new_stream(oc, (AVCodec) null);
            int pixFmt = encoder.equals("mjpeg") ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
            c.width(w);
            c.height(h);
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
            check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "open " + file);
            oc.pb(pb);
            check(avformat_write_header(oc, (AVDictionary) null), "write header");
            sws.flags(SWS_BICUBIC);
            yuv.format(pixFmt);
            yuv.width(w);
            yuv.height(h);
            check(av_frame_get_buffer(yuv, 0), "allocate yuv frame");
            for (int i = 0; i < frames.size(); i++) {
                pixels.position(0).put(frames.get(i).pixels());
                av_frame_unref(rgb);
                rgb.format(AV_PIX_FMT_RGB24);
                rgb.width(w);
                rgb.height(h);
                rgb.data(0, pixels);
                rgb.linesize(0, w * 3);
                check(av_frame_make_writable(yuv), "make frame writable");
                check(sws_scale_frame(sws, yuv, rgb), "convert frame " + i);
                av_frame_unref(rgb);
                yuv.pts(i);
                check(avcodec_send_frame(c, yuv), "encode frame " + i);
                drain(c, oc, st, pkt);
            }
            check(avcodec_send_frame(c, null), "flush encoder");
            drain(c, oc, st, pkt);
            check(av_write_trailer(oc), "write trailer");
            avio_closep(oc.pb());
            return file;
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
