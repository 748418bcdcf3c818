package ai.vtc.cli;

import ai.vtc.contracts.ModelManifest;
import ai.vtc.storage.Keys;
import ai.vtc.storage.StorageException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sweep models upload DIR --name NAME [--replace]}: checks that the folder loads, then stores it under {@code
 * models/NAME/} through the scheduler (presigned uploads, checked there byte for byte before the manifest is
 * published).
 */
@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        description = "Check that a model folder loads (config, weights, tokenizer), then store it as models/NAME/ with"
                + " a manifest of every file's sha256. The same model again changes nothing; another model under a taken"
                + " name needs --replace (sweeps submitted afterwards get new trial ids).")
final class ModelUploadCommand implements Callable<Integer> {
    @ParentCommand
    ModelsCommand models;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the model folder (Hugging Face layout)")
    Path folder;

    @Option(
            names = "--name",
            required = true,
            description = "the model's name in sweeps (letters, digits, '.', '_', '-'; e.g. florence-2-base)")
    String name;

    @Option(names = "--replace", description = "replace another model stored under NAME")
    boolean replace;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Keys.model(name);
        } catch (StorageException e) {
            throw new UserError(e.getMessage() + "; nothing was stored");
        }
        Map<String, Path> files = ModelFolderCheck.check(folder);
        ModelManifest manifest = ModelFolderCheck.manifest(name, files);
        out.println(folder + " loads: " + String.join(", ", files.keySet()) + " (" + Render.bytes(manifest.bytes())
                + ", manifest sha256 " + manifest.sha256() + ")");
        out.flush();
        SchedulerClient client = models.cli.client();
        String path = "/models/" + name + "/uploads";
        JsonNode begun = client.postJson(path + "?replace=" + replace, manifest.toJson());
        if (begun.path("unchanged").asBoolean()) {
            out.println("model " + name + " is stored with these files already; nothing to do");
            out.flush();
            return 0;
        }
        for (Map.Entry<String, Path> file : files.entrySet()) {
            String link = begun.path("uploads").path(file.getKey()).asText(null);
            if (link == null) {
                throw new UserError("the scheduler gave no upload link for " + file.getKey());
            }
            client.upload(link, file.getValue());
            out.println("uploaded " + file.getKey());
            out.flush();
        }
        JsonNode stored = client.post(path + "/complete");
        out.println("stored model " + name + " (manifest sha256 "
                + stored.path("sha256").asText() + "): name it in a sweep as 'model: " + name + "'");
        out.flush();
        return 0;
    }
}
