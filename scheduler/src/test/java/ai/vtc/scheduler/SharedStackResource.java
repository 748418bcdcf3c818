package ai.vtc.scheduler;

import ai.vtc.stack.testing.StackTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@link StackTestResource} once per JVM, also across Quarkus restarts. A test profile makes Quarkus start the
 * application in a new class loader, where {@code TestStack}'s static is empty again and a second stack would start
 * on the first one's directory; so the first start's properties are kept in a system property (a string, which every
 * class loader sees) and handed to the later starts.
 */
public class SharedStackResource implements QuarkusTestResourceLifecycleManager {
    private static final String KEY = "vtc.test.shared-stack";

    private final StackTestResource delegate = new StackTestResource();

    @Override
    public void init(Map<String, String> initArgs) {
        delegate.init(initArgs);
    }

    @Override
    public Map<String, String> start() {
        synchronized (System.getProperties()) {
            String cached = System.getProperty(KEY);
            if (cached != null) {
                return read(cached);
            }
            Map<String, String> props = delegate.start();
            System.setProperty(KEY, write(props));
            return props;
        }
    }

    @Override
    public void stop() {
        // the stack stops when the JVM exits
    }

    private static String write(Map<String, String> props) {
        Properties p = new Properties();
        p.putAll(props);
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Map<String, String> read(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> props = new HashMap<>();
        p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        return props;
    }
}
