package ai.vtc.optim;

/**
 * Hyper-parameters of {@link Soap}; the defaults are those of the reference implementation
 * (github.com/nikhilvyas/SOAP, {@code soap.py}).
 *
 * @param learningRate initial learning rate (a schedule usually overrides it every step)
 * @param beta1 decay of the first moment
 * @param beta2 decay of the second moment
 * @param shampooBeta decay of the preconditioner statistics; negative means "use beta2"
 * @param eps added to the square root of the (uncorrected) second moment
 * @param weightDecay decoupled weight decay coefficient, multiplied by the learning rate
 * @param preconditionFrequency the eigenbases are refreshed when the step count is a multiple of this
 * @param maxPrecondDim sides longer than this get no preconditioner (identity, plain Adam on that side)
 * @param mergeDims merge consecutive dimensions while their product stays within {@code maxPrecondDim}
 * @param precondition1d also precondition 1-D parameters (off: they get plain Adam)
 * @param normalizeGrads divide each update by its root mean square
 * @param correctBias Adam bias correction
 * @param decayRule which parameters are decayed ({@link WeightDecayRule#all()} is the reference's single group)
 */
public record SoapConfig(
        double learningRate,
        double beta1,
        double beta2,
        double shampooBeta,
        double eps,
        double weightDecay,
        int preconditionFrequency,
        int maxPrecondDim,
        boolean mergeDims,
        boolean precondition1d,
        boolean normalizeGrads,
        boolean correctBias,
        WeightDecayRule decayRule) {

    public SoapConfig {
        Checks.nonNegative("learningRate", learningRate);
        Checks.inUnitInterval("beta1", beta1);
        Checks.inUnitInterval("beta2", beta2);
        if (shampooBeta >= 1) {
            throw new IllegalArgumentException("shampooBeta must be < 1 (negative: use beta2), got " + shampooBeta);
        }
        Checks.nonNegative("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.positive("preconditionFrequency", preconditionFrequency);
        Checks.positive("maxPrecondDim", maxPrecondDim);
        if (decayRule == null) {
            throw new IllegalArgumentException("decayRule must not be null");
        }
    }

    /**
     * lr 3e-3, betas (0.95, 0.95), shampoo beta -1 (= beta2), eps 1e-8, weight decay 0.01, precondition frequency
     * 10, max precondition dim 10000, no dimension merging, no 1-D preconditioning, no gradient normalisation, bias
     * correction on, and {@link WeightDecayRule#standard()} (biases and norms are not decayed).
     */
    public static SoapConfig defaults() {
        return new SoapConfig(
                3e-3, 0.95, 0.95, -1, 1e-8, 0.01, 10, 10000, false, false, false, true, WeightDecayRule.standard());
    }

    /** The decay of the preconditioner statistics actually used. */
    public double effectiveShampooBeta() {
        return shampooBeta >= 0 ? shampooBeta : beta2;
    }

    public SoapConfig withLearningRate(double v) {
        return new SoapConfig(
                v,
                beta1,
                beta2,
                shampooBeta,
                eps,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withBetas(double b1, double b2) {
        return new SoapConfig(
                learningRate,
                b1,
                b2,
                shampooBeta,
                eps,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withShampooBeta(double v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                v,
                eps,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withEps(double v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                v,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withWeightDecay(double v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                eps,
                v,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withPreconditionFrequency(int v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                eps,
                weightDecay,
                v,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withMaxPrecondDim(int v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                eps,
                weightDecay,
                preconditionFrequency,
                v,
                mergeDims,
                precondition1d,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withMergeDims(boolean v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                eps,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                v,
                precondition1d,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withPrecondition1d(boolean v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                eps,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                v,
                normalizeGrads,
                correctBias,
                decayRule);
    }

    public SoapConfig withNormalizeGrads(boolean v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                eps,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                v,
                correctBias,
                decayRule);
    }

    public SoapConfig withCorrectBias(boolean v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                eps,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                normalizeGrads,
                v,
                decayRule);
    }

    public SoapConfig withDecayRule(WeightDecayRule v) {
        return new SoapConfig(
                learningRate,
                beta1,
                beta2,
                shampooBeta,
                eps,
                weightDecay,
                preconditionFrequency,
                maxPrecondDim,
                mergeDims,
                precondition1d,
                normalizeGrads,
                correctBias,
                v);
    }
}
