package ai.vtc.evaluator.persistence;

import jakarta.persistence.EnumeratedValue;

/**
 * How a trial's evaluation ended: stored in {@code evaluation.status}, shown in the results and counted as the
 * {@code outcome} tag of {@code vqa.evaluations}, always as its {@link #label()}.
 */
public enum EvaluationStatus {
    /** The official accuracy was computed. */
    COMPLETED("completed"),
    /** It could not be (the reason says why). */
    FAILED("failed");

    @EnumeratedValue
    private final String label;

    EvaluationStatus(String label) {
        this.label = label;
    }

    /** The stored, shown and tagged spelling. */
    public String label() {
        return label;
    }
}
