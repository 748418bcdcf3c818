package ai.vtc.florence2.bench;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Shared set-up of the benchmark programs: threads, offline DJL, native memory readings. */
final class BenchSupport {

    private BenchSupport() {}

    /** Offline DJL and the given number of intra-op threads (before the engine starts). */
    static void configure(int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine = Engine.getEngine("PyTorch");
        System.out.printf(
                "engine %s %s, threads %d, allocator: %s, OMP_WAIT_POLICY %s, small products split: %s%n",
                engine.getEngineName(),
                engine.getVersion(),
                threads,
                allocator(),
                Objects.requireNonNullElse(System.getenv("OMP_WAIT_POLICY"), "unset"),
                System.getProperty("ai.vtc.florence2.splitSmallProducts", "true"));
        System.out.printf("cpu: %s; %s%n", cpu(), mklKernels());
    }

    /**
     * Which of libtorch's MKL kernels this process gets: MKL picks by the CPU's features only on Intel processors,
     * or anywhere once the vendor shim (florence2/mkl-shim.sh) is preloaded; otherwise it takes its generic path.
     */
    static String mklKernels() {
        try {
            boolean intel = Files.readString(Path.of("/proc/cpuinfo")).contains("GenuineIntel");
            boolean shim = Files.readString(Path.of("/proc/self/maps")).contains("libmkl_vendor_shim");
            return intel ? "MKL: Intel CPU" : shim ? "MKL: vendor shim loaded" : "MKL: generic path (no vendor shim)";
        } catch (IOException e) {
            return "MKL: unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * The processor as /proc/cpuinfo names it: model, family/model numbers, clock and the widest vector FMA. Peak
     * fp32 throughput follows from them (e.g. AMD family 23 model 1, Zen 1, executes 256-bit FMAs as two 128-bit
     * halves: 16 FLOP per cycle and core), so a benchmark's GFLOP/s can be read against the hardware.
     */
    static String cpu() {
        try {
            String name = "?";
            String family = "?";
            String model = "?";
            String mhz = "?";
            String flags = "";
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                String value = line.contains(":")
                        ? line.substring(line.indexOf(':') + 1).trim()
                        : "";
                if (line.startsWith("model name") && name.equals("?")) {
                    name = value;
                } else if (line.startsWith("cpu family") && family.equals("?")) {
                    family = value;
                } else if (line.startsWith("model\t") && model.equals("?")) {
                    model = value;
                } else if (line.startsWith("cpu MHz") && mhz.equals("?")) {
                    mhz = value;
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = " " + value + " ";
                }
            }
            String vector = flags.contains(" avx512f ") ? "avx512f" : flags.contains(" avx2 ") ? "avx2" : "no avx2";
            return String.format(
                    "%s, family %s model %s, %s MHz, %s, %d cores",
                    name, family, model, mhz, vector, Runtime.getRuntime().availableProcessors());
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static String allocator() {
        String preload = System.getenv("LD_PRELOAD");
        if (preload != null && preload.contains("jemalloc")) {
            return "jemalloc (" + preload + ", MALLOC_CONF=" + System.getenv("MALLOC_CONF") + ")";
        }
        return "glibc (MALLOC_TRIM_THRESHOLD_=" + System.getenv("MALLOC_TRIM_THRESHOLD_") + ", MALLOC_MMAP_THRESHOLD_="
                + System.getenv("MALLOC_MMAP_THRESHOLD_") + ")";
    }

    /** Resident set size of this process in MiB (from /proc/self/status). */
    static double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Double.NaN;
    }

    /** The 1, 5 and 15 minute load averages: the machine is shared, so numbers are only as quiet as this. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static int intArg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
