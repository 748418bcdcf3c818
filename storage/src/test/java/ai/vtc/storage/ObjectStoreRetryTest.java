package ai.vtc.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.stack.Stack;
import ai.vtc.stack.StackConfig;
import ai.vtc.stack.testing.TestStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real S3 server of the embedded stack, stopped and started again from the test: an operation run through
 * a {@link StorageRetry} waits the outage out, while an answer about the object is not retried; downloads into one
 * folder shared by many threads leave only whole files.
 */
class ObjectStoreRetryTest {
    private final Stack stack = TestStack.get();
    private final StackConfig config = stack.config();
    private final ObjectStore plain = new ObjectStore(
            config.s3Endpoint(),
            config.s3().accessKey(),
            config.s3().secretKey(),
            config.s3().bucket());

    @TempDir
    Path temp;

    /** Retries what {@link StorageFailures} calls transient every 200 ms, up to 2 minutes, and counts the retries. */
    private static final class Counting implements StorageRetry {
        final AtomicInteger retries = new AtomicInteger();
        final List<String> retried = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public <T> T call(String what, Supplier<T> operation) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (true) {
                try {
                    return operation.get();
                } catch (RuntimeException e) {
                    if (!StorageFailures.isTransient(e) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    retries.incrementAndGet();
                    retried.add(what);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    @Test
    void operationsWaitOutAStoppedServerAndAnswersAboutTheObjectAreNotRetried() throws Exception {
        Counting retry = new Counting();
        ObjectStore store = plain.withRetry(retry);
        byte[] body = "payload".repeat(1000).getBytes(StandardCharsets.UTF_8);
        store.put("tests/retry/a.bin", body, "application/octet-stream");

        // answers about the object: at once, not retried
        assertFalse(store.exists("tests/retry/none.bin"));
        StorageException missing = assertThrows(StorageException.class, () -> store.get("tests/retry/none.bin"));
        assertFalse(StorageFailures.isTransient(missing), missing.getMessage());
        ObjectStore wrongKey = new ObjectStore(
                        config.s3Endpoint(),
                        config.s3().accessKey(),
                        "wrong",
                        config.s3().bucket())
                .withRetry(retry);
        StorageException refused = assertThrows(StorageException.class, () -> wrongKey.get("tests/retry/a.bin"));
        assertFalse(StorageFailures.isTransient(refused), refused.getMessage());
        assertEquals(0, retry.retries.get(), "retried: " + retry.retried);

        // the server stopped: each kind of operation waits until it is back
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int outageSeconds = 5;
        stack.stopServer("s3");
        long stopped = System.nanoTime();
        List<Future<?>> waiting;
        try {
            assertTrue(StorageFailures.isTransient(assertThrows(StorageException.class, () -> plain.exists("x"))));
            waiting = List.of(
                    pool.submit(() -> store.get("tests/retry/a.bin")),
                    pool.submit(() -> store.exists("tests/retry/a.bin")),
                    pool.submit(() -> {
                        store.download("tests/retry/a.bin", temp.resolve("a.bin"));
                        return null;
                    }),
                    pool.submit(() -> {
                        store.put("tests/retry/b.bin", body, "application/octet-stream");
                        return null;
                    }));
            Thread.sleep(outageSeconds * 1000L);
            for (Future<?> f : waiting) {
                assertFalse(f.isDone(), "an operation ended while the server was down");
            }
        } finally {
            stack.startServer("s3");
        }
        double outage = (System.nanoTime() - stopped) / 1e9;
        assertArrayEquals(body, (byte[]) waiting.get(0).get(60, TimeUnit.SECONDS));
        assertEquals(true, waiting.get(1).get(60, TimeUnit.SECONDS));
        waiting.get(2).get(60, TimeUnit.SECONDS);
        waiting.get(3).get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertArrayEquals(body, Files.readAllBytes(temp.resolve("a.bin")));
        assertArrayEquals(body, plain.get("tests/retry/b.bin"));
        assertTrue(retry.retries.get() >= 4, "retries " + retry.retries.get());
        System.out.printf(
                "object store outage: faults injected 1 (S3 stopped for %.1f s), operations waiting 4, retries %d,"
                        + " failed operations 0%n",
                outage, retry.retries.get());
    }

    @Test
    void manyThreadsDownloadingIntoOneFolderLeaveOnlyWholeFiles() throws Exception {
        Random random = new Random(7);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] body = new byte[200_000 + random.nextInt(100_000)];
            random.nextBytes(body);
            bodies.add(body);
            plain.put("tests/shared/f" + i + ".bin", body, "application/octet-stream");
        }
        Path shared = temp.resolve("shared");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> downloads = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < bodies.size(); i++) {
                int file = i;
                downloads.add(CompletableFuture.runAsync(
                        () -> plain.download("tests/shared/f" + file + ".bin", shared.resolve("f" + file + ".bin")),
                        pool));
            }
        }
        CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        pool.shutdown();
        for (int i = 0; i < bodies.size(); i++) {
            assertArrayEquals(bodies.get(i), Files.readAllBytes(shared.resolve("f" + i + ".bin")), "f" + i);
        }
        try (Stream<Path> left = Files.list(shared)) {
            assertEquals(bodies.size(), left.count(), "no temporary files left behind");
        }
        System.out.printf(
                "shared folder: %d concurrent downloads of %d files by 8 threads, whole files %d of %d%n",
                downloads.size(), bodies.size(), bodies.size(), bodies.size());
    }
}
