package ai.vtc.florence2.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Precision;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.Tensors;
import ai.vtc.florence2.nn.Trace;
import ai.vtc.florence2.train.VisionFeatureFile;
import ai.vtc.florence2.vision.FeatureMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A frozen-vision training step (trainable: language) of a Florence-2-base-sized model (random weights, the real base
 * architecture, 768 px, 16 prompt tokens, 8 answer tokens) from the pixels (the vision tower runs in every step) and
 * from shared vision features (the worker's path: the stored entry decoded and checked by {@link VisionFeatureFile},
 * put on the device, then projection, encoder, decoder, loss and backward). Both sides alternate, so load changes hit
 * both; the times are medians. Arguments: [threads] [repetitions] [batch].
 */
public final class SharedFeaturesStepBenchmark {

    private SharedFeaturesStepBenchmark() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        System.out.printf(
                "engine %s %s, threads %d, batch %d, load average at start %s%n",
                engine.getEngineName(),
                engine.getVersion(),
                threads,
                batch,
                Files.readString(Path.of("/proc/loadavg")).trim());
        try (Florence2Model model = Florence2Model.random(Florence2Config.base(), 0);
                NDManager m = model.manager().newSubManager()) {
            List<NDArray> trainable = new ArrayList<>();
            for (Param p : model.parameters().params()) {
                if (!p.isBuffer() && !p.name().startsWith("vision_tower.")) {
                    p.array().setRequiresGradient(true);
                    trainable.add(p.array());
                }
            }
            NDArray pixels = m.randomNormal(new Shape(batch, 3, 768, 768));
            Random random = new Random(1);
            long[] ids = new long[batch * 16];
            long[] answer = new long[batch * 8];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i % 16 == 0 ? 0 : i % 16 == 15 ? 2 : 4 + random.nextInt(50000);
            }
            for (int i = 0; i < answer.length; i++) {
                answer[i] = 4 + random.nextInt(50000);
            }
            NDArray inputIds = Tensors.longs(m, ids, new Shape(batch, 16));
            NDArray decoderIds = Tensors.longs(m, answer, new Shape(batch, 8));

            // the stored entries, as a worker reads them (one per image)
            FeatureMap computed = model.visionFeatures(pixels, Trace.NONE);
            int grid = (int) computed.height();
            int channels = (int) computed.channels();
            float[] all = computed.tokens().toFloatArray();
            int per = all.length / batch;
            String imageSha = "00".repeat(32);
            List<byte[]> stored = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                stored.add(VisionFeatureFile.encode(
                        new VisionFeatureFile.Features(
                                Arrays.copyOfRange(all, b * per, (b + 1) * per), grid, grid, channels),
                        Precision.FP32,
                        imageSha));
            }
            System.out.printf(
                    "vision features per image: %d x %d tokens of %d channels, %d bytes stored (fp32)%n",
                    grid, grid, channels, stored.get(0).length);

            double[] withTower = new double[reps];
            double[] fromStore = new double[reps];
            for (int r = -1; r < reps; r++) { // r = -1: warm-up of both
                double a = step(
                        engine, model, trainable, () -> model.visionFeatures(pixels, Trace.NONE), inputIds, decoderIds);
                double b = step(
                        engine,
                        model,
                        trainable,
                        () -> {
                            float[] flat = new float[batch * per];
                            for (int i = 0; i < batch; i++) {
                                try {
                                    float[] one = VisionFeatureFile.decode(stored.get(i), Precision.FP32, imageSha)
                                            .tokens();
                                    System.arraycopy(one, 0, flat, i * per, per);
                                } catch (VisionFeatureFile.Corrupt e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                            return new FeatureMap(
                                    Tensors.floats(m, flat, new Shape(batch, (long) grid * grid, channels)),
                                    grid,
                                    grid);
                        },
                        inputIds,
                        decoderIds);
                System.out.printf(
                        "%s: with the vision tower %.3f s, on shared features %.3f s (load %s)%n",
                        r < 0 ? "warm-up" : "rep " + r,
                        a,
                        b,
                        Files.readString(Path.of("/proc/loadavg")).trim());
                if (r >= 0) {
                    withTower[r] = a;
                    fromStore[r] = b;
                }
            }
            double t = median(withTower);
            double s = median(fromStore);
            System.out.printf(
                    "frozen-vision training step, median of %d: with the vision tower %.3f s, on shared features %.3f"
                            + " s, ratio %.3f (goal <= 0.3)%n",
                    reps, t, s, s / t);
            System.out.printf(
                    "load average at end %s%n",
                    Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    private static double step(
            Engine engine,
            Florence2Model model,
            List<NDArray> trainable,
            Supplier<FeatureMap> vision,
            NDArray inputIds,
            NDArray decoderIds) {
        long start = System.nanoTime();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning(); // every array of the step is closed with it
            try (GradientCollector collector = engine.newGradientCollector()) {
                FeatureMap features = vision.get();
                NDArray logits =
                        model.forward(features, inputIds, null, decoderIds, ForwardOptions.REFERENCE, Trace.NONE);
                NDArray loss = Seq2SeqLoss.crossEntropy(logits, decoderIds, 1);
                collector.backward(loss);
                loss.getFloat();
            }
        }
        for (NDArray a : trainable) {
            JniUtils.zeroGrad((PtNDArray) a);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
