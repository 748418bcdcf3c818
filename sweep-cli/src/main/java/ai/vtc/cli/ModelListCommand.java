package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sweep models list}: every stored model with its manifest's hash, files and size. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "The stored models with their manifests.")
final class ModelListCommand implements Callable<Integer> {
    @ParentCommand
    ModelsCommand models;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode model : models.cli.client().get("/models")) {
            boolean manifest = model.hasNonNull("sha256");
            List<String> files = new ArrayList<>();
            model.path("files").fieldNames().forEachRemaining(files::add);
            rows.add(List.of(
                    model.path("name").asText(),
                    manifest ? model.path("sha256").asText().substring(0, 16) : "-",
                    manifest ? Render.bytes(model.path("bytes").asLong()) : "-",
                    model.path("uploading").asBoolean()
                            ? "upload under way or stopped halfway"
                            : manifest
                                    ? String.join(", ", files)
                                    : "no manifest (stored without sweep models upload)"));
        }
        spec.commandLine().getOut().print(Render.table(List.of("MODEL", "MANIFEST", "SIZE", "FILES"), rows));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
