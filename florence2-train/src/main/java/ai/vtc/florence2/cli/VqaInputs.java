package ai.vtc.florence2.cli;

import ai.vtc.contracts.DatasetTask;
import ai.vtc.florence2.io.ModelFolder;
import ai.vtc.florence2.train.DocVqaData;
import ai.vtc.florence2.train.VqaData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks of the folders the train and evaluate commands read, with messages that say what is wrong. */
final class VqaInputs {

    private VqaInputs() {}

    static void requireModel(Path model) {
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("--model " + model + ": no such folder");
        }
        if (!Files.isRegularFile(model.resolve(ModelFolder.CONFIG))) {
            throw new IllegalArgumentException("--model " + model + ": no " + ModelFolder.CONFIG
                    + " (a model folder as written by `florence2 create` or `florence2 train`)");
        }
    }

    /** The split of a VQAv2-layout folder ({@code vqa synth}; docs/architecture.md, "VQAv2 data"). */
    static VqaData split(Path data, String split) {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + ": no such folder");
        }
        return VqaData.load(data, split);
    }

    /**
     * The split of {@code --data} for {@code --task}: VQAv2's layout, or DocVQA's staged in the VQAv2 layout under
     * {@code staging} ({@link DocVqaData}).
     */
    static VqaData split(Path data, String split, DatasetTask task, Path staging) {
        if (task != DatasetTask.DOCVQA) {
            return split(data, split);
        }
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + ": no such folder");
        }
        return DocVqaData.load(data, split, staging);
    }

    /** {@code --prompt} when given, else the task's ({@code <VQA>{question}}, {@code <DocVQA>{question}}). */
    static String prompt(String given, DatasetTask task) {
        return given != null ? given : task.defaultPrompt();
    }

    /** The question ids of {@code --subset}: all when null, else a manifest {@code subsets/<name>.json} or a size. */
    static long[] subset(VqaData split, Path data, String name) {
        if (name == null || Files.isRegularFile(data.resolve("subsets").resolve(name + ".json"))) {
            return split.subset(data, name);
        }
        try {
            return split.subset(data, name);
        } catch (IllegalArgumentException e) {
            List<String> known = manifests(data.resolve("subsets"));
            throw new IllegalArgumentException("unknown subset \"" + name + "\": "
                    + (known.isEmpty()
                            ? "there is no " + data.resolve("subsets") + " folder with manifests"
                            : "the manifests in " + data.resolve("subsets") + " are " + String.join(", ", known))
                    + " (a size such as 10% or 500 also works)");
        }
    }

    private static List<String> manifests(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
