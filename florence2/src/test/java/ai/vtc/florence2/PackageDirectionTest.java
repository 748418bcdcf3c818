package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The two directions that keep the model library free of loops: the root package (configs, model, pipeline) never
 * uses {@code compress}, which builds on it, and {@code io} (files and tensors) never uses the root package, which
 * loads and saves through it. Read from the sources, so a new import fails here and not in a later refactoring.
 */
class PackageDirectionTest {

    private static final Path SOURCES = Path.of("src/main/java/ai/vtc/florence2");

    @Test
    void rootPackageDoesNotUseCompress() throws IOException {
        assertEquals(List.of(), offenders(SOURCES, Pattern.compile("ai\\.vtc\\.florence2\\.compress\\.")));
    }

    @Test
    void ioDoesNotUseTheRootPackage() throws IOException {
        assertEquals(List.of(), offenders(SOURCES.resolve("io"), Pattern.compile("ai\\.vtc\\.florence2\\.[A-Z]")));
    }

    /** Lines naming {@code target} in the Java files directly inside {@code dir} (not its subpackages). */
    private static List<String> offenders(Path dir, Pattern target) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .sorted()
                    .flatMap(f -> lines(f).stream()
                            .filter(line -> target.matcher(line).find())
                            .map(line -> f.getFileName() + ": " + line.trim()))
                    .toList();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
