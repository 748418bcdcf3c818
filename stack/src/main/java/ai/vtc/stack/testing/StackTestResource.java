package ai.vtc.stack.testing;

import ai.vtc.stack.Stack;
import ai.vtc.stack.StackProperties;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the shared {@link TestStack}: Kafka, S3 and, with the init argument
 * {@code database}, a PostgreSQL database of that name (created when missing). Use it as
 * {@code @QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value =
 * "scheduler"))}. Quarkus Dev Services need Docker, which these machines lack.
 */
public class StackTestResource implements QuarkusTestResourceLifecycleManager {
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        Stack stack = TestStack.get();
        Map<String, String> props = new HashMap<>(StackProperties.common(stack.config()));
        if (database != null) {
            stack.createDatabase(database);
            props.putAll(StackProperties.datasource(stack.config(), database));
        }
        return props;
    }

    @Override
    public void stop() {
        // the stack is shared by every test class of this JVM and stops when the JVM exits
    }
}
