package ai.vtc.worker.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.storage.ObjectStore;
import ai.vtc.worker.TestWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset files in a cache folder shared by many workers, fetched from the real S3 server. */
class CacheFilesTest {
    private final ObjectStore store = TestWorker.objectStore();
    private final String prefix = "tests/cache-" + UUID.randomUUID().toString().substring(0, 8) + "/";

    @TempDir
    Path cache;

    private List<byte[]> storeFiles(int count) {
        Random random = new Random(11);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] body = new byte[100_000 + random.nextInt(200_000)];
            random.nextBytes(body);
            bodies.add(body);
            store.put(prefix + "img-" + i + ".jpg", body, "image/jpeg");
        }
        return bodies;
    }

    @Test
    void workersFillingOneCacheFolderConcurrentlyEndWithSoundFiles() throws Exception {
        List<byte[]> bodies = storeFiles(10);
        Path images = cache.resolve("images");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Path>> fetches = new ArrayList<>();
        for (int worker = 0; worker < 6; worker++) {
            for (int i = 0; i < bodies.size(); i++) {
                int file = i;
                fetches.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return CacheFiles.fetch(
                                        store, prefix + "img-" + file + ".jpg", images.resolve("img-" + file + ".jpg"));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        },
                        pool));
            }
        }
        CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        pool.shutdown();
        for (int i = 0; i < bodies.size(); i++) {
            Path file = images.resolve("img-" + i + ".jpg");
            assertArrayEquals(bodies.get(i), Files.readAllBytes(file), file.toString());
            assertTrue(CacheFiles.verified(file), file + " matches its checksum");
        }
        try (Stream<Path> left = Files.list(images)) {
            List<String> names =
                    left.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2 * bodies.size(), names.size(), "each file and its checksum, no temporary files: " + names);
        }
        System.out.printf(
                "shared dataset cache: %d concurrent fetches of %d files by 8 threads, sound files %d of %d%n",
                fetches.size(), bodies.size(), bodies.size(), bodies.size());
    }

    @Test
    void aTruncatedAlteredOrUncheckedCachedFileIsFetchedAgain() throws Exception {
        byte[] body = storeFiles(1).get(0);
        Path file = cache.resolve("img-0.jpg");
        String key = prefix + "img-0.jpg";
        CacheFiles.fetch(store, key, file);
        assertTrue(CacheFiles.verified(file));

        Files.write(file, java.util.Arrays.copyOf(body, body.length / 2)); // truncated
        assertFalse(CacheFiles.verified(file));
        CacheFiles.fetch(store, key, file);
        assertArrayEquals(body, Files.readAllBytes(file));

        byte[] altered = body.clone();
        altered[body.length / 3] ^= 1; // one bit flipped, same size
        Files.write(file, altered);
        assertFalse(CacheFiles.verified(file));
        CacheFiles.fetch(store, key, file);
        assertArrayEquals(body, Files.readAllBytes(file));

        Files.delete(CacheFiles.checksumOf(file)); // a file cached without its checksum (an older worker's)
        assertFalse(CacheFiles.verified(file));
        CacheFiles.fetch(store, key, file);
        assertTrue(CacheFiles.verified(file));
        assertArrayEquals(body, Files.readAllBytes(file));
    }
}
