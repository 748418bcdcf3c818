package ai.vtc.florence2.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.vision.ChannelAttention;
import ai.vtc.florence2.vision.DepthWiseConv2d;
import ai.vtc.florence2.vision.FeatureMap;
import ai.vtc.florence2.vision.Mlp;
import ai.vtc.florence2.vision.WindowAttention;
import java.util.function.Supplier;

/**
 * Where the vision tower's time goes: each sub-layer of a DaViT block at the sizes of Florence-2-base's stages
 * (768 px), timed alone, next to its matmul FLOPs. Arguments: [threads].
 */
public final class VisionBlockProfile {

    private VisionBlockProfile() {}

    public static void main(String[] args) {
        BenchSupport.configure(BenchSupport.intArg(args, 0, 2));
        System.out.printf(
                "load average %s; %s; matmul 1024: %.1f GFLOP/s%n",
                BenchSupport.loadAverage(), BaseModelBenchmark.clock(), MatmulBenchmark.gflops(1024, 15));
        int[][] stages = {{192, 128, 4}, {96, 256, 8}, {48, 512, 16}, {24, 1024, 32}};
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int[] st : stages) {
                int side = st[0];
                int c = st[1];
                int heads = st[2];
                ParameterStore store = new ParameterStore(m);
                DepthWiseConv2d dw = new DepthWiseConv2d(store, "dw", c);
                LayerNorm norm = new LayerNorm(store, "norm", c);
                WindowAttention wa = new WindowAttention(store, "wa", c, heads, 12);
                ChannelAttention ca = new ChannelAttention(store, "ca", c, heads);
                Mlp mlp = new Mlp(store, "mlp", c, 4L * c);
                store.initialiseMissing(0);
                long n = (long) side * side;
                NDArray x = m.randomNormal(new Shape(1, n, c));
                FeatureMap fm = new FeatureMap(x, side, side);
                double linear = 2.0 * n * c * c;
                System.out.printf("stage %dx%d C=%d:%n", side, side, c);
                report(
                        "  depthwise conv + residual",
                        () -> dw.forwardResidual(fm).tokens(),
                        2.0 * n * c * 9);
                report("  layer norm", () -> norm.forward(x), 0);
                report("  window attention", () -> wa.forward(x, side, side), linear * 4 + 4.0 * n * 144 * c);
                report(
                        "  window attention (reference order)",
                        () -> wa.forwardReference(x, side, side),
                        linear * 4 + 4.0 * n * 144 * c);
                report("  channel attention", () -> ca.forward(x), linear * 4 + 4.0 * n * c * c / heads);
                report("  mlp", () -> mlp.forward(x), linear * 8);
            }
        }
    }

    private static void report(String name, Supplier<NDArray> body, double flops) {
        double s = BaseModelBenchmark.median(7, () -> body.get());
        System.out.printf("%-36s %8.2f ms %8.1f GFLOP/s%n", name, s * 1000, flops / s / 1e9);
    }
}
