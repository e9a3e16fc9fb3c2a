/**
 * {@code frameq bench}: measured runs of decode, model and end-to-end throughput on this machine, with
 * per-thread CPU accounting. May depend on {@code broker}, {@code config}, {@code runtime}, {@code demo}
 * (its clips) and the operators; it asserts nothing.
 */
package io.frameq.app.bench;
