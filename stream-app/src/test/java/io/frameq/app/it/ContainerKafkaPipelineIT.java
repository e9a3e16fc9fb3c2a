package io.frameq.app.it;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same pipeline IT on a broker in a container, for machines with Docker; it is skipped (not
 * failed) where no Docker engine runs, and the embedded variant covers the same logic.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaPipelineIT extends AbstractPipelineIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Override
    protected String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
