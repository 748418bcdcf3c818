package ai.vtc.florence2.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.language.DecoderCache;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.nn.Tensors;
import ai.vtc.florence2.nn.Trace;
import ai.vtc.florence2.vision.FeatureMap;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Autoregressive decoding: the vision tower and encoder run once, then the decoder one token per step with a key/value
 * cache. Greedy search for one beam, {@link BeamSearch} otherwise. Memory: everything a call allocates lives in a
 * sub-manager closed at the end, and each step's temporaries in an {@link NDScope} closed after the step, so native
 * memory stays flat over any number of calls. A {@link GenerationListener} can hear the prefill and each step end (for
 * timing); without one nothing extra runs. Letters: B batch, K beams, V vocabulary.
 */
public final class Generator {

    private final Florence2Model model;
    private final int decoderStart;
    private final int eos;
    private final int pad;

    public Generator(Florence2Model model) {
        this.model = model;
        Florence2TextConfig t = model.config().textConfig();
        this.decoderStart = t.decoderStartTokenId();
        this.eos = t.eosTokenId();
        this.pad = t.padTokenId();
    }

    /**
     * pixels [B, 3, H, W], prompt ids [B, T] (right-padded), 0/1 mask [B, T] -> per sample the decoder tokens,
     * starting with the decoder start token (as Hugging Face returns them; finished rows padded with pad).
     */
    public long[][] generate(
            NDArray pixelValues, NDArray inputIds, NDArray attentionMask, GenerationSettings settings) {
        return generate(pixelValues, inputIds, attentionMask, settings, null);
    }

    /** Like {@link #generate(NDArray, NDArray, NDArray, GenerationSettings)}, telling {@code listener} (or nobody). */
    public long[][] generate(
            NDArray pixelValues,
            NDArray inputIds,
            NDArray attentionMask,
            GenerationSettings settings,
            GenerationListener listener) {
        return run(pixelValues, inputIds, attentionMask, settings, settings.numBeams() > 1, listener);
    }

    /** Beam search even for one beam (which must then agree with greedy search). */
    public long[][] beamSearch(
            NDArray pixelValues, NDArray inputIds, NDArray attentionMask, GenerationSettings settings) {
        return run(pixelValues, inputIds, attentionMask, settings, true, null);
    }

    /**
     * Like {@link #generate(NDArray, NDArray, NDArray, GenerationSettings, GenerationListener)} from the vision tower's
     * output [B, h*w, C] ({@link Florence2Model#visionFeatures}) instead of pixels: the vision tower does not run.
     */
    public long[][] generate(
            FeatureMap visionFeatures,
            NDArray inputIds,
            NDArray attentionMask,
            GenerationSettings settings,
            GenerationListener listener) {
        return run(
                () -> model.encodeFeatures(
                        model.projectImage(visionFeatures, Trace.NONE),
                        inputIds,
                        attentionMask,
                        settings.forward(),
                        Trace.NONE),
                visionFeatures.batch(),
                settings,
                settings.numBeams() > 1,
                listener);
    }

    private long[][] run(
            NDArray pixelValues,
            NDArray inputIds,
            NDArray attentionMask,
            GenerationSettings settings,
            boolean beam,
            GenerationListener listener) {
        return run(
                () -> model.encode(pixelValues, inputIds, attentionMask, settings.forward(), Trace.NONE),
                pixelValues.getShape().get(0),
                settings,
                beam,
                listener);
    }

    private long[][] run(
            Supplier<EncoderOutput> encode,
            long batch,
            GenerationSettings settings,
            boolean beam,
            GenerationListener listener) {
        try (NDManager call = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            if (listener != null) {
                listener.started();
            }
            EncoderOutput encoder = encode.get();
            keep(call, encoder.hidden());
            if (encoder.mask() != null) {
                keep(call, encoder.mask());
            }
            if (listener != null) {
                encoder.hidden().get(0, 0, 0).getFloat(); // waits for the device to finish the encoder
                listener.encoded(encoder);
            }
            try (DecoderCache cache = model.newCache(call)) {
                return beam
                        ? new BeamSearch(this, settings, listener).run(call, encoder, cache, (int) batch)
                        : greedy(call, encoder, cache, (int) batch, settings, listener);
            }
        }
    }

