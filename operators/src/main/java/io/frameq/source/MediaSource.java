package io.frameq.source;

/**
 * One input stream of frames: a still image, a folder of images, an image sequence, a video file
 * or a live URL. Frames come out sampled and time-stamped; a source is read by one thread.
 */
public interface MediaSource extends AutoCloseable {

    /** The stream id its frames are keyed by. */
    String streamId();

    /** What it reads, as given (path or URL). */
    String location();

    /** Whether capture times are wall-clock times (a live URL) rather than the source's own timeline. */
    boolean live();

    /**
     * The next sampled frame, or null when the source has ended.
     *
     * @throws SourceException when the source cannot be read at all (missing file, no video, a live
     *     URL that stays unreachable)
     * @throws InterruptedException while a live source waits to reconnect
     */
    CapturedFrame next() throws SourceException, InterruptedException;

    SourceStats stats();

    /**
     * Asks the source to end: {@link #next()} then returns null at its next frame (or reconnect
     * wait). Callable from any thread, unlike {@link #close()}, which belongs to the reading thread.
     */
    void stop();

    @Override
    void close();
}
