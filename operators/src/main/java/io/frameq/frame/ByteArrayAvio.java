package io.frameq.frame;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FORCE;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import io.frameq.deadline.Deadline;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * An AVIOContext that reads (and seeks in) a Java byte array, so avformat can demux an MP4 or
 * MPEG-TS segment straight from a Kafka record without a temp file.
 *
 * <p>JavaCPP backs each callback object with one of a few preallocated native thunks, so the read
 * and seek callbacks are two JVM-wide singletons; each open context is found through the address
 * of a small native "opaque" block that FFmpeg hands back to the callbacks. Not thread-safe (one
 * demuxer reads it), but many can be open at once on different threads.
 *
 * <p>Deadlines: the context remembers the {@link Deadline} open on the thread that created it.
 * Once the watchdog expires it, reads answer AVERROR_EXIT and FFmpeg's interrupt callback (a third
 * singleton, installed by {@link #installInterrupt}) answers 1, so avformat gives up at its next
 * I/O or interrupt check instead of finishing a segment nobody waits for.
 */
final class ByteArrayAvio implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int AVERROR_EIO = -5;
    private static final int AVERROR_EINVAL = -22;
    private static final int SEEK_SET = 0;
    private static final int SEEK_CUR = 1;
    private static final int SEEK_END = 2;

    private static final Map<Long, ByteArrayAvio> OPEN = new ConcurrentHashMap<>();
    private static final Read_packet_Pointer_BytePointer_int READ = new ReadCallback();
    private static final Seek_Pointer_long_int SEEK = new SeekCallback();
    private static final AVIOInterruptCB.Callback_Pointer INTERRUPT = new InterruptCallback();

    private final byte[] data;
    private final BytePointer opaque;
    private final AVIOContext context;
    private final Deadline deadline; // null: no deadline on the decoding thread
    private int position;

    ByteArrayAvio(byte[] data) {
        this.data = data;
        this.deadline = Deadline.current();
        this.opaque = new BytePointer(1);
        BytePointer buffer = new BytePointer(av_malloc(BUFFER_BYTES));
        if (buffer.isNull()) {
            opaque.close();
            throw new OutOfMemoryError("ByteArrayAvio: av_malloc(" + BUFFER_BYTES + ") returned null");
        }
        OPEN.put(opaque.address(), this);
        AVIOContext c = avio_alloc_context(buffer, BUFFER_BYTES, 0, opaque, READ, null, SEEK);
        if (c == null || c.isNull()) {
            OPEN.remove(opaque.address());
            av_free(buffer);
            opaque.close();
            throw new OutOfMemoryError("ByteArrayAvio: avio_alloc_context returned null");
        }
        this.context = c;
    }

    AVIOContext context() {
        return context;
    }

    /** Lets avformat poll this context's deadline (AVFormatContext.interrupt_callback). */
    void installInterrupt(AVFormatContext format) {
        format.interrupt_callback().callback(INTERRUPT).opaque(opaque);
    }

    /** Whether the decoding thread's deadline has expired: the demuxer should stop. */
    boolean interrupted() {
        return deadline != null && deadline.expired();
    }

    long deadlineMillis() {
        return deadline == null ? 0 : deadline.limitMillis();
    }

    private int read(BytePointer buf, int size) {
        if (interrupted()) {
            return AVERROR_EXIT;
        }
        if (position >= data.length) {
            return AVERROR_EOF;
        }
        int n = Math.min(size, data.length - position);
        buf.position(0).put(data, position, n);
        position += n;
        return n;
    }

    private long seek(long offset, int whence) {
        if ((whence & AVSEEK_SIZE) != 0) {
            return data.length;
        }
        long target = switch (whence & ~AVSEEK_FORCE) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> position + offset;
            case SEEK_END -> data.length + offset;
            default -> -1;
        };
        if (target < 0 || target > data.length) {
            return AVERROR_EINVAL;
        }
        position = (int) target;
        return target;
    }

    @Override
    public void close() {
        // FFmpeg may have replaced the buffer it was given, so free the one the context holds now.
        av_free(context.buffer());
        avio_context_free(context);
        OPEN.remove(opaque.address());
        opaque.close();
    }

    private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            try {
                ByteArrayAvio io = OPEN.get(opaque.address());
                return io == null ? AVERROR_EIO : io.read(buf, size);
            } catch (RuntimeException e) {
                return AVERROR_EIO; // never unwind into native code
            }
        }
    }

    private static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            try {
                ByteArrayAvio io = OPEN.get(opaque.address());
                return io == null ? AVERROR_EIO : io.seek(offset, whence);
            } catch (RuntimeException e) {
                return AVERROR_EIO;
            }
        }
    }

    private static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            try {
                ByteArrayAvio io = OPEN.get(opaque.address());
                return io != null && io.interrupted() ? 1 : 0;
            } catch (RuntimeException e) {
                return 0; // never unwind into native code
            }
        }
    }
}
