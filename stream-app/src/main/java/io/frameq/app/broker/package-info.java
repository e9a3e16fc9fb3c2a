/**
 * A single-node KRaft Kafka inside the JVM ({@link io.frameq.app.broker.EmbeddedKafka}) for the demo,
 * the benchmark and the integration tests. Depends on Kafka's server classes only, nothing of FrameQ.
 */
package io.frameq.app.broker;
