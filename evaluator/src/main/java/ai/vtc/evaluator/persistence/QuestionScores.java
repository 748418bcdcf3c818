package ai.vtc.evaluator.persistence;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * One trial's VQA accuracy per question (percent: 0, 30, 60, 90 or 100 for VQAv2), by ascending question id, the input
 * of its bootstrap interval and of the paired comparison with its reference. Stored as one compact value per trial
 * ({@link #encode()}): a format version, the count, the question ids as differences to the previous id, then the
 * accuracies, all deflated, because a VQAv2 split has 214,354 questions and a sweep thousands of trials.
 */
public final class QuestionScores {
    private static final int FORMAT = 1;

    private final long[] questionIds;
    private final double[] accuracies;

    private QuestionScores(long[] questionIds, double[] accuracies) {
        this.questionIds = questionIds;
        this.accuracies = accuracies;
    }

    /**
     * The scores of {@code questionIds[i]} = {@code accuracies[i]}, in any order.
     *
     * @throws IllegalArgumentException when the arrays differ in length or a question id repeats
     */
    public static QuestionScores of(long[] questionIds, double[] accuracies) {
        if (questionIds.length != accuracies.length) {
            throw new IllegalArgumentException(
                    questionIds.length + " question ids but " + accuracies.length + " accuracies");
        }
        Integer[] order = new Integer[questionIds.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Long.compare(questionIds[a], questionIds[b]));
        long[] ids = new long[order.length];
        double[] values = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            ids[k] = questionIds[order[k]];
            values[k] = accuracies[order[k]];
            if (k > 0 && ids[k] == ids[k - 1]) {
                throw new IllegalArgumentException("question " + ids[k] + " is scored twice");
            }
        }
        return new QuestionScores(ids, values);
    }

    public int size() {
        return questionIds.length;
    }

    /** The accuracies by ascending question id (a copy). */
    public double[] accuracies() {
        return accuracies.clone();
    }

    /**
     * The accuracies of this trial and of {@code other} on the questions both answered, in the same order: what a
     * paired comparison resamples.
     */
    public Paired pairedWith(QuestionScores other) {
        double[] mine = new double[Math.min(size(), other.size())];
        double[] theirs = new double[mine.length];
        int n = 0;
        for (int i = 0, j = 0; i < size() && j < other.size(); ) {
            long a = questionIds[i];
            long b = other.questionIds[j];
            if (a == b) {
                mine[n] = accuracies[i++];
                theirs[n++] = other.accuracies[j++];
            } else if (a < b) {
                i++;
            } else {
                j++;
            }
        }
        return new Paired(Arrays.copyOf(mine, n), Arrays.copyOf(theirs, n));
    }

    /** Two trials' accuracies on their common questions: {@code first[i]} and {@code second[i]} are one question. */
    public record Paired(double[] first, double[] second) {
        public int questions() {
            return first.length;
        }
    }

    /** The stored form (see the class comment). */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeInt(FORMAT);
            out.writeInt(size());
            long previous = 0;
            for (long id : questionIds) {
                out.writeLong(id - previous);
                previous = id;
            }
            for (double a : accuracies) {
                out.writeDouble(a);
            }
        } catch (IOException e) { // a byte array does not fail
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The scores {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException when {@code encoded} is not such a value
     */
    public static QuestionScores decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(encoded)))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("stored question scores have format " + format + ", not " + FORMAT);
            }
            int n = in.readInt();
            long[] ids = new long[n];
            double[] values = new double[n];
            long previous = 0;
            for (int i = 0; i < n; i++) {
                previous += in.readLong();
                ids[i] = previous;
            }
            for (int i = 0; i < n; i++) {
                values[i] = in.readDouble();
            }
            return new QuestionScores(ids, values);
        } catch (IOException e) {
            throw new IllegalArgumentException("stored question scores are unreadable: " + e.getMessage(), e);
        }
    }
}
