package ai.vtc.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/** The configuration properties that point a service at a stack (the same keys in tests and in {@code stack up}). */
public final class StackProperties {
    private StackProperties() {}

    /** Kafka and S3 settings every service reads. */
    public static Map<String, String> common(StackConfig config) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("kafka.bootstrap.servers", config.kafkaBootstrap());
        props.put("vtc.s3.endpoint", config.s3Endpoint());
        props.put("vtc.s3.access-key", config.s3().accessKey());
        props.put("vtc.s3.secret-key", config.s3().secretKey());
        props.put("vtc.s3.bucket", config.s3().bucket());
        return props;
    }

    /** The datasource of {@code database}. */
    public static Map<String, String> datasource(StackConfig config, String database) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.datasource.jdbc.url", config.jdbcUrl(database));
        props.put("quarkus.datasource.username", config.postgres().user());
        props.put("quarkus.datasource.password", config.postgres().password());
        return props;
    }

    /**
     * Everything a service started by the stack needs, its HTTP port included: the services run their production
     * profile, which has no connection settings of its own.
     */
    public static Map<String, String> forService(StackConfig config, StackConfig.ServiceSpec spec) {
        Map<String, String> props = common(config);
        if (spec.database() != null) {
            props.putAll(datasource(config, spec.database()));
        }
        if (spec.module().equals("gpu-worker")) { // the worker's model and dataset cache belongs to this stack
            props.put(
                    "worker.cache-dir",
                    config.dataDir()
                            .resolve("services")
                            .resolve(spec.name())
                            .resolve("cache")
                            .toString());
        }
        if (spec.module().equals("scheduler")) { // a production start needs its token; the stack's is the local one
            props.put("scheduler.api-token", StackConfig.SCHEDULER_API_TOKEN);
        }
        if (spec.module().equals("dataset-service")) { // changes to datasets take the scheduler's token
            props.put("datasets.api-token", StackConfig.SCHEDULER_API_TOKEN);
        }
        props.put("quarkus.http.port", Integer.toString(spec.port()));
        props.put("quarkus.http.host", config.host());
        return props;
    }
}
