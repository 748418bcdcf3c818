package ai.vtc.contracts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The Kafka brokers of a service that reads or writes the {@link Topics}: {@code kafka.bootstrap.servers}
 * (environment {@code KAFKA_BOOTSTRAP_SERVERS}), the key SmallRye's Kafka connector reads too. It has no default
 * here and only the dev and test profiles give one, so a service that injects this mapping stops at a production
 * start without it, naming the key, instead of trying a broker on localhost.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaConfig {
    /** Comma-separated {@code host:port} of the brokers. */
    @WithName("bootstrap.servers")
    String bootstrapServers();

    /** For the start-up log: {@code Kafka <brokers>}. */
    default String describe() {
        return "Kafka " + bootstrapServers();
    }
}
