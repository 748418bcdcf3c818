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
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.Trace;
import ai.vtc.optim.AdamW;
import ai.vtc.optim.AdamWConfig;
import ai.vtc.optim.Gradients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Where a training step of the tiny model spends its time: forward, backward, optimizer. Args: threads batch px. */
public final class TrainStepProfile {

    public static void main(String[] args) {
        int threads = BenchSupport.intArg(args, 0, 2);
        int batch = BenchSupport.intArg(args, 1, 32);
        int px = BenchSupport.intArg(args, 2, 64);
        int reps = BenchSupport.intArg(args, 3, 5);
        boolean vision = args.length <= 4 || !args[4].equals("frozen-vision");
        BenchSupport.configure(threads);
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 0);
                NDManager m = model.manager().newSubManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (Param p : model.parameters().params()) {
                if (!p.isBuffer() && (vision || !p.name().startsWith("vision_tower"))) {
                    params.put(p.name(), p.array());
                    p.array().setRequiresGradient(true);
                }
            }
            Random r = new Random(0);
            float[] px3 = new float[batch * 3 * px * px];
            for (int i = 0; i < px3.length; i++) {
                px3[i] = (float) r.nextGaussian();
            }
            NDArray pixels = m.create(px3, new Shape(batch, 3, px, px));
            long[] ids = new long[batch * 14];
            long[] dec = new long[batch * 4];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 3 + r.nextInt(1000);
            }
            for (int i = 0; i < dec.length; i++) {
                dec[i] = 3 + r.nextInt(1000);
            }
            NDArray inputIds = m.create(ids, new Shape(batch, 14));
            NDArray decoderIds = m.create(dec, new Shape(batch, 4));
            try (AdamW adamw = new AdamW(model.manager(), AdamWConfig.defaults())) {
                for (int rep = 0; rep < reps; rep++) {
                    long t0 = System.nanoTime();
                    long t1;
                    long t2;
                    try (NDScope scope = new NDScope();
                            GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
                        scope.suppressNotUsedWarning();
                        NDArray logits =
                                model.forward(pixels, inputIds, null, decoderIds, ForwardOptions.REFERENCE, Trace.NONE);
                        NDArray loss = Seq2SeqLoss.crossEntropy(logits, decoderIds, 1);
                        loss.getFloat();
                        t1 = System.nanoTime();
                        c.backward(loss);
                        t2 = System.nanoTime();
                    }
                    try (NDManager g = model.manager().newSubManager()) {
                        Map<String, NDArray> grads = Gradients.of(params, g);
                        Gradients.clipByGlobalNorm(grads, 1.0);
                        adamw.step(params, grads);
                    }
                    Gradients.zero(params.values());
                    long t3 = System.nanoTime();
                    System.out.printf(
                            "batch %d %dpx: forward %.3f s backward %.3f s optimizer %.3f s (load %s)%n",
                            batch, px, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, BenchSupport.loadAverage());
                }
            }
        }
    }
}
