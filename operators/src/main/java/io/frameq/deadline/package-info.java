/**
 * Per-frame deadlines: a {@link io.frameq.deadline.Deadline} bounds one stage of one frame (decode,
 * model, restoration) on the thread that does the work, and the shared {@link io.frameq.deadline.Watchdog}
 * thread fires its cancel hooks when it runs out — ONNX Runtime's terminate flag, FFmpeg's interrupt
 * callback — so the stuck call returns and the stream thread lives on. Depends on {@code errors} only,
 * so the native layers ({@code frame}, {@code onnx}) and the processors can all use it.
 */
package io.frameq.deadline;
