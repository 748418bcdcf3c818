package ai.vtc.florence2.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.nn.Trace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the base-sized model's time goes, per libtorch operator: one warm-up pass, then one pass under libtorch's
 * own profiler (through DJL's {@code JniUtils.startProfile}); prints the operators with the most self time (time not
 * spent in nested operators), with call counts and shapes. Arguments: [threads] [trace file] [vision | encoder F]:
 * the vision tower (default), or the language encoder on 577 image features + 16 prompt tokens with avg_pool factor F
 * at stage 0 (1: no compression; profiled 10 times). The trace file is Chrome's trace format (chrome://tracing).
 * {@code summary FILE} prints the same table for a trace written elsewhere (ReferenceSideBySide's {@code
 * -Dbench.trace}).
 */
public final class OpProfile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpProfile() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("summary")) {
            summarise(Path.of(args[1]));
            return;
        }
        int threads = BenchSupport.intArg(args, 0, 2);
        Path traceFile = Path.of(args.length > 1 ? args[1] : "target/vision-profile.json");
        BenchSupport.configure(threads);
        System.out.printf("load average %s%n", BenchSupport.loadAverage());
        String part = args.length > 2 ? args[2] : "vision";
        int factor = BenchSupport.intArg(args, 3, 1);
        try (Florence2Model model = Florence2Model.random(Florence2Config.base(), 0);
                NDManager m = model.manager().newSubManager()) {
            Runnable pass;
            if (part.equals("encoder")) {
                NDArray features = m.randomNormal(
                        new Shape(1, 577, model.config().textConfig().dModel()));
                long[] ids = new long[CompressionBenchmark.PROMPT_TOKENS];
                Arrays.fill(ids, 4);
                NDArray inputIds = m.create(ids, new Shape(1, ids.length));
                ForwardOptions options = CompressionBenchmark.compressed(
                        model, factor < 2 ? Compression.none() : Compression.avgPool(factor, 0, false));
                pass = () -> {
                    for (int i = 0; i < 10; i++) {
                        try (NDScope scope = new NDScope()) {
                            model.encodeFeatures(features, inputIds, null, options, Trace.NONE);
                        }
                    }
                };
            } else {
                NDArray pixels = m.randomNormal(new Shape(1, 3, 768, 768));
                pass = () -> model.encodeImage(pixels, Trace.NONE).close();
            }
            time("warm-up " + part, pass);
            JniUtils.startProfile(false, true, false);
            time("profiled " + part, pass);
            Files.createDirectories(traceFile.toAbsolutePath().getParent());
            JniUtils.stopProfile(traceFile.toString());
        }
        summarise(traceFile);
    }

    private static void time(String what, Runnable body) {
        long start = System.nanoTime();
        body.run();
        System.out.printf("%s: %.3f s%n", what, (System.nanoTime() - start) / 1e9);
    }

    /** Self time per operator name + input shapes, from the complete ("X") events of a Chrome trace. */
    private static void summarise(Path traceFile) throws IOException {
        JsonNode root = JSON.readTree(traceFile.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        List<JsonNode> ops = new ArrayList<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
                ops.add(e);
            }
        }
        // events on one thread nest by time: self time = duration minus the durations of direct children
        ops.sort((a, b) -> {
            int c = a.path("tid").asText().compareTo(b.path("tid").asText());
            if (c != 0) {
                return c;
            }
            c = Double.compare(a.path("ts").asDouble(), b.path("ts").asDouble());
            return c != 0
                    ? c
                    : Double.compare(b.path("dur").asDouble(), a.path("dur").asDouble());
        });
        Map<String, double[]> byKey = new HashMap<>();
        List<double[]> stackEnd = new ArrayList<>();
        List<String> stackKey = new ArrayList<>();
        List<double[]> stackSelf = new ArrayList<>();
        String tid = null;
        double total = 0;
        for (JsonNode e : ops) {
            if (!e.path("tid").asText().equals(tid)) {
                stackEnd.clear();
                stackKey.clear();
                stackSelf.clear();
                tid = e.path("tid").asText();
            }
            double ts = e.path("ts").asDouble();
            double dur = e.path("dur").asDouble();
            while (!stackEnd.isEmpty() && stackEnd.get(stackEnd.size() - 1)[0] <= ts) {
                pop(stackEnd, stackKey, stackSelf, byKey);
            }
            if (!stackSelf.isEmpty()) {
                stackSelf.get(stackSelf.size() - 1)[0] -= dur;
            } else {
                total += dur;
            }
            String shapes = e.path("shape").toString();
            stackEnd.add(new double[] {ts + dur});
            stackKey.add(e.path("name").asText() + " " + shapes);
            stackSelf.add(new double[] {dur});
        }
        while (!stackEnd.isEmpty()) {
            pop(stackEnd, stackKey, stackSelf, byKey);
        }
        Map<String, double[]> byName = new HashMap<>();
        byKey.forEach((k, v) -> {
            double[] acc = byName.computeIfAbsent(k.substring(0, k.indexOf(' ')), x -> new double[2]);
            acc[0] += v[0];
            acc[1] += v[1];
        });
        System.out.printf("%nprofiled top-level time %.3f s; self time per operator:%n", total / 1e6);
        print(byName, 20);
        System.out.printf("%nself time per operator and input shapes:%n");
        print(byKey, 30);
    }

    private static void pop(List<double[]> ends, List<String> keys, List<double[]> selfs, Map<String, double[]> byKey) {
        int last = ends.size() - 1;
        double[] acc = byKey.computeIfAbsent(keys.get(last), k -> new double[2]);
        acc[0] += selfs.get(last)[0];
        acc[1]++;
        ends.remove(last);
        keys.remove(last);
        selfs.remove(last);
    }

    private static void print(Map<String, double[]> rows, int limit) {
        rows.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .limit(limit)
                .forEach(e -> {
                    double gflop = matmulGflop(e.getKey()) * e.getValue()[1];
                    String rate = gflop > 0 ? String.format("  %.1f GFLOP/s", gflop / (e.getValue()[0] / 1e6)) : "";
                    System.out.printf(
                            "%9.1f ms %6d x  %s%s%n", e.getValue()[0] / 1e3, (long) e.getValue()[1], e.getKey(), rate);
                });
    }

    /** FLOPs of one mm / addmm / bmm call from its "name [[shapes]]" key, else 0. */
    private static double matmulGflop(String key) {
        if (key.indexOf(' ') < 0) {
            return 0;
        }
        String name = key.substring(0, key.indexOf(' '));
        if (!name.equals("aten::mm") && !name.equals("aten::addmm") && !name.equals("aten::bmm")) {
            return 0;
        }
        try {
            JsonNode shapes = JSON.readTree(key.substring(key.indexOf(' ') + 1));
            JsonNode a = shapes.get(shapes.size() - 2);
            JsonNode b = shapes.get(shapes.size() - 1);
            double flop = 2.0 * b.get(b.size() - 1).asLong();
            for (JsonNode d : a) {
                flop *= d.asLong();
            }
            return flop / 1e9;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
