package ai.vtc.contracts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The PostgreSQL database of a service, as Quarkus's datasource reads it: {@code quarkus.datasource.jdbc.url},
 * {@code .username} and {@code .password} (environment {@code QUARKUS_DATASOURCE_JDBC_URL}, ...). Quarkus itself
 * takes the three as optional; this mapping makes them required, so a service that injects it stops at a production
 * start without one, naming the key, instead of failing at its first connection. Only the dev and test profiles
 * give the embedded stack's values.
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface DatasourceConfig {
    /** {@code jdbc:postgresql://host:port/database}. */
    @WithName("jdbc.url")
    String jdbcUrl();

    /** The role the service logs in as. */
    String username();

    /** Its password. */
    String password();

    /**
     * For the start-up log: {@code database <url> as <user>}, never the password, nor the URL's parameters (which
     * may carry one).
     */
    default String describe() {
        return "database " + jdbcUrl().replaceFirst("\\?.*", "") + " as " + username();
    }
}
