package ai.vtc.cli;

import ai.vtc.storage.ObjectStore;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/** Where the local stack runs: {@code <stack dir>/stack.properties}, written by {@code stack up}. */
record DemoStack(Properties props) {
    static DemoStack load(Path stackDir) throws IOException {
        Path file = stackDir.resolve("stack.properties");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no stack runs on " + stackDir.toAbsolutePath()
                    + " (no stack.properties): start it with ./sweep up");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        }
        return new DemoStack(props);
    }

    String s3Endpoint() {
        return props.getProperty("vtc.s3.endpoint");
    }

    String bucket() {
        return props.getProperty("vtc.s3.bucket");
    }

    ObjectStore store() {
        return new ObjectStore(
                s3Endpoint(), props.getProperty("vtc.s3.access-key"), props.getProperty("vtc.s3.secret-key"), bucket());
    }

    /** {@code http://127.0.0.1:<port>} of a service the stack started. */
    String serviceUrl(String name) {
        return Arrays.stream(props.getProperty("services", "").split(","))
                .map(entry -> entry.split(":", -1))
                .filter(parts -> parts[0].equals(name))
                .findFirst()
                .map(parts -> "http://127.0.0.1:" + parts[1])
                .orElseThrow(() -> new IllegalStateException(
                        "the stack runs without the " + name + " service: restart it with ./sweep down && ./sweep up"));
    }

    /** Prometheus' address when the stack runs one, else null. */
    String prometheusUrl() {
        boolean running =
                Arrays.asList(props.getProperty("components", "").split(",")).contains("prometheus");
        return running ? "http://127.0.0.1:" + props.getProperty("prometheus.port") : null;
    }
}
