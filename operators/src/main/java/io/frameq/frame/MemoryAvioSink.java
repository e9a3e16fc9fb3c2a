package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The write side of {@link ByteArrayAvio}: an AVIOContext that appends what a muxer writes to a
 * Java byte array, so a segment can be muxed into a Kafka record without a temp file.
 *
 * <p>As there, the write callback is one JVM-wide singleton (JavaCPP has few native thunks) and
 * finds its sink through the address of a small native "opaque" block. No seek callback: the
 * MPEG-TS muxer writes straight through, and a muxer that needs to seek back (MP4's moov) fails
 * loudly instead of writing a broken file. Not thread-safe (one muxer writes it).
 */
final class MemoryAvioSink implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int AVERROR_EIO = -5;

    private static final Map<Long, MemoryAvioSink> OPEN = new ConcurrentHashMap<>();
    private static final Write_packet_Pointer_BytePointer_int WRITE = new WriteCallback();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(BUFFER_BYTES);
    private final BytePointer opaque;
    private final AVIOContext context;
    private byte[] chunk = new byte[BUFFER_BYTES];

    MemoryAvioSink() {
        this.opaque = new BytePointer(1);
        BytePointer buffer = new BytePointer(av_malloc(BUFFER_BYTES));
        if (buffer.isNull()) {
            opaque.close();
            throw new OutOfMemoryError("MemoryAvioSink: av_malloc(" + BUFFER_BYTES + ") returned null");
        }
        OPEN.put(opaque.address(), this);
        AVIOContext c = avio_alloc_context(buffer, BUFFER_BYTES, 1, opaque, null, WRITE, null);
        if (c == null || c.isNull()) {
            OPEN.remove(opaque.address());
            av_free(buffer);
            opaque.close();
            throw new OutOfMemoryError("MemoryAvioSink: avio_alloc_context returned null");
        }
        this.context = c;
    }

    AVIOContext context() {
        return context;
    }

    /** What was written so far (the muxer must have flushed: {@code av_write_trailer} does). */
    byte[] bytes() {
        return out.toByteArray();
    }

    private int write(BytePointer buf, int size) {
        if (size > chunk.length) {
            chunk = new byte[size];
        }
        buf.position(0).get(chunk, 0, size);
        out.write(chunk, 0, size);
        return size;
    }

    @Override
    public void close() {
        // FFmpeg may have replaced the buffer it was given, so free the one the context holds now.
        av_free(context.buffer());
        avio_context_free(context);
        OPEN.remove(opaque.address());
        opaque.close();
    }

    private static final class WriteCallback extends Write_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            try {
                MemoryAvioSink sink = OPEN.get(opaque.address());
                return sink == null ? AVERROR_EIO : sink.write(buf, size);
            } catch (RuntimeException | OutOfMemoryError e) {
                return AVERROR_EIO; // never unwind into native code
            }
        }
    }
}
