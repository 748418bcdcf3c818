package ai.vtc.scheduler.service;

import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.InvalidSweepException;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.contracts.SafeYaml;
import ai.vtc.contracts.SpecBounds;
import ai.vtc.contracts.SpecProblem;
import ai.vtc.contracts.SweepExpansion;
import ai.vtc.contracts.SweepSpec;
import ai.vtc.contracts.SweepSpecs;
import ai.vtc.contracts.Training;
import ai.vtc.scheduler.config.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep YAML to its trials, or an {@link InvalidSweepException} with every problem: the document's own checks
 * (contracts), then the model (stages and budgets), the dataset subset and the configured size limit.
 */
@ApplicationScoped
public class SweepValidator {
    private static final String TRAIN_SPLIT = "train";

    /** A valid sweep ready to store. */
    public record Resolved(
            String yaml, SweepSpec spec, String manifestSha256, ModelFacts model, List<SweepExpansion.Trial> trials) {}

    private final ModelCatalog catalog;
    private final SchedulerConfig config;
    private final SafeYaml.Limits limits;
    private final SpecBounds bounds;

    public SweepValidator(ModelCatalog catalog, SchedulerConfig config) {
        this.catalog = catalog;
        this.config = config;
        SchedulerConfig.Spec spec = config.spec();
        this.limits = new SafeYaml.Limits(spec.maxBytes(), spec.maxDepth(), spec.maxAliases(), spec.maxNodes());
        this.bounds = new SpecBounds(
                spec.maxBatchSize(),
                spec.maxBeams(),
                spec.maxSteps(),
                spec.maxEpochs(),
                spec.maxNewTokens(),
                spec.maxPromptChars());
    }

    /**
     * The training subset must hold the questions the sweep uses from it: the train split when a trial fine-tunes, the
     * eval split when no eval_subset gives the evaluation questions (a sweep without them would be accepted and every
     * trial would then fail on a worker).
     */
    private static void checkSplits(SweepSpec spec, ModelCatalog.SubsetFacts subset, List<SpecProblem> problems) {
        DatasetRef dataset = spec.dataset();
        boolean fineTunes = spec.train() != null
                && spec.grid() != null
                && spec.grid().stream()
                        .anyMatch(b -> b.training() == null || b.training().contains(Training.FINE_TUNE.id()));
        if (fineTunes && !subset.splits().contains(TRAIN_SPLIT)) {
            problems.add(new SpecProblem(
                    "dataset.subset",
                    "subset '" + dataset.subset() + "' has no questions of the train split, which fine-tuned trials"
                            + " train on (it has " + subset.splits() + ")"));
        }
        if (dataset.evalSubset() == null && !subset.splits().contains(dataset.evalSplit())) {
            problems.add(new SpecProblem(
                    "dataset.eval_split",
                    "subset '" + dataset.subset() + "' has no questions of the eval split '" + dataset.evalSplit()
                            + "' (it has " + subset.splits() + "); name another eval_split or an eval_subset"));
        }
    }

    /** The document as it arrived: bytes that must be UTF-8 ({@link SweepSpecs#parse(byte[], SafeYaml.Limits, SpecBounds)}). */
    public Resolved resolve(byte[] document) {
        SweepSpecs.Parsed parsed = SweepSpecs.parse(document, limits, bounds);
        if (parsed.spec() == null) {
            throw new InvalidSweepException(parsed.problems());
        }
        String yaml = new String(document, StandardCharsets.UTF_8); // strictly decoded above
        List<SpecProblem> problems = new ArrayList<>(parsed.problems());
        SweepSpec spec = parsed.spec();
        ModelFacts facts = null;
        String modelManifest = null;
        if (spec.model() != null) {
            ModelCatalog.Lookup<ModelFacts> model = catalog.model(spec.model());
            if (model.missing() != null) {
                problems.add(new SpecProblem("model", model.missing().message()));
            } else {
                SweepSpecs.checkModel(parsed, model.value(), problems);
                facts = model.value();
                modelManifest = catalog.manifestSha256(spec.model()).orElse(null);
            }
        }
        String manifest = null;
        String evalManifest = null;
        DatasetRef dataset = spec.dataset();
        if (dataset != null && dataset.name() != null && dataset.subset() != null) {
            ModelCatalog.Lookup<ModelCatalog.SubsetFacts> subset = catalog.subset(dataset.name(), dataset.subset());
            if (subset.missing() != null) {
                problems.add(new SpecProblem("dataset.subset", subset.missing().message()));
            } else {
                manifest = subset.value().sha256();
                checkSplits(spec, subset.value(), problems);
            }
            if (dataset.evalSubset() != null) {
                ModelCatalog.Lookup<ModelCatalog.SubsetFacts> eval =
                        catalog.subset(dataset.name(), dataset.evalSubset());
                if (eval.missing() != null) {
                    problems.add(new SpecProblem(
                            "dataset.eval_subset", eval.missing().message()));
                } else if (!eval.value().splits().contains(dataset.evalSplit())) {
                    problems.add(new SpecProblem(
                            "dataset.eval_subset",
                            "subset '" + dataset.evalSubset() + "' has no questions of the eval split '"
                                    + dataset.evalSplit() + "' (it has "
                                    + eval.value().splits() + ")"));
                } else {
                    evalManifest = eval.value().sha256();
                }
            }
        }
        SweepSpecs.checkSize(parsed, config.maxTrialsPerSweep(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidSweepException(problems);
        }
        return new Resolved(
                yaml, spec, manifest, facts, SweepExpansion.expand(spec, manifest, evalManifest, modelManifest));
    }
}