    private long[][] greedy(
            NDManager call,
            EncoderOutput encoder,
            DecoderCache cache,
            int batch,
            GenerationSettings settings,
            GenerationListener listener) {
        LogitsProcessors processors = new LogitsProcessors(settings);
        long[][] sequences = new long[batch][settings.maxLength()];
        boolean[] finished = new boolean[batch];
        long[] next = new long[batch];
        Arrays.fill(next, decoderStart);
        int length = 0;
        for (long[] row : sequences) {
            row[length] = decoderStart;
        }
        length++;
        while (length < settings.maxLength()) {
            float[] logits = stepLogits(call, next, encoder, cache); // [B * V]
            if (listener != null) {
                listener.stepped(length);
            }
            int vocab = logits.length / batch;
            int unfinished = 0;
            for (int b = 0; b < batch; b++) {
                if (!processors.isEmpty()) {
                    processors.apply(sequences[b], length, logits, b * vocab, vocab);
                }
                long token = finished[b] ? pad : argmax(logits, b * vocab, vocab);
                finished[b] |= token == eos;
                sequences[b][length] = token;
                next[b] = token;
                unfinished += finished[b] ? 0 : 1;
            }
            length++;
            if (unfinished == 0) {
                break;
            }
        }
        long[][] out = new long[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = Arrays.copyOf(sequences[b], length);
        }
        return out;
    }

    /** One decoder step for the tokens {@code next} ([rows]) -> last-position logits, row-major [rows * V]. */
    float[] stepLogits(NDManager call, long[] next, EncoderOutput encoder, DecoderCache cache) {
        try (NDScope step = new NDScope()) {
            step.suppressNotUsedWarning();
            NDArray ids = Tensors.longs(call, next, new Shape(next.length, 1)); // [rows, 1]
            NDArray hidden = model.decode(ids, encoder, cache); // [rows, 1, D]
            return model.logits(hidden).toFloatArray(); // [rows, 1, V]
        }
    }

    /** Like {@link #stepLogits} but returns log-softmax scores (beam search ranks log-probabilities). */
    float[] stepLogProbs(NDManager call, long[] next, EncoderOutput encoder, DecoderCache cache) {
        try (NDScope step = new NDScope()) {
            step.suppressNotUsedWarning();
            NDArray ids = Tensors.longs(call, next, new Shape(next.length, 1));
            NDArray hidden = model.decode(ids, encoder, cache);
            return model.logits(hidden).logSoftmax(-1).toFloatArray();
        }
    }

    /** Repeats every row of the encoder output {@code times} times (row b -> rows b*K .. b*K+K-1). */
    EncoderOutput expand(NDManager call, EncoderOutput encoder, int times) {
        long batch = encoder.hidden().getShape().get(0);
        long[] rows = new long[(int) batch * times];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i / times;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray index = Tensors.longs(call, rows, new Shape(rows.length));
            NDArray hidden = keep(call, encoder.hidden().get(index));
            NDArray mask =
                    encoder.mask() == null ? null : keep(call, encoder.mask().get(index));
            return new EncoderOutput(hidden, mask);
        }
    }

    void reorder(NDManager call, DecoderCache cache, long[] rows) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            cache.reorder(Tensors.longs(call, rows, new Shape(rows.length)));
        }
    }

    int decoderStart() {
        return decoderStart;
    }

    int eos() {
        return eos;
    }

    int pad() {
        return pad;
    }

    /** First index of the maximum (torch.argmax's choice on ties). */
    static int argmax(float[] values, int offset, int length) {
        int best = 0;
        float max = values[offset];
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > max) {
                max = values[offset + i];
                best = i;
            }
        }
        return best;
    }

    private static NDArray keep(NDManager owner, NDArray array) {
        NDScope.unregister(array);
        array.attach(owner);
        return array;
    }
}
