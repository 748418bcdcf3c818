package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectionConfigTest {
    @Test
    void theStartUpLogNamesWhereAServiceConnectsButNoSecret() {
        DatasourceConfig database = new DatasourceConfig() {
            @Override
            public String jdbcUrl() {
                return "jdbc:postgresql://db:5432/scheduler?user=vtc&password=secret";
            }

            @Override
            public String username() {
                return "vtc";
            }

            @Override
            public String password() {
                return "secret";
            }
        };
        assertEquals("database jdbc:postgresql://db:5432/scheduler as vtc", database.describe());
        KafkaConfig kafka = () -> "kafka-1:9092,kafka-2:9092";
        assertEquals("Kafka kafka-1:9092,kafka-2:9092", kafka.describe());
    }
}
