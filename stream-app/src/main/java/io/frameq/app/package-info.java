/**
 * The {@code frameq} command line ({@link io.frameq.app.FrameqCli}): picocli's entry point, which only
 * dispatches to the commands in {@code cli}, {@code demo} and {@code bench}.
 */
package io.frameq.app;
