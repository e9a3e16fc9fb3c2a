/**
 * Per-stream alerting on the score events: tumbling windows of capture time, quality incidents with
 * hysteresis and silent-stream alerts, kept in a changelogged store and published once per transition;
 * the retirement of streams silent past their TTL ({@code StreamRetirement}), which drops their state.
 * May depend on {@code event}, {@code frame} (header names), the {@code metrics} port and Kafka Streams.
 */
package io.frameq.alert;
