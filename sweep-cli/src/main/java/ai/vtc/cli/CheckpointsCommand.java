package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "checkpoints",
        mixinStandardHelpOptions = true,
        description = "A trial's checkpoints; with --download, fetch the newest (or --step N, or --all) into DIR.")
final class CheckpointsCommand implements Callable<Integer> {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TRIAL", description = "the trial id (16 hex characters)")
    String trial;

    @Option(names = "--download", paramLabel = "DIR", description = "write DIR/<trial>/step-<n>/<file>")
    Path download;

    @Option(names = "--step", description = "download this step instead of the newest")
    Long step;

    @Option(names = "--all", description = "download every step")
    boolean all;

    @Override
    public Integer call() throws Exception {
        JsonNode listing = cli.client().get("/trials/" + trial + "/checkpoints");
        PrintWriter out = spec.commandLine().getOut();
        List<JsonNode> checkpoints = new ArrayList<>();
        listing.path("checkpoints").forEach(checkpoints::add);
        if (checkpoints.isEmpty()) {
            out.println("trial " + trial + " has no checkpoints yet");
            out.flush();
            return 0;
        }
        if (download == null) {
            for (JsonNode checkpoint : checkpoints) {
                out.println("step " + checkpoint.path("step").asText());
                for (JsonNode file : checkpoint.path("files")) {
                    out.println("  " + file.path("name").asText() + "  "
                            + file.path("url").asText());
                }
            }
            out.printf(
                    "links valid for %d s%n", listing.path("expires_in_seconds").asLong());
            out.flush();
            return 0;
        }
        List<JsonNode> chosen = new ArrayList<>();
        for (JsonNode checkpoint : checkpoints) {
            if (all || (step != null && checkpoint.path("step").asLong() == step)) {
                chosen.add(checkpoint);
            }
        }
        if (!all && step == null) {
            chosen.add(checkpoints.get(checkpoints.size() - 1));
        }
        if (chosen.isEmpty()) {
            spec.commandLine().getErr().println("sweep: trial " + trial + " has no checkpoint at step " + step);
            spec.commandLine().getErr().flush();
            return 1;
        }
        SchedulerClient client = cli.client();
        for (JsonNode checkpoint : chosen) {
            Path dir = download.resolve(trial)
                    .resolve("step-" + checkpoint.path("step").asLong());
            for (JsonNode file : checkpoint.path("files")) {
                Path target = dir.resolve(file.path("name").asText()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IllegalStateException("refusing to write outside " + dir + ": " + file.path("name"));
                }
                client.download(file.path("url").asText(), target);
                out.println("downloaded " + target);
            }
        }
        out.flush();
        return 0;
    }
}
