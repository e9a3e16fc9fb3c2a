package io.frameq.frame;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads FFmpeg's natives once per JVM and bridges FFmpeg's log to SLF4J.
 *
 * <p>FFmpeg logs to stderr by default, one line per broken payload, outside any log
 * configuration. The bridge sends those lines to the logger {@code io.frameq.frame.ffmpeg} at
 * DEBUG (the same problem reaches the caller as a {@link FrameDecodeException}) and keeps the last
 * one per thread so that exception messages can quote FFmpeg's own words. The log level and the
 * callback are process-wide FFmpeg settings: they apply to every FFmpeg user in this JVM.
 */
final class FfmpegNatives {

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegNatives.class);
    private static final Logger FFMPEG_LOG = LoggerFactory.getLogger("io.frameq.frame.ffmpeg");

    /** Decoding runs on the calling thread (thread_count = 1), so FFmpeg logs on that thread too. */
    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();

    private static final Throwable LOAD_FAILURE;

    /** Held for the JVM's lifetime: JavaCPP frees the native thunk when the Java object is collected. */
    @SuppressWarnings("unused")
    private static final LogCallback LOG_BRIDGE;

    static {
        Throwable failure = null;
        LogCallback bridge = null;
        try {
            Loader.load(avutil.class);
            Loader.load(avcodec.class);
            Loader.load(avformat.class);
            Loader.load(swscale.class);
            bridge = new Slf4jBridge();
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            avutil.setLogCallback(bridge);
            LOG.debug("FFmpeg natives loaded: avcodec {}", avcodec.avcodec_version());
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError (no natives for this platform), NoClassDefFoundError (jar missing).
            failure = e;
        }
        LOAD_FAILURE = failure;
        LOG_BRIDGE = bridge;
    }

    private FfmpegNatives() {}

    static boolean available() {
        return LOAD_FAILURE == null;
    }

    static Optional<Throwable> loadFailure() {
        return Optional.ofNullable(LOAD_FAILURE);
    }

    /** Throws when the natives did not load; call before touching any FFmpeg class. */
    static void requireAvailable() {
        if (LOAD_FAILURE != null) {
            throw new IllegalStateException("FFmpeg natives are not available: " + LOAD_FAILURE, LOAD_FAILURE);
        }
    }

    /** FFmpeg's version, e.g. "8.1.2"; call only when {@link #available()}. */
    static String version() {
        requireAvailable();
        return avutil.av_version_info().getString();
    }

    /** FFmpeg's text for an AVERROR code, e.g. "Invalid data found when processing input". */
    static String errorText(int errnum) {
        byte[] buf = new byte[256];
        avutil.av_strerror(errnum, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8) + " (" + errnum + ")";
    }

    /** Forgets the last FFmpeg error line of this thread; call before an operation. */
    static void clearLastError() {
        LAST_ERROR.remove();
    }

    /** The last FFmpeg error line logged on this thread since {@link #clearLastError()}, or "". */
    static String lastError() {
        String last = LAST_ERROR.get();
        return last == null ? "" : last;
    }

    /** FFmpeg's explanation for a failed call: its last log line if any, else the error code's text. */
    static String explain(int errnum) {
        String last = lastError();
        return last.isEmpty() ? errorText(errnum) : errorText(errnum) + ", FFmpeg says: " + last;
    }

    private static final class Slf4jBridge extends LogCallback {
        @Override
        public void call(int level, BytePointer msg) {
            try {
                // Drop the context address FFmpeg prints ("[mjpeg @ 0x7f...]"): it differs per line.
                String line = msg.getString(StandardCharsets.UTF_8).strip().replaceAll(" @ 0x[0-9a-fA-F]+\\]", "]");
                if (line.isEmpty()) {
                    return;
                }
                if (level <= avutil.AV_LOG_ERROR) {
                    LAST_ERROR.set(line);
                }
                // DEBUG whatever FFmpeg's level: it rates some payload problems FATAL ("No JPEG data
                // found"), and every payload problem already reaches the caller as an exception.
                FFMPEG_LOG.debug(line);
            } catch (RuntimeException e) {
                // Never let an exception unwind into native code.
            }
        }
    }
}
