package ai.vtc.florence2.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionHooks;
import ai.vtc.florence2.compress.CompressionMode;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.io.SafeTensorsWriter;
import ai.vtc.florence2.io.TensorSource;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Tensors;
import ai.vtc.florence2.nn.Trace;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code florence2 forward --model DIR --inputs FILE.safetensors --output FILE.safetensors}: reads {@code
 * pixel_values}, {@code input_ids}, {@code attention_mask}, {@code decoder_input_ids}; writes {@code image_features},
 * {@code encoder_last_hidden_state}, {@code decoder_last_hidden_state}, {@code logits} and {@code greedy_tokens} (8 new
 * tokens by plain argmax, finished rows padded, as the golden fixtures), named as in the fixtures. {@code
 * --compression ...} compresses as in training and evaluation; each row's index is its sample key for {@code random}.
 */
@Command(
        name = "forward",
        mixinStandardHelpOptions = true,
        description = "One forward pass (and 8 greedy tokens) from a safetensors file of inputs.")
final class ForwardCommand implements Callable<Integer> {

    static final int GREEDY_TOKENS = 8;

    @Option(names = "--model", required = true, description = "model folder")
    Path model;

    @Option(names = "--inputs", required = true, description = "safetensors with the four input tensors")
    Path inputs;

    @Option(names = "--output", required = true, description = "safetensors file to write")
    Path output;

    @Option(names = "--honour-padding-mask", description = "honour attention_mask (the reference ignores it)")
    boolean honourPaddingMask;

    @Option(names = "--trace", description = "also write every intermediate tensor (vision stages, embeddings)")
    boolean trace;

    @Mixin
    CompressionOptions compression;

    @Mixin
    RandomSeedOption randomSeed;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        Compression c = randomSeed.resolve(compression);
        try (Florence2Model net = Florence2Model.load(model, runtime.resolve());
                SafeTensorsFile in = SafeTensorsFile.open(inputs);
                NDManager manager = net.manager().newSubManager();
                NDScope scope = new NDScope();
                Autocast ignored = Autocast.enter(runtime.precision())) {
            scope.suppressNotUsedWarning();
            NDArray pixels = read(manager, in, "pixel_values");
            NDArray ids = read(manager, in, "input_ids");
            NDArray mask = read(manager, in, "attention_mask");
            NDArray decoderIds = read(manager, in, "decoder_input_ids");
            ForwardOptions options = options(net, c, pixels);
            Trace.Collecting collected = Trace.collecting();
            net.forward(pixels, ids, mask, decoderIds, options, collected);
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (String name :
                    new String[] {"image_features", "encoder_last_hidden_state", "decoder_last_hidden_state", "logits"
                    }) {
                out.put(name, collected.tensors().get(name));
            }
            if (trace) {
                collected.tensors().forEach(out::putIfAbsent);
            }
            long[][] greedy = new Generator(net)
                    .generate(
                            pixels,
                            ids,
                            mask,
                            GenerationSettings.greedy(GREEDY_TOKENS).withForward(options));
            out.put("greedy_tokens", padded(manager, greedy, net.config().padTokenId()));
            SafeTensorsWriter.write(output, out, Map.of("format", "pt"));
            System.out.println("wrote " + output + ": " + String.join(", ", out.keySet()));
        }
        return 0;
    }

    /**
     * The forward options of {@code c} for these pixels [B, 3, H, W]: the pixels are used as given, so they set the
     * grid the compression is checked against, and downsample needs them at its size already; each row's index is its
     * sample key.
     */
    private ForwardOptions options(Florence2Model net, Compression c, NDArray pixels) {
        int height = Math.toIntExact(pixels.getShape().get(2));
        int width = Math.toIntExact(pixels.getShape().get(3));
        if (c.mode() == CompressionMode.DOWNSAMPLE && (height != c.imageSize() || width != c.imageSize())) {
            throw new IllegalArgumentException("--compression downsample --image-size " + c.imageSize()
                    + ": forward runs pixel_values as given, and they are " + height + " x " + width
                    + "; give them at " + c.imageSize() + " x " + c.imageSize());
        }
        c.validateFor(net.config(), Florence2ImageProcessor.ofSize(height));
        return ForwardOptions.REFERENCE
                .withPaddingMask(honourPaddingMask)
                .withEncoderHook(CompressionHooks.forModel(net, c))
                .withSampleKeys(LongStream.range(0, pixels.getShape().get(0)).toArray());
    }

    private static NDArray read(NDManager manager, TensorSource source, String name) {
        TensorSource.Info info = source.tensors().get(name);
        if (info == null) {
            throw new IllegalArgumentException(source.describe() + " has no tensor " + name);
        }
        Shape shape = new Shape(info.shape());
        return info.dtype().isFloatingPoint()
                ? Tensors.floats(manager, source.readFloats(name), shape)
                : Tensors.longs(manager, source.readLongs(name), shape);
    }

    /** Rows of 1 + 8 tokens: generation stops when every row is finished, the fixture always runs 8 steps. */
    private static NDArray padded(NDManager manager, long[][] rows, long pad) {
        long[][] full = new long[rows.length][1 + GREEDY_TOKENS];
        for (int r = 0; r < rows.length; r++) {
            Arrays.fill(full[r], pad);
            System.arraycopy(rows[r], 0, full[r], 0, rows[r].length);
        }
        return Tensors.longs(manager, full);
    }
}
