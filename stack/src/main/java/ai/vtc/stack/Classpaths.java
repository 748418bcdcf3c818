package ai.vtc.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The classpaths of the child processes, written at build time by maven-dependency-plugin into
 * {@code vtc-stack/<name>.classpath} (absolute paths in the local Maven repository).
 */
final class Classpaths {
    private Classpaths() {}

    static String of(String name) {
        String resource = "/vtc-stack/" + name + ".classpath";
        try (InputStream in = Classpaths.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StackException("missing " + resource + ": build the stack module with ./mvnw install");
            }
            String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String entry : classpath.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(entry))) {
                    throw new StackException("the " + name + " classpath names " + entry
                            + ", which does not exist: rebuild with ./mvnw install");
                }
            }
            return classpath;
        } catch (IOException e) {
            throw new StackException("cannot read " + resource, e);
        }
    }

    static Path single(String name) {
        String[] entries = of(name).split(java.io.File.pathSeparator);
        if (entries.length != 1) {
            throw new StackException("expected one jar for " + name + ", found " + Arrays.toString(entries));
        }
        return Path.of(entries[0]);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
