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
    private static Stack stack;

    private TestStack() {}

    public static synchronized Stack get() {
        if (stack == null) {
            Path root = Path.of(System.getProperty("vtc.stack.dir", "target/test-stack"));
            StackConfig config = StackConfig.builder(
                            root.resolve("jvm-" + ProcessHandle.current().pid()))
                    .randomPorts()
                    .prometheus(System.getProperty("vtc.stack.prometheus", "off"))
                    .build();
            stack = Stack.start(config, System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::closeAndDelete, "test-stack-shutdown"));
        }
        return stack;
    }
}
