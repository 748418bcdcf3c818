package ai.vtc.evaluator.persistence;

import ai.vtc.contracts.ReferenceComparison;
import jakarta.persistence.Embeddable;

/**
 * A trial's {@link ReferenceComparison} as columns of its evaluation: all null while it has no reference. A
 * trial's scores never change once stored, so a comparison with the same reference never needs computing again.
 */
@Embeddable
public class ComparisonColumns {
    public String referenceTrialId;
    /** Accuracy minus the reference's over the paired questions, in points. */
    public Double pairedDifference;

    public Double pairedLower;
    public Double pairedUpper;
    /** The paired interval excludes zero. */
    public Boolean pairedSignificant;
    /** Questions both trials answered. */
    public Integer pairedQuestions;

    public static ComparisonColumns of(ReferenceComparison c) {
        if (c == null) {
            return null;
        }
        ComparisonColumns columns = new ComparisonColumns();
        columns.referenceTrialId = c.referenceTrialId();
        columns.pairedDifference = c.difference();
        columns.pairedLower = c.lower();
        columns.pairedUpper = c.upper();
        columns.pairedSignificant = c.significant();
        columns.pairedQuestions = c.questions();
        return columns;
    }

    /** The comparison, or null when a column is missing. */
    public ReferenceComparison toComparison() {
        if (referenceTrialId == null
                || pairedDifference == null
                || pairedLower == null
                || pairedUpper == null
                || pairedSignificant == null
                || pairedQuestions == null) {
            return null;
        }
        return new ReferenceComparison(
                referenceTrialId, pairedDifference, pairedLower, pairedUpper, pairedSignificant, pairedQuestions);
    }
}
