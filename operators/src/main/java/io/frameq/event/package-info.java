/**
 * The JSON events FrameQ publishes (no-reference and full-reference scores) and their one mapping,
 * {@link io.frameq.event.EventJson}; the field names are a public contract. May depend on
 * {@code frame} (header names) and Jackson, nothing that runs a model or talks to Kafka.
 */
package io.frameq.event;
