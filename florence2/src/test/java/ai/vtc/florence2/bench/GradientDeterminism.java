package ai.vtc.florence2.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.VisualTokenCompressor;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.Tensors;
import ai.vtc.florence2.nn.TestGradients;
import ai.vtc.florence2.nn.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Identical forward and backward passes of the tiny model (all parameters trainable), repeated: reports every pass
 * whose gradients are not finite or differ bit for bit from the first pass, and a hash of the first pass's gradient
 * bits (to compare processes and thread counts). Before every pass, arrays filled with NaN are allocated and freed so
 * that a read of uninitialised or freed memory shows. Args: passes (20), batch (4), compression none | lp
 * (learnable_pool f=4 stage 0 sorted, the default), MiB of NaN garbage (64). System properties: {@code -Dthreads=N}
 * (1), {@code -Dgc=true} runs a garbage collection between forward and backward of every pass.
 */
public final class GradientDeterminism {

    public static void main(String[] args) throws InterruptedException {
        int passes = BenchSupport.intArg(args, 0, 20);
        int batch = BenchSupport.intArg(args, 1, 4);
        String mode = args.length > 2 ? args[2] : "lp";
        int garbageMiB = BenchSupport.intArg(args, 3, 64);
        boolean gc = Boolean.getBoolean("gc");
        BenchSupport.configure(Integer.getInteger("threads", 1));
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 1)) {
            Compression c = mode.equals("none") ? Compression.none() : Compression.learnablePool(4, 0, true);
            ForwardOptions forward = ForwardOptions.REFERENCE.withEncoderHook(VisualTokenCompressor.forModel(model, c));
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (Param p : model.parameters().params()) {
                if (!p.isBuffer()) {
                    params.put(p.name(), p.array());
                    p.array().setRequiresGradient(true);
                }
            }
            Random r = new Random(0);
            int px = 64;
            float[] pixels = new float[batch * 3 * px * px];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) r.nextGaussian();
            }
            long[] ids = new long[batch * 14];
            long[] dec = new long[batch * 5];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 3 + r.nextInt(1000);
            }
            for (int i = 0; i < dec.length; i++) {
                dec[i] = 3 + r.nextInt(1000);
            }
            Map<String, float[]> reference = null;
            int bad = 0;
            for (int pass = 0; pass < passes; pass++) {
                garbage(model.manager(), garbageMiB, pass);
                float loss = step(model, forward, pixels, ids, dec, batch, px, gc);
                Map<String, float[]> grads = new LinkedHashMap<>();
                params.forEach((name, p) -> grads.put(name, p.getGradient().toFloatArray()));
                TestGradients.zero(params.values());
                if (reference == null) {
                    reference = grads;
                    long hash = 17;
                    for (float[] g : grads.values()) {
                        hash = 31 * hash + Arrays.hashCode(g);
                    }
                    System.out.printf("loss %.9g, gradient bits hash %016x%n", loss, hash);
                }
                List<String> nonFinite = new ArrayList<>();
                List<String> differ = new ArrayList<>();
                for (Map.Entry<String, float[]> e : grads.entrySet()) {
                    for (float v : e.getValue()) {
                        if (!Float.isFinite(v)) {
                            nonFinite.add(e.getKey());
                            break;
                        }
                    }
                    if (!Arrays.equals(reference.get(e.getKey()), e.getValue())) {
                        differ.add(e.getKey());
                    }
                }
                if (!nonFinite.isEmpty() || !differ.isEmpty()) {
                    bad++;
                    System.out.printf(
                            "pass %d loss %.9g: %d parameters with non-finite gradients %s, %d differ from pass 0%n",
                            pass,
                            loss,
                            nonFinite.size(),
                            nonFinite.stream().limit(12).toList(),
                            differ.size());
                }
            }
            System.out.println("passes with problems: " + bad + " of " + passes);
        }
    }

    private static float step(
            Florence2Model model,
            ForwardOptions forward,
            float[] px3,
            long[] ids,
            long[] dec,
            int batch,
            int px,
            boolean gc)
            throws InterruptedException {
        try (NDManager scratch = model.manager().newSubManager();
                NDScope scope = new NDScope();
                GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray pixels = Tensors.floats(scratch, px3, new Shape(batch, 3, px, px));
            NDArray inputIds = Tensors.longs(scratch, ids, new Shape(batch, ids.length / batch));
            NDArray decoderIds = Tensors.longs(scratch, dec, new Shape(batch, dec.length / batch));
            NDArray logits = model.forward(pixels, inputIds, null, decoderIds, forward, Trace.NONE);
            NDArray loss = Seq2SeqLoss.crossEntropy(logits, decoderIds, 1);
            if (gc) {
                System.gc();
                Thread.sleep(100); // direct buffers are freed by the cleaner thread after the collection
            }
            collector.backward(loss);
            return loss.getFloat();
        }
    }

    /** Allocates arrays of many sizes filled with NaN and frees them, so that fresh allocations may see NaN. */
    private static void garbage(NDManager parent, int mib, int pass) {
        try (NDManager m = parent.newSubManager()) {
            long budget = (long) mib << 20;
            long size = 256;
            while (budget > 0) {
                m.full(new Shape(size), Float.NaN);
                budget -= size * 4;
                size = size * 2 > (4 << 20) ? 256 + pass : size * 2;
            }
        }
    }
}
