package ai.vtc.florence2.train;

import ai.vtc.contracts.TrialCost;
import ai.vtc.florence2.Florence2Flops;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.generate.GenerationListener;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.nn.Precision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What answering the evaluation questions cost ({@link TrialCost}, docs/architecture.md "Cost"): per batch, the wall
 * time of the prefill (vision tower, projection and language encoder with the compression; from the start of the
 * generate call until the encoder output is complete on the device) and of every cached decoder step (until its scores
 * are on the host), heard through a {@link GenerationListener}; medians over the full batches (a last, smaller batch
 * would be cheaper; when no batch is full, the one there is counts). The visual tokens are what the model really kept:
 * the encoder output's length less the prompt tokens. The analytic GFLOPs are {@link Florence2Flops} at the mean prompt
 * length of the questions answered (the tokenizer's mask: padding is not a prompt token).
 */
final class CostMeter {

    private final int batchSize;
    private final Timings full = new Timings();
    private final Timings partial = new Timings();
    private long promptTokens;
    private long questions;
    private int visualTokens = -1;

    /** @param batchSize questions per full batch */
    CostMeter(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Prefill and decoder-step times of some batches, in milliseconds. */
    private static final class Timings {
        final List<Double> prefillMs = new ArrayList<>();
        final List<Double> stepMs = new ArrayList<>();
        double visionTowerMs;
    }

    /**
     * The listener of one batch's generate call.
     *
     * @param promptLengths real prompt tokens per question (the tokenizer's mask summed)
     * @param paddedPromptTokens the prompt length the encoder ran on (the longest in the batch)
     */
    GenerationListener batch(long[] promptLengths, int paddedPromptTokens) {
        questions += promptLengths.length;
        promptTokens += Arrays.stream(promptLengths).sum();
        Timings timings = promptLengths.length == batchSize ? full : partial;
        return new GenerationListener() {
            private long last;

            @Override
            public void started() {
                last = System.nanoTime();
            }

            @Override
            public void encoded(EncoderOutput encoder) {
                timings.prefillMs.add(lap());
                visualTokens = Math.toIntExact(encoder.hidden().getShape().get(1) - paddedPromptTokens);
            }

            @Override
            public void stepped(int step) {
                timings.stepMs.add(lap());
            }

            private double lap() {
                long now = System.nanoTime();
                double ms = (now - last) / 1e6;
                last = now;
                return ms;
            }
        };
    }

    /**
     * The vision tower's time on one batch of {@code batchQuestions} images, for a trial whose prefill starts from stored
     * vision features (gpu-worker's shared features): added to that batch size's prefill times, so the cost is the
     * setting's, with or without sharing.
     */
    void visionTower(double ms, int batchQuestions) {
        (batchQuestions == batchSize ? full : partial).visionTowerMs = ms;
    }

    /**
     * The cost of the batches heard so far, or null when none ran.
     *
     * @param imageSide the image side the model ran on (the processor's, or downsample's)
     * @param stage the compression's stage (0 when it has none)
     */
    TrialCost cost(Florence2Model model, int imageSide, int stage, Precision precision) {
        if (visualTokens < 0) {
            return null;
        }
        double meanPrompt = (double) promptTokens / questions;
        Florence2Flops.Cost flops = Florence2Flops.of(model.config(), imageSide, meanPrompt, stage, visualTokens - 1);
        Timings measured = full.prefillMs.isEmpty() ? partial : full;
        int measuredBatchSize = measured == full ? batchSize : Math.toIntExact(questions);
        return new TrialCost(
                visualTokens,
                meanPrompt,
                new TrialCost.Gflops(
                        flops.vision(),
                        flops.encoder(),
                        flops.crossAttentionKeysValues(),
                        flops.decoderPerToken(),
                        flops.prefill()),
                new TrialCost.Latency(
                        median(measured.prefillMs) + measured.visionTowerMs,
                        median(measured.stepMs),
                        measuredBatchSize,
                        measured.prefillMs.size(),
                        model.device().toString(),
                        precision.id()));
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
