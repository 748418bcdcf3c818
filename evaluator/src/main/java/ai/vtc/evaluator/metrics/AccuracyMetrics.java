package ai.vtc.evaluator.metrics;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.contracts.MetricNames;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.evaluator.config.EvaluatorConfig;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.evaluator.persistence.EvaluationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The accuracy (or, for DocVQA trials, ANLS: {@link MetricNames#forMetric}) and cost gauges for Prometheus. A series is identified by the sweep and the trial's grid coordinates
 * (training, mode, factor, keep, dominant, image_size, stage, sorted, seed), which identify one trial within a sweep,
 * plus the answer type: the number of series per sweep is bounded by its grid size times 4 (accuracy, its difference
 * to the reference) or 1 (interval bounds, visual tokens, GFLOPs, latencies), whatever the number of sweeps' trials
 * elsewhere. Trial ids appear
 * only on {@code vqa_trial_info} (value 1), and only for sweeps with at most
 * {@link EvaluatorConfig#trialLabelLimit()} evaluated trials; a larger sweep's info series are removed.
 */
@ApplicationScoped
public class AccuracyMetrics {
    private final MeterRegistry registry;
    private final EvaluatorConfig config;
    private final Map<SeriesKey, AtomicReference<Double>> values = new ConcurrentHashMap<>();
    /** Per sweep: its evaluated trials (coordinates, accuracies, comparison), so references are found by trial id. */
    private final Map<String, Map<String, EvaluationEntity>> sweeps = new ConcurrentHashMap<>();

    private final Timer duration;

    public AccuracyMetrics(MeterRegistry registry, EvaluatorConfig config) {
        this.registry = registry;
        this.config = config;
        this.duration = Timer.builder(MetricNames.VQA_EVALUATION_DURATION).register(registry);
        for (EvaluationStatus status : EvaluationStatus.values()) {
            outcome(status);
        }
    }

    private Counter outcome(EvaluationStatus status) {
        return Counter.builder(MetricNames.VQA_EVALUATIONS)
                .tag(MetricNames.TAG_OUTCOME, status.label())
                .register(registry);
    }

    public void evaluated(EvaluationEntity e, Duration took) {
        outcome(e.status).increment();
        duration.record(took);
        if (e.isCompleted()) {
            show(e);
        }
    }

    /**
     * Registers the gauges of a completed evaluation, or brings them up to date when its comparison changed (also used
     * to restore them from the database at start).
     */
    public synchronized void show(EvaluationEntity e) {
        Map<String, EvaluationEntity> sweep = sweeps.computeIfAbsent(e.sweepId, k -> new LinkedHashMap<>());
        sweep.put(e.trialId, e);
        set(named(MetricNames.VQA_ACCURACY, e), e, MetricNames.ALL_ANSWER_TYPES, e.overall);
        for (Map.Entry<String, Double> type : perAnswerType(e).entrySet()) {
            set(named(MetricNames.VQA_ACCURACY, e), e, type.getKey(), type.getValue());
        }
        set(named(MetricNames.VQA_ACCURACY_LOWER, e), e, MetricNames.ALL_ANSWER_TYPES, e.accuracyLower);
        set(named(MetricNames.VQA_ACCURACY_UPPER, e), e, MetricNames.ALL_ANSWER_TYPES, e.accuracyUpper);
        set(MetricNames.VQA_VISUAL_TOKENS, e, MetricNames.ALL_ANSWER_TYPES, (double) e.visualTokens);
        if (e.cost != null) {
            set(MetricNames.VQA_PREFILL_GFLOPS, e, MetricNames.ALL_ANSWER_TYPES, e.cost.gflopsPrefill);
            set(MetricNames.VQA_PREFILL_LATENCY_MS, e, MetricNames.ALL_ANSWER_TYPES, e.cost.prefillMs);
            set(MetricNames.VQA_DECODE_STEP_MS, e, MetricNames.ALL_ANSWER_TYPES, e.cost.decodeStepMs);
        }
        for (EvaluationEntity member : sweep.values()) {
            delta(sweep, member);
        }
        trialInfo(e.sweepId, sweep);
    }

    /**
     * The difference to the trial's reference (its paired difference and interval overall; the difference of the
     * per-type accuracies per answer type), once the reference is known.
     */
    private void delta(Map<String, EvaluationEntity> sweep, EvaluationEntity e) {
        ReferenceComparison comparison = e.referenceComparison();
        if (comparison == null) {
            remove(named(MetricNames.VQA_ACCURACY_DELTA, e), e);
            remove(named(MetricNames.VQA_ACCURACY_DELTA_LOWER, e), e);
            remove(named(MetricNames.VQA_ACCURACY_DELTA_UPPER, e), e);
            return;
        }
        set(named(MetricNames.VQA_ACCURACY_DELTA, e), e, MetricNames.ALL_ANSWER_TYPES, comparison.difference());
        set(named(MetricNames.VQA_ACCURACY_DELTA_LOWER, e), e, MetricNames.ALL_ANSWER_TYPES, comparison.lower());
        set(named(MetricNames.VQA_ACCURACY_DELTA_UPPER, e), e, MetricNames.ALL_ANSWER_TYPES, comparison.upper());
        EvaluationEntity reference = sweep.get(comparison.referenceTrialId());
        if (reference == null) {
            return;
        }
        Map<String, Double> base = perAnswerType(reference);
        for (Map.Entry<String, Double> type : perAnswerType(e).entrySet()) {
            Double b = base.get(type.getKey());
            if (b != null) {
                set(named(MetricNames.VQA_ACCURACY_DELTA, e), e, type.getKey(), type.getValue() - b);
            }
        }
    }

    /** The series name of an accuracy gauge for the trial's metric ({@code vqa.anls*} for DocVQA trials). */
    private static String named(String accuracyName, EvaluationEntity e) {
        return MetricNames.forMetric(accuracyName, e.metricName());
    }

    /** Removes every series of {@code name} of the trial (all answer types). */
    private void remove(String name, EvaluationEntity e) {
        Tags trial = tags(e, MetricNames.ALL_ANSWER_TYPES);
        values.keySet().removeIf(key -> {
            boolean match = key.name().equals(name) && sameTrial(key.tags(), trial);
            if (match) {
                registry.find(name).tags(key.tags()).meters().forEach(registry::remove);
            }
            return match;
        });
    }

    private static boolean sameTrial(Tags a, Tags b) {
        return a.stream()
                .filter(t -> !t.getKey().equals(MetricNames.TAG_ANSWER_TYPE))
                .toList()
                .equals(b.stream()
                        .filter(t -> !t.getKey().equals(MetricNames.TAG_ANSWER_TYPE))
                        .toList());
    }

    private void trialInfo(String sweepId, Map<String, EvaluationEntity> sweep) {
        boolean small = sweep.size() <= config.trialLabelLimit();
        for (EvaluationEntity e : sweep.values()) {
            Tags tags = tags(e, MetricNames.ALL_ANSWER_TYPES).and(MetricNames.TAG_TRIAL, e.trialId);
            SeriesKey key = new SeriesKey(MetricNames.VQA_TRIAL_INFO, tags);
            if (small) {
                set(key, 1.0);
            } else if (values.remove(key) != null) {
                registry.find(MetricNames.VQA_TRIAL_INFO).tags(tags).meters().forEach(registry::remove);
            }
        }
    }

    private void set(String name, EvaluationEntity e, String answerType, Double value) {
        if (value != null) {
            set(new SeriesKey(name, tags(e, answerType)), value);
        }
    }

    private void set(SeriesKey key, double value) {
        values.computeIfAbsent(key, k -> {
                    AtomicReference<Double> holder = new AtomicReference<>(value);
                    registry.gauge(k.name(), k.tags(), holder, AtomicReference::get);
                    return holder;
                })
                .set(value);
    }

    /** The trial within its sweep (training and every compression parameter, "-" where a method takes none). */
    private static Tags tags(EvaluationEntity e, String answerType) {
        return Tags.of(
                        MetricNames.TAG_SWEEP,
                        e.sweepId,
                        MetricNames.TAG_TRAINING,
                        e.training().id(),
                        MetricNames.TAG_MODE,
                        e.mode,
                        MetricNames.TAG_FACTOR,
                        label(e.factor),
                        MetricNames.TAG_KEEP,
                        label(e.keep),
                        MetricNames.TAG_DOMINANT,
                        label(e.dominant),
                        MetricNames.TAG_IMAGE_SIZE,
                        label(e.imageSize))
                .and(
                        MetricNames.TAG_STAGE,
                        label(e.stage),
                        MetricNames.TAG_SORTED,
                        label(e.sorted),
                        MetricNames.TAG_SEED,
                        Long.toString(e.seed),
                        MetricNames.TAG_ANSWER_TYPE,
                        answerType);
    }

    private static String label(Object value) {
        return value == null ? "-" : value.toString();
    }

    static Map<String, Double> perAnswerType(EvaluationEntity e) {
        return e.perAnswerType == null ? Map.of() : AccuracyByType.read(e.perAnswerType);
    }

    private record SeriesKey(String name, Tags tags) {
        SeriesKey {
            Objects.requireNonNull(name);
        }
    }

    /** For tests: the sweeps whose gauges are registered. */
    public List<String> sweeps() {
        return new ArrayList<>(new HashMap<>(sweeps).keySet());
    }
}
