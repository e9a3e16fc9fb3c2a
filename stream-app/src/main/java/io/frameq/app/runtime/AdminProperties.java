package io.frameq.app.runtime;

import java.util.Properties;

import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The admin-client subset of the app's Kafka Streams properties: the bootstrap servers and, on a secured
 * cluster, the same security settings, so every admin call the runtime makes reaches the brokers as the app does.
 */
final class AdminProperties {

    private AdminProperties() {
    }

    static Properties from(Properties streamsProps) {
        Properties p = new Properties();
        streamsProps.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(String.valueOf(k))) {
                p.put(k, v);
            }
        });
        return p;
    }
}
