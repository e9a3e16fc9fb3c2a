/**
 * {@code frameq demo}: an embedded broker, bundled clips replayed as cameras (or a CDN bitrate ladder)
 * with scheduled faults, the real runtime, and boards that read the results back as a consumer would.
 * May depend on {@code broker}, {@code config}, {@code runtime} and the operators' frame and event types.
 */
package io.frameq.app.demo;
