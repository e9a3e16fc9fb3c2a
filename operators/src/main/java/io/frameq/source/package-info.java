/**
 * Sources: where frames come from when they do not come from Kafka. One {@link io.frameq.source.MediaSource}
 * per stream, opened from a {@link io.frameq.source.SourceSpec} by {@link io.frameq.source.Sources#open}:
 * still images and folders (JPEG/PNG passed on as their bytes), image sequences, video files (FFmpeg,
 * frame by frame through {@link io.frameq.frame.MediaReader}) and URLs.
 *
 * <p>Decisions every caller should know:
 * <ul>
 *   <li>Time: files are stamped with a start time plus the frame's pts counted from the first frame;
 *       live URLs with the wall clock when the frame arrived; stills one interval apart.</li>
 *   <li>Live or not: a URL whose container states a duration is finite media, read once; any other
 *       is live and reopened after a drop with backoff ({@link io.frameq.source.ReconnectPolicy}).
 *       The first open is not retried: a mistyped URL fails at once.</li>
 *   <li>Sampling ({@link io.frameq.source.SamplingPolicy}) happens before RGB conversion, so skipped
 *       frames cost only their decoding; keyframes-only skips decoding the others as well.</li>
 *   <li>Segments ({@link io.frameq.source.Sources#openSegments}): a video file or URL passed on as
 *       keyframe-aligned MPEG-TS segments of its own compressed video, nothing decoded or re-encoded;
 *       so only keyframes-only sampling can apply, every-Nth and max-fps are refused.</li>
 *   <li>{@link io.frameq.source.FrameRecord} turns a frame into a frame-contract record (the same
 *       headers a camera publishes), so what reads Kafka and what reads sources see one input.</li>
 *   <li>Threads: a source is read and closed by one thread; {@link io.frameq.source.MediaSource#stop()}
 *       may come from any.</li>
 * </ul>
 */
package io.frameq.source;
