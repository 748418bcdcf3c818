package ai.vtc.cli;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.contracts.SafeYaml;
import ai.vtc.contracts.SpecBounds;
import ai.vtc.contracts.SpecProblem;
import ai.vtc.contracts.SweepExpansion;
import ai.vtc.contracts.SweepSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check a sweep YAML offline: everything the document tells and, with --model-dir, the budgets "
                + "and stages the model can take (the dataset subset and the size limit only the scheduler knows).")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.yaml")
    Path file;

    @Option(
            names = "--model-dir",
            paramLabel = "DIR",
            description = "a model folder (config.json, and preprocessor_config.json for the image size) to check "
                    + "stages, factors, keep and image sizes against, as the scheduler does")
    Path modelDir;

    @Override
    public Integer call() throws Exception {
        // the scheduler's entry point, with its default limits: the same problems with the same paths as POST /sweeps
        SweepSpecs.Parsed parsed =
                SweepSpecs.parse(Files.readAllBytes(file), SafeYaml.Limits.DEFAULT, SpecBounds.DEFAULT);
        List<SpecProblem> problems = new ArrayList<>(parsed.problems());
        if (modelDir != null) {
            SweepSpecs.checkModel(parsed, modelFacts(modelDir), problems);
        }
        if (!problems.isEmpty()) {
            var err = spec.commandLine().getErr();
            err.println("sweep: " + file + " has " + problems.size() + " problem(s):");
            for (SpecProblem p : problems) {
                err.println("  " + p);
            }
            err.flush();
            return 1;
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "%s is valid: sweep '%s' expands to %d trials%n",
                        file, parsed.spec().name(), SweepExpansion.count(parsed.spec()));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static ModelFacts modelFacts(Path dir) {
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new UserError("--model-dir " + dir + " has no config.json (a Hugging Face model folder is expected)");
        }
        Path preprocessor = dir.resolve("preprocessor_config.json");
        try {
            return ModelFacts.fromHuggingFace(
                    readJson(config), Files.isRegularFile(preprocessor) ? readJson(preprocessor) : null);
        } catch (IllegalArgumentException e) {
            throw new UserError("--model-dir " + dir + ": " + e.getMessage());
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
    }
}
