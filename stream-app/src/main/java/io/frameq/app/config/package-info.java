/**
 * The typed configuration ({@link io.frameq.app.config.FrameqConfig}: defaults, file, {@code FRAMEQ_*}
 * environment) and its translation into the operators' policy values, each key validated by name.
 * May depend on the operators' policy and threshold types and Kafka's {@code ConfigDef}; it opens nothing.
 */
package io.frameq.app.config;
