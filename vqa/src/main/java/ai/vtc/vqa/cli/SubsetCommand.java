package ai.vtc.vqa.cli;

import ai.vtc.contracts.SubsetManifest;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.subset.Selection;
import ai.vtc.vqa.subset.SubsetSize;
import ai.vtc.vqa.subset.Subsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "subset",
        mixinStandardHelpOptions = true,
        description =
                "Writes nested subset manifests (<out>/<name>.json): 1%% of a split is inside its 5%%, for one seed.")
final class SubsetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--split",
            required = true,
            description = "split=questions file, e.g. val=v2_OpenEnded_mscoco_val2014_questions.json (repeatable)")
    Map<String, Path> splits = new LinkedHashMap<>();

    @Option(names = "--dataset", required = true, description = "dataset name recorded in the manifests")
    String dataset;

    @Option(names = "--seed", defaultValue = "0", description = "permutation seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "1%,5%,10%",
            description = "fractions (0.01 or 1%%) or counts (500), default 1%%,5%%,10%%")
    List<String> sizes;

    @Option(
            names = "--by",
            defaultValue = "QUESTION",
            description = "QUESTION (sample questions) or IMAGE (whole images) (default: ${DEFAULT-VALUE})")
    Selection by;

    @Option(names = "--out", required = true, description = "folder the manifests are written to")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, VqaQuestions> questions = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : splits.entrySet()) {
            questions.put(e.getKey(), VqaQuestions.read(e.getValue()));
        }
        List<SubsetSize> parsed = new ArrayList<>();
        sizes.forEach(s -> parsed.add(SubsetSize.parse(s)));
        Files.createDirectories(out);
        for (SubsetManifest m : Subsets.nested(dataset, seed, by, questions, parsed)) {
            Path file = out.resolve(m.name() + ".json");
            m.write(file);
            spec.commandLine().getOut().println(file + " " + describe(m));
        }
        return 0;
    }

    /** {@code 10pct of synth: train=24 val=6, sha256=...}. */
    private static String describe(SubsetManifest m) {
        StringBuilder sizes = new StringBuilder();
        m.questionIds()
                .forEach((split, ids) ->
                        sizes.append(' ').append(split).append('=').append(ids.size()));
        return m.name() + " of " + m.dataset() + ":" + sizes + ", sha256=" + m.sha256();
    }
}
