package ai.vtc.vqa.bench;

import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaEvaluator;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.VqaResults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Time to evaluate a VQAv2-val-sized set from files, load included, and the heap it needs.
 *
 * <p>A program in the module's tests, so that it stays out of {@code vqa.jar}. From the repository root:
 *
 * <pre>
 * ./mvnw -q -B -pl vqa -am package -DskipTests
 * java -Xmx512m -cp vqa/target/test-classes:vqa/target/vqa.jar ai.vtc.vqa.bench.EvaluateBenchmark \
 *     [questions=214354] [runs=5] [dir]
 * </pre>
 *
 * Writes a realistic set ({@link RealisticVqaText}) into {@code dir} (a temporary folder by default, reused when the
 * files exist), then runs load (questions, annotations and results read concurrently, as {@code vqa evaluate}
 * does) + {@link VqaEvaluator#evaluate} {@code runs} times. The first run is what a fresh {@code vqa evaluate}
 * process pays (cold JIT); the peak heap is the sum of the heap pools' peaks during the runs.
 */
public final class EvaluateBenchmark {
    private EvaluateBenchmark() {}

    public static void main(String[] args) throws Exception {
        int questions = args.length > 0 ? Integer.parseInt(args[0]) : 214_354;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("vqa-bench");
        Files.createDirectories(dir);
        RealisticVqaText.Files files = new RealisticVqaText.Files(
                dir.resolve("questions.json"), dir.resolve("annotations.json"), dir.resolve("results.json"));
        if (!Files.exists(files.results())
                || VqaQuestions.read(files.questions()).size() != questions) {
            long t = System.nanoTime();
            RealisticVqaText.write(dir, questions, 42);
            System.out.printf("generated %d questions in %.1f s%n", questions, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf(
                "files: questions %.1f MB, annotations %.1f MB, results %.1f MB (%s)%n",
                Files.size(files.questions()) / 1e6,
                Files.size(files.annotations()) / 1e6,
                Files.size(files.results()) / 1e6,
                dir);
        System.out.printf(
                "JVM: %s, %d cores, max heap %d MB%n",
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        for (int run = 1; run <= runs; run++) {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            VqaAccuracy acc = loadAndEvaluate(files);
            long elapsed = System.nanoTime() - start;
            long cpu = processCpuNanos() - cpuStart;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(
                    "run %d: %d questions evaluated in %.3f s (load included; process CPU %.3f s), peak heap %d MB,"
                            + " overall %.2f%n",
                    run, acc.questionCount(), elapsed / 1e9, cpu / 1e9, peak >> 20, acc.overall());
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    static VqaAccuracy loadAndEvaluate(RealisticVqaText.Files files) throws IOException {
        CompletableFuture<VqaResults> results =
                CompletableFuture.supplyAsync(() -> read(() -> VqaResults.read(files.results())));
        CompletableFuture<VqaQuestions> questions =
                CompletableFuture.supplyAsync(() -> read(() -> VqaQuestions.read(files.questions())));
        VqaAnnotations annotations = VqaAnnotations.read(files.annotations());
        return VqaEvaluator.evaluate(questions.join(), annotations, results.join());
    }

    private interface Reader<T> {
        T read() throws IOException;
    }

    private static <T> T read(Reader<T> r) {
        try {
            return r.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
