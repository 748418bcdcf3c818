package ai.vtc.florence2.generate;

import ai.djl.ndarray.NDManager;
import ai.vtc.florence2.language.DecoderCache;
import ai.vtc.florence2.language.EncoderOutput;
import java.util.Arrays;

/**
 * Beam search as Hugging Face's {@code _beam_search} with {@code BeamSearchScorer} (transformers >= 4.38 length
 * accounting): per step, log-softmax + processors + running beam score, the top 2K candidates over K*V, finished
 * (eos) candidates ranked below K are dropped, others become hypotheses scored by sum / generated_len^penalty; the
 * first K non-eos candidates continue. Letters: B batch, K beams, V vocabulary.
 */
final class BeamSearch {

    private final Generator generator;
    private final GenerationSettings settings;
    private final int beams;
    private final GenerationListener listener;

    /** @param listener hears each step's end, or null */
    BeamSearch(Generator generator, GenerationSettings settings, GenerationListener listener) {
        this.generator = generator;
        this.settings = settings;
        this.beams = settings.numBeams();
        this.listener = listener;
    }

    long[][] run(NDManager call, EncoderOutput encoder, DecoderCache cache, int batch) {
        int k = beams;
        int rows = batch * k;
        EncoderOutput expanded = generator.expand(call, encoder, k);
        LogitsProcessors processors = new LogitsProcessors(settings);
        BeamHypotheses[] hyps = new BeamHypotheses[batch];
        boolean[] done = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            hyps[b] = new BeamHypotheses(k, settings.lengthPenalty(), settings.earlyStopping());
        }
        long[][] sequences = new long[rows][settings.maxLength()];
        float[] beamScores = new float[rows];
        for (int r = 0; r < rows; r++) {
            sequences[r][0] = generator.decoderStart();
            beamScores[r] = r % k == 0 ? 0f : -1e9f;
        }
        long[] next = new long[rows];
        Arrays.fill(next, generator.decoderStart());
        int length = 1;
        while (true) {
            float[] scores = generator.stepLogProbs(call, next, expanded, cache); // [B*K * V]
            if (listener != null) {
                listener.stepped(length);
            }
            int vocab = scores.length / rows;
            for (int r = 0; r < rows; r++) {
                processors.apply(sequences[r], length, scores, r * vocab, vocab);
                for (int v = 0; v < vocab; v++) {
                    scores[r * vocab + v] += beamScores[r];
                }
            }
            long[] nextTokens = new long[rows];
            int[] sourceRows = new int[rows];
            float[] nextScores = new float[rows];
            for (int b = 0; b < batch; b++) {
                selectBeams(b, scores, vocab, length, sequences, hyps[b], done, nextTokens, sourceRows, nextScores);
            }
            long[][] reordered = new long[rows][];
            long[] sourceIndex = new long[rows];
            for (int r = 0; r < rows; r++) {
                reordered[r] = sequences[sourceRows[r]].clone();
                reordered[r][length] = nextTokens[r];
                sourceIndex[r] = sourceRows[r];
            }
            sequences = reordered;
            beamScores = nextScores;
            next = nextTokens;
            length++;
            boolean allDone = true;
            for (boolean d : done) {
                allDone &= d;
            }
            if (allDone || length >= settings.maxLength()) {
                break;
            }
            generator.reorder(call, cache, sourceIndex);
        }
        return finish(batch, sequences, beamScores, hyps, done, length);
    }

    /** HF's {@code BeamSearchScorer.process} for one sample. */
    private void selectBeams(
            int b,
            float[] scores,
            int vocab,
            int length,
            long[][] sequences,
            BeamHypotheses hyp,
            boolean[] done,
            long[] nextTokens,
            int[] sourceRows,
            float[] nextScores) {
        int k = beams;
        if (done[b]) {
            for (int j = 0; j < k; j++) {
                nextTokens[b * k + j] = generator.pad();
                sourceRows[b * k + j] = b * k + j;
                nextScores[b * k + j] = 0f;
            }
            return;
        }
        int[] top = topK(scores, b * k * vocab, k * vocab, 2 * k);
        int curLen = length + 1; // HF: input_ids.shape[-1] + 1, the length the scores were computed for
        int chosen = 0;
        for (int rank = 0; rank < top.length && chosen < k; rank++) {
            int beam = top[rank] / vocab;
            int token = top[rank] % vocab;
            int row = b * k + beam;
            float score = scores[b * k * vocab + top[rank]];
            if (token == generator.eos()) {
                if (rank >= k) {
                    continue;
                }
                hyp.add(Arrays.copyOf(sequences[row], length), score, curLen - 1);
            } else {
                nextTokens[b * k + chosen] = token;
                sourceRows[b * k + chosen] = row;
                nextScores[b * k + chosen] = score;
                chosen++;
            }
        }
        float best = scores[b * k * vocab + top[0]];
        done[b] = done[b] || hyp.isDone(best, curLen - 1);
    }

    /** HF's {@code BeamSearchScorer.finalize}: unfinished beams become hypotheses, the best one wins, eos appended. */
    private long[][] finish(
            int batch, long[][] sequences, float[] beamScores, BeamHypotheses[] hyps, boolean[] done, int length) {
        int k = beams;
        long[][] best = new long[batch][];
        int longest = 0;
        for (int b = 0; b < batch; b++) {
            if (!done[b]) {
                for (int j = 0; j < k; j++) {
                    int row = b * k + j;
                    hyps[b].add(Arrays.copyOf(sequences[row], length), beamScores[row], length - 1);
                }
            }
            best[b] = hyps[b].best().tokens();
            longest = Math.max(longest, best[b].length);
        }
        int width = Math.min(longest + 1, settings.maxLength());
        long[][] out = new long[batch][width];
        for (int b = 0; b < batch; b++) {
            Arrays.fill(out[b], generator.pad());
            System.arraycopy(best[b], 0, out[b], 0, best[b].length);
            if (best[b].length < width) {
                out[b][best[b].length] = generator.eos();
            }
        }
        return out;
    }

    /** Indices of the {@code count} largest values in values[offset, offset+length), descending, lower index first. */
    static int[] topK(float[] values, int offset, int length, int count) {
        int n = Math.min(count, length);
        int[] idx = new int[n];
        float[] val = new float[n];
        int size = 0;
        for (int i = 0; i < length; i++) {
            float v = values[offset + i];
            if (size == n && !(v > val[n - 1])) {
                continue;
            }
            int pos = size == n ? n - 1 : size++;
            while (pos > 0 && v > val[pos - 1]) {
                val[pos] = val[pos - 1];
                idx[pos] = idx[pos - 1];
                pos--;
            }
            val[pos] = v;
            idx[pos] = i;
        }
        return idx;
    }
}
