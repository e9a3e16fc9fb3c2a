package io.frameq.app.demo;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_alloc_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import java.util.ArrayList;
import java.util.List;

import io.frameq.frame.RgbImage;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;

/**
 * Makes a CDN rendition of a clip with a real video encoder: the frames are scaled (bicubic) to the
 * rendition size, converted to YUV 4:2:0, encoded as H.264 by OpenH264 (the encoder in the bundled
 * FFmpeg build) at a target bitrate, and the bitstream is decoded again by FFmpeg's H.264 decoder,
 * so each returned picture is exactly what a player of that rendition would show.
 */
final class RenditionEncoder {

    static final String ENCODER = "libopenh264";

    /**
     * The decoded rendition and what its bitstream cost.
     *
     * @param frames decoded pictures at the rendition size, in display order
     * @param bitstreamBytes size of the H.264 bitstream
     * @param kbps the measured bitrate at {@code fps}
     */
    record Rendition(List<RgbImage> frames, long bitstreamBytes, double kbps) {}

    private RenditionEncoder() {}

    static Rendition encode(List<RgbImage> frames, int width, int height, int bitrateBps, int fps) {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("RenditionEncoder: 4:2:0 needs an even size, got " + width + "x" + height);
        }
        AVCodec enc = avcodec_find_encoder_by_name(ENCODER);
        AVCodec dec = avcodec_find_decoder(AV_CODEC_ID_H264);
        if (enc == null || enc.isNull() || dec == null || dec.isNull()) {
            throw new IllegalStateException("RenditionEncoder: the FFmpeg build lacks " + ENCODER + " or the h264 decoder");
        }
        AVCodecContext ec = avcodec_alloc_context3(enc);
        AVCodecContext dc = avcodec_alloc_context3(dec);
        SwsContext toYuv = sws_alloc_context();
        SwsContext toRgb = sws_alloc_context();
        AVFrame src = av_frame_alloc();
        AVFrame yuv = av_frame_alloc();
        AVFrame out = av_frame_alloc();
        AVFrame rgb = av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        BytePointer pixels = null;
        try {
            ec.width(width);
            ec.height(height);
            ec.pix_fmt(AV_PIX_FMT_YUV420P);
            ec.time_base(av_make_q(1, fps));
            ec.framerate(av_make_q(fps, 1));
            ec.bit_rate(bitrateBps);
            ec.gop_size(fps * 4);
            ec.max_b_frames(0);
            ec.thread_count(1);
            av_opt_set(ec.priv_data(), "rc_mode", "bitrate", 0);
            check(avcodec_open2(ec, enc, (AVDictionary) null), "open " + ENCODER);
            dc.thread_count(1);
            check(avcodec_open2(dc, dec, (AVDictionary) null), "open h264 decoder");
            toYuv.flags(SWS_BICUBIC | SWS_ACCURATE_RND);
            toRgb.flags(SWS_BICUBIC | SWS_ACCURATE_RND);
            yuv.format(AV_PIX_FMT_YUV420P);
            yuv.width(width);
            yuv.height(height);
            check(av_frame_get_buffer(yuv, 0), "allocate yuv frame");

            List<RgbImage> decoded = new ArrayList<>(frames.size());
            long bytes = 0;
            for (int i = 0; i < frames.size(); i++) {
                RgbImage f = frames.get(i);
                if (pixels == null || pixels.capacity() < f.pixels().length) {
                    if (pixels != null) {
                        pixels.close();
                    }
                    pixels = new BytePointer(f.pixels().length);
                }
                pixels.position(0).put(f.pixels());
                av_frame_unref(src);
                src.format(AV_PIX_FMT_RGB24);
                src.width(f.width());
                src.height(f.height());
                src.data(0, pixels);
                src.linesize(0, f.width() * 3);
                check(av_frame_make_writable(yuv), "make yuv frame writable");
                check(sws_scale_frame(toYuv, yuv, src), "scale to " + width + "x" + height);
                av_frame_unref(src);
                yuv.pts(i);
                check(avcodec_send_frame(ec, yuv), "encode frame " + i);
                bytes += drainEncoder(ec, dc, pkt, out, rgb, toRgb, decoded);
            }
            check(avcodec_send_frame(ec, null), "flush encoder");
            bytes += drainEncoder(ec, dc, pkt, out, rgb, toRgb, decoded);
            avcodec_send_packet(dc, null);
            drainDecoder(dc, out, rgb, toRgb, decoded);
            if (decoded.size() != frames.size()) {
                throw new IllegalStateException("RenditionEncoder: " + frames.size() + " frames in, " + decoded.size()
                        + " decoded out (encoder skipped frames?)");
            }
            double kbps = bytes * 8.0 * fps / frames.size() / 1000.0;
            return new Rendition(decoded, bytes, kbps);
        } finally {
            if (pixels != null) {
                pixels.close();
            }
            av_packet_free(pkt);
            av_frame_free(rgb);
            av_frame_free(out);
            av_frame_free(yuv);
            av_frame_free(src);
            sws_freeContext(toRgb);
            sws_freeContext(toYuv);
            avcodec_free_context(dc);
            avcodec_free_context(ec);
        }
    }

    private static long drainEncoder(AVCodecContext ec, AVCodecContext dc, AVPacket pkt, AVFrame out, AVFrame rgb, SwsContext toRgb,
                                     List<RgbImage> decoded) {
        long bytes = 0;
        while (avcodec_receive_packet(ec, pkt) >= 0) {
            bytes += pkt.size();
            int rc = avcodec_send_packet(dc, pkt);
            av_packet_unref(pkt);
            check(rc, "decode packet");
            drainDecoder(dc, out, rgb, toRgb, decoded);
        }
        return bytes;
    }

    private static void drainDecoder(AVCodecContext dc, AVFrame out, AVFrame rgb, SwsContext toRgb, List<RgbImage> decoded) {
        while (avcodec_receive_frame(dc, out) >= 0) {
            int w = out.width();
            int h = out.height();
            av_frame_unref(rgb);
            rgb.format(AV_PIX_FMT_RGB24);
            rgb.width(w);
            rgb.height(h);
            check(av_frame_get_buffer(rgb, 0), "allocate rgb frame");
            check(sws_scale_frame(toRgb, rgb, out), "convert decoded frame to rgb24");
            byte[] px = new byte[w * h * 3];
            BytePointer data = rgb.data(0);
            int stride = rgb.linesize(0);
            for (int y = 0; y < h; y++) {
                data.position((long) y * stride).get(px, y * w * 3, w * 3);
            }
            decoded.add(new RgbImage(w, h, px));
            av_frame_unref(rgb);
            av_frame_unref(out);
        }
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            BytePointer buf = new BytePointer(256);
            org.bytedeco.ffmpeg.global.avutil.av_strerror(rc, buf, 256);
            throw new IllegalStateException("RenditionEncoder: " + what + " failed: " + buf.getString() + " (" + rc + ")");
        }
    }
}
