package ai.vtc.dataset.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A dataset in a local folder; hidden files and folders (a leading {@code .}) are skipped. Symbolic links are
 * followed (a split's images may live elsewhere), but only to places inside {@code allowedRoots} when those are given.
 */
public final class FolderSource implements DatasetSource {
    private final Path root;
    private final List<Path> allowedRoots;

    /** {@code allowedRoots}: real paths a file may resolve to; empty: anywhere. */
    public FolderSource(Path root, List<Path> allowedRoots) {
        this.root = root.toAbsolutePath().normalize();
        this.allowedRoots = List.copyOf(allowedRoots);
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    @Override
    public List<String> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p))
                    .filter(FolderSource::visible)
                    .map(p -> p.toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean visible(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String location(String file) {
        return path(file).toString();
    }

    @Override
    public Path local(String file) throws IOException {
        return allowed(path(file));
    }

    @Override
    public byte[] read(String file) throws IOException {
        return Files.readAllBytes(allowed(path(file)));
    }

    private Path allowed(Path p) throws IOException {
        if (allowedRoots.isEmpty()) {
            return p;
        }
        Path real = p.toRealPath();
        if (allowedRoots.stream().noneMatch(real::startsWith)) {
            throw new IngestProblem(p + " leads to " + real + ", outside the folders this service may read");
        }
        return real;
    }

    private Path path(String file) {
        Path p = root.resolve(file).normalize();
        if (!p.startsWith(root)) {
            throw new IngestProblem("'" + file + "' is outside " + root);
        }
        return p;
    }

    @Override
    public void close() {}
}
