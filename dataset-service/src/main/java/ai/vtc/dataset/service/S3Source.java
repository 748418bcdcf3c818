package ai.vtc.dataset.service;

import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A dataset under an S3 prefix of the project's bucket, in the same layout as a folder. JSON files are downloaded
 * into a scratch folder (they are parsed and uploaded from there); images are read into memory one at a time.
 */
public final class S3Source implements DatasetSource {
    private final ObjectStore store;
    private final String prefix;
    private final Path scratch;

    /** {@code prefix} ends with {@code /}; {@code scratch} is a folder of this source alone, deleted on close. */
    public S3Source(ObjectStore store, String prefix, Path scratch) {
        this.store = store;
        this.prefix = prefix;
        this.scratch = scratch.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return store.uri(prefix.substring(0, prefix.length() - 1)) + "/";
    }

    @Override
    public List<String> files() {
        return store.list(prefix).stream()
                .map(key -> key.substring(prefix.length()))
                .filter(file -> !file.isEmpty())
                .sorted()
                .toList();
    }

    @Override
    public String location(String file) {
        return store.uri(key(file));
    }

    @Override
    public Path local(String file) throws IOException {
        Path target = scratch.resolve(key(file).substring(prefix.length())).normalize();
        if (!target.startsWith(scratch)) {
            throw new IngestProblem("'" + file + "' is outside the scratch folder");
        }
        if (!Files.exists(target)) {
            store.download(key(file), target);
        }
        return target;
    }

    @Override
    public byte[] read(String file) throws IOException {
        try {
            return store.get(key(file));
        } catch (StorageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The object key of {@code file}, checked: a listed key with {@code ..} or empty segments is refused. */
    private String key(String file) {
        try {
            return Keys.check(prefix + file);
        } catch (StorageException e) {
            throw new IngestProblem("unsafe object name under " + describe() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!Files.exists(scratch)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(scratch)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // scratch space; a leftover is harmless
        }
    }
}
