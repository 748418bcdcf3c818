package ai.vtc.dataset.service;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;

/**
 * A dataset in a local folder; hidden files and folders (a leading {@code .}) are skipped. Symbolic links are
 * followed (a split's images may live elsewhere), but only to places inside {@code allowedRoots} when those are given
 * (a folder ingest always gives them; a synthetic set in the service's own scratch folder does not).
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

    /**
     * Every visible regular file below the root, relative, sorted. Links are followed, but a linked folder that
     * leads outside the allowed roots is not walked: the listing stops with an {@link IngestProblem} naming it (a
     * linked file outside is refused when read).
     */
    @Override
    public List<String> files() throws IOException {
        List<String> files = new ArrayList<>();
        Files.walkFileTree(
                root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        if (!dir.equals(root) && !visible(root.relativize(dir))) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        allowed(dir);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        Path relative = root.relativize(file);
                        if (attrs.isRegularFile() && visible(relative)) {
                            files.add(relative.toString()
                                    .replace(relative.getFileSystem().getSeparator(), "/"));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        Collections.sort(files);
        return files;
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
