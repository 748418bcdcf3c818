package ai.vtc.stack.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's configuration as one profile sees it when nothing is set from outside: SmallRye Config over the
 * service's {@code application.properties} alone, without environment variables or system properties. So a test
 * can show what a packaged service (profile {@code prod}) started with an empty environment says, and that the dev
 * and test profiles lack nothing.
 */
public final class ProfileConfig {
    private ProfileConfig() {}

    /**
     * The problems SmallRye reports when it binds these config mappings for {@code profile} (each missing key
     * named, as at a Quarkus start), plus a line per plain key without a value; empty when there is none.
     */
    public static String problems(String profile, List<Class<?>> mappings, List<String> keys) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile(profile)
                .withValidateUnknown(false)
                .withConverter(Duration.class, 200, new DurationConverter()) // "30s", as Quarkus reads it
                .withSources(applicationProperties());
        mappings.forEach(builder::withMapping);
        SmallRyeConfig config;
        try {
            config = builder.build();
        } catch (ConfigValidationException e) { // lists every missing mapped key
            return e.getMessage();
        }
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (config.getOptionalValue(key, String.class).isEmpty()) {
                missing.add("The config property " + key + " is required but it could not be found");
            }
        }
        return String.join("\n", missing);
    }

    /**
     * The check a service's test makes: with an empty environment the {@code prod} profile reports each of
     * {@code requiredKeys} missing, and {@code dev} and {@code test} report nothing.
     *
     * @throws AssertionError naming the profile and what it reported
     */
    public static void requiredInProductionOnly(
            List<Class<?>> mappings, List<String> plainKeys, List<String> requiredKeys) {
        String production = problems("prod", mappings, plainKeys);
        for (String key : requiredKeys) {
            if (!production.contains("The config property " + key + " is required")) {
                throw new AssertionError("prod does not name " + key + " as missing; it reports:\n" + production);
            }
        }
        for (String profile : List.of("dev", "test")) {
            String problems = problems(profile, mappings, plainKeys);
            if (!problems.isEmpty()) {
                throw new AssertionError(profile + " lacks settings:\n" + problems);
            }
        }
    }

    /** The parameter types of {@code bean}'s constructor: the config mappings a start-up bean requires. */
    public static List<Class<?>> injectedBy(Class<?> bean) {
        return List.of(bean.getDeclaredConstructors()[0].getParameterTypes());
    }

    private static PropertiesConfigSource applicationProperties() {
        URL url = Thread.currentThread().getContextClassLoader().getResource("application.properties");
        if (url == null) {
            throw new IllegalStateException("no application.properties on the class path");
        }
        try {
            return new PropertiesConfigSource(url, 250);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
