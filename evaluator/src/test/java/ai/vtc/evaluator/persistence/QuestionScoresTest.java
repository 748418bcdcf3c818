package ai.vtc.evaluator.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuestionScoresTest {
    @Test
    void storedScoresReadBackByAscendingQuestionId() {
        QuestionScores scores =
                QuestionScores.of(new long[] {30, 10, 20_000_000_001L}, new double[] {90, 0, 100.0 / 3});
        QuestionScores read = QuestionScores.decode(scores.encode());
        assertEquals(3, read.size());
        assertArrayEquals(new double[] {0, 90, 100.0 / 3}, read.accuracies());
    }

    @Test
    void aSplitOfVqaV2IsCompact() {
        int n = 214_354;
        long[] ids = new long[n];
        double[] accuracies = new double[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 262_148_000L + 3L * i;
            accuracies[i] = (i % 4) * 30;
        }
        byte[] encoded = QuestionScores.of(ids, accuracies).encode();
        assertTrue(encoded.length < n, "under a byte per question: " + encoded.length);
        assertArrayEquals(accuracies, QuestionScores.decode(encoded).accuracies());
    }

    @Test
    void pairingKeepsTheQuestionsBothAnswered() {
        QuestionScores a = QuestionScores.of(new long[] {1, 2, 4, 5}, new double[] {10, 20, 40, 50});
        QuestionScores b = QuestionScores.of(new long[] {5, 3, 2}, new double[] {55, 33, 22});
        QuestionScores.Paired paired = a.pairedWith(b);
        assertEquals(2, paired.questions());
        assertArrayEquals(new double[] {20, 50}, paired.first());
        assertArrayEquals(new double[] {22, 55}, paired.second());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> QuestionScores.of(new long[] {1, 1}, new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> QuestionScores.of(new long[] {1}, new double[] {0, 0}));
        IllegalArgumentException garbage =
                assertThrows(IllegalArgumentException.class, () -> QuestionScores.decode(new byte[] {1, 2, 3}));
        assertTrue(garbage.getMessage().contains("unreadable"), garbage.getMessage());
    }
}
