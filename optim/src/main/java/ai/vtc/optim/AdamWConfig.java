package ai.vtc.optim;

/**
 * Hyper-parameters of {@link AdamW}; the defaults are those of {@code torch.optim.AdamW}.
 *
 * @param learningRate initial learning rate (a schedule usually overrides it every step)
 * @param beta1 decay of the first moment
 * @param beta2 decay of the second moment
 * @param eps added to the bias-corrected square root of the second moment
 * @param weightDecay decoupled weight decay coefficient, multiplied by the learning rate
 * @param decayRule which parameters are decayed
 */
public record AdamWConfig(
        double learningRate, double beta1, double beta2, double eps, double weightDecay, WeightDecayRule decayRule) {

    public AdamWConfig {
        Checks.nonNegative("learningRate", learningRate);
        Checks.inUnitInterval("beta1", beta1);
        Checks.inUnitInterval("beta2", beta2);
        Checks.nonNegative("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
        if (decayRule == null) {
            throw new IllegalArgumentException("decayRule must not be null");
        }
    }

    /** lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01, {@link WeightDecayRule#standard()}. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, WeightDecayRule.standard());
    }

    public AdamWConfig withLearningRate(double value) {
        return new AdamWConfig(value, beta1, beta2, eps, weightDecay, decayRule);
    }

    public AdamWConfig withBetas(double b1, double b2) {
        return new AdamWConfig(learningRate, b1, b2, eps, weightDecay, decayRule);
    }

    public AdamWConfig withEps(double value) {
        return new AdamWConfig(learningRate, beta1, beta2, value, weightDecay, decayRule);
    }

    public AdamWConfig withWeightDecay(double value) {
        return new AdamWConfig(learningRate, beta1, beta2, eps, value, decayRule);
    }

    public AdamWConfig withDecayRule(WeightDecayRule value) {
        return new AdamWConfig(learningRate, beta1, beta2, eps, weightDecay, value);
    }
}
