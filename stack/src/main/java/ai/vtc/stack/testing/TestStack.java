package ai.vtc.stack.testing;

import ai.vtc.stack.Stack;
import ai.vtc.stack.StackConfig;
import java.nio.file.Path;

/**
 * One embedded stack per test JVM, on free ports, under {@code ${vtc.stack.dir}/jvm-<pid>} (the build sets
 * {@code vtc.stack.dir} to {@code target/test-stack}); stopped and deleted when the JVM exits. Prometheus is off unless the
 * system property {@code vtc.stack.prometheus} says {@code auto} or {@code on}.
 */
public final class TestStack {
    private static final String SHARED = "vtc.test-stack.coordinates";
    private static Stack stack;

    private TestStack() {}

    public static synchronized Stack get() {
        synchronized (System.getProperties()) {
            return getOrStart();
        }
    }

    /**
     * The stack of this JVM. Quarkus starts test applications in class loaders of their own, each with its own copy
     * of this class; the first start therefore records the stack's coordinates in a system property (which every
     * class loader sees), and later copies attach to it instead of starting a second stack.
     */
    private static Stack getOrStart() {
        String shared = System.getProperty(SHARED);
        if (stack == null && shared != null) {
            String[] f = shared.split("\\|");
            stack = Stack.attach(StackConfig.builder(Path.of(f[0]))
                    .ports(
                            Integer.parseInt(f[1]),
                            Integer.parseInt(f[2]),
                            Integer.parseInt(f[3]),
                            Integer.parseInt(f[4]),
                            Integer.parseInt(f[5]))
                    .prometheus("off")
                    .build());
        }
        if (stack == null) {
            Path root = Path.of(System.getProperty("vtc.stack.dir", "target/test-stack"));
            StackConfig config = StackConfig.builder(
                            root.resolve("jvm-" + ProcessHandle.current().pid()))
                    .randomPorts()
                    .prometheus(System.getProperty("vtc.stack.prometheus", "off"))
                    .build();
            stack = Stack.start(config, System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::closeAndDelete, "test-stack-shutdown"));
            StackConfig c = stack.config();
            System.setProperty(
                    SHARED,
                    String.join(
                            "|",
                            c.dataDir().toString(),
                            Integer.toString(c.kafkaPort()),
                            Integer.toString(c.kafkaControllerPort()),
                            Integer.toString(c.s3Port()),
                            Integer.toString(c.postgresPort()),
                            Integer.toString(c.prometheusPort())));
        }
        return stack;
    }
}
