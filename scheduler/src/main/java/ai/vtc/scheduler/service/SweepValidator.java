package ai.vtc.scheduler.service;

import ai.vtc.contracts.InvalidSweepException;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.contracts.SafeYaml;
import ai.vtc.contracts.SpecProblem;
import ai.vtc.contracts.SweepExpansion;
import ai.vtc.contracts.SweepSpec;
import ai.vtc.contracts.SweepSpecs;
import ai.vtc.scheduler.config.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep YAML to its trials, or an {@link InvalidSweepException} with every problem: the document's own checks
 * (contracts), then the model (stages and budgets), the dataset subset and the configured size limit.
 */
@ApplicationScoped
public class SweepValidator {
    /** A valid sweep ready to store. */
    public record Resolved(
            String yaml, SweepSpec spec, String manifestSha256, ModelFacts model, List<SweepExpansion.Trial> trials) {}

    private final ModelCatalog catalog;
    private final SchedulerConfig config;
    private final SafeYaml.Limits limits;

    public SweepValidator(ModelCatalog catalog, SchedulerConfig config) {
        this.catalog = catalog;
        this.config = config;
        SchedulerConfig.Spec spec = config.spec();
        this.limits = new SafeYaml.Limits(spec.maxBytes(), spec.maxDepth(), spec.maxAliases(), spec.maxNodes());
    }

    public Resolved resolve(String yaml) {
        SweepSpecs.Parsed parsed = SweepSpecs.parse(yaml, limits);
        if (parsed.spec() == null) {
            throw new InvalidSweepException(parsed.problems());
        }
        List<SpecProblem> problems = new ArrayList<>(parsed.problems());
        SweepSpec spec = parsed.spec();
        ModelFacts facts = null;
        if (spec.model() != null) {
            ModelCatalog.Lookup<ModelFacts> model = catalog.model(spec.model());
            if (model.missing() != null) {
                problems.add(new SpecProblem("model", model.missing().message()));
            } else {
                SweepSpecs.checkModel(parsed, model.value(), problems);
                facts = model.value();
            }
        }
        String manifest = null;
        if (spec.dataset() != null
                && spec.dataset().name() != null
                && spec.dataset().subset() != null) {
            ModelCatalog.Lookup<String> subset =
                    catalog.subsetSha256(spec.dataset().name(), spec.dataset().subset());
            if (subset.missing() != null) {
                problems.add(new SpecProblem("dataset.subset", subset.missing().message()));
            }
            manifest = subset.value();
        }
        SweepSpecs.checkSize(parsed, config.maxTrialsPerSweep(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidSweepException(problems);
        }
        return new Resolved(yaml, spec, manifest, facts, SweepExpansion.expand(spec, manifest));
    }
}
