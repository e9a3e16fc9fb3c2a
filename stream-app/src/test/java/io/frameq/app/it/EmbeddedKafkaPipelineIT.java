package io.frameq.app.it;

import io.frameq.app.broker.EmbeddedKafka;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The pipeline IT on a real KRaft broker inside this JVM: runs everywhere, no Docker needed. */
class EmbeddedKafkaPipelineIT extends AbstractPipelineIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Override
    protected String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}
