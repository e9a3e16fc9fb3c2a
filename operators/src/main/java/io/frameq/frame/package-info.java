/**
 * Frames: the frame contract types and the decoders that turn Kafka record values into RGB24.
 *
 * <p>Entry point: {@link io.frameq.frame.FrameDecoders} (thread-safe, one per application; close
 * it). It checks the payload size, picks a decoder from the {@code content-type} header or the
 * payload's magic bytes, and returns {@link io.frameq.frame.DecodedFrame}s or throws a
 * {@link io.frameq.frame.FrameDecodeException} whose reason is the DLQ/metric label.
 *
 * <p>Decisions every caller should know:
 * <ul>
 *   <li>JPEG/PNG: FFmpeg (avcodec + swscale) when its natives load, else ImageIO (WARN logged
 *       once). Both refuse damaged payloads (CORRUPT) rather than return half-decoded pictures:
 *       FFmpeg runs with AV_EF_EXPLODE, ImageIO's warnings count as errors. Alpha is dropped, ICC
 *       profiles are ignored, grey becomes R=G=B.</li>
 *   <li>Limits are checked before allocation: PNG/JPEG sizes from their headers, video sizes from
 *       the container, raw sizes from the headers.</li>
 *   <li>Raw YUV (NV12, I420) is BT.601 limited range, tightly packed; the payload length must
 *       match width and height exactly (BAD_HEADER otherwise).</li>
 *   <li>Video: {@link io.frameq.frame.VideoFrameSkip} lets the decoder leave unreferenced frames or all but
 *       the keyframes undecoded (sampling alone still decodes every frame, since frames predict from each
 *       other); then every {@code videoSampleEvery}-th intact frame is kept; more than
 *       {@code maxFramesPerSegment} sampled frames refuses the whole segment (OVER_LIMIT), never
 *       truncates it. Frames FFmpeg flags corrupt are dropped; a segment cut short keeps its
 *       intact frames. {@code ptsMillis} is on the container's own timeline. Without FFmpeg,
 *       video is refused as UNKNOWN_CONTENT_TYPE. In-memory segments may not open other files
 *       or URLs (empty protocol whitelist).</li>
 *   <li>Segments out: {@link io.frameq.frame.SegmentRemuxer} copies a video's packets into
 *       keyframe-aligned MPEG-TS segments in memory (no decoding), for producers that publish
 *       the source's own compression.</li>
 *   <li>Memory: a segment's frames are all held at once; 300 frames of 1080p are 1.8 GB of
 *       RGB24, so size {@code maxFramesPerSegment} and {@code videoSampleEvery} with the heap.</li>
 *   <li>Colour from FFmpeg: swscale honours the signalled matrix and range (JPEG full range,
 *       BT.709 when a stream says so); unsignalled video is BT.601 limited range. Chroma
 *       upsampling is a speed/fidelity choice, {@link io.frameq.frame.RgbConversion} (FAST by
 *       default: nearest chroma, mean difference from libjpeg under 1 level). A JPEG shrunk for the
 *       detectors ({@code FrameDecoders#decodeReduced}) skips swscale: its image keeps the JPEG's own
 *       planes ({@link io.frameq.frame.YuvPlanes}) and converts them to RGB only if asked.</li>
 * </ul>
 *
 * <p>May depend on {@code errors}, FFmpeg (JavaCPP) and Kafka's header types; never on models or metrics.
 */
package io.frameq.frame;
