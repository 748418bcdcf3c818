package ai.vtc.cli;

import ai.vtc.florence2.lora.PeftAdapterFolder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "checkpoints",
        mixinStandardHelpOptions = true,
        description = "A trial's complete checkpoints; with --download, fetch the newest (or --step N, or --all) into"
                + " DIR/<trial>/step-<n>/, a Hugging Face model folder, every file checked against its sha256.")
final class CheckpointsCommand implements Callable<Integer> {
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TRIAL", description = "the trial id (16 hex characters)")
    String trial;

    @Option(
            names = "--download",
            paramLabel = "DIR",
            description = "write DIR/<trial>/step-<n>/<file> (DIR relative to the working directory or absolute)")
    Path download;

    @Option(names = "--step", description = "download this step instead of the newest")
    Long step;

    @Option(names = "--all", description = "download every step")
    boolean all;

    @Override
    public Integer call() {
        if (!FILE_NAME.matcher(trial).matches()) {
            throw new UserError("'" + trial + "' is not a trial id (16 hex characters, as 'sweep status SWEEP' shows)");
        }
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
        // relative to the working directory, as typed (./checkpoints, ../x, .); the containment check below compares
        // normalised absolute paths, so a name from the listing can never leave the step's folder
        Path root = download.toAbsolutePath().normalize();
        SchedulerClient client = cli.client();
        for (JsonNode checkpoint : chosen) {
            long stepNumber = checkpoint.path("step").asLong();
            Path dir = root.resolve(trial).resolve("step-" + stepNumber);
            for (JsonNode file : checkpoint.path("files")) {
                String name = file.path("name").asText();
                Path target = dir.resolve(name).normalize();
                if (!FILE_NAME.matcher(name).matches() || !target.getParent().equals(dir)) {
                    throw new UserError("the scheduler listed a checkpoint file named '" + name
                            + "', which is not a plain file name; nothing of it was written");
                }
                client.download(
                        file.path("url").asText(), target, file.path("sha256").asText(null));
            }
            out.println("step " + stepNumber + " of trial " + trial + ": "
                    + checkpoint.path("files").size() + " files, each matching its sha256, in " + shown(dir));
            if (holdsLoraAdapters(checkpoint)) {
                out.println("  LoRA adapters (PEFT) for the trial's base model: java -jar"
                        + " florence2-train/target/florence2.jar merge --model BASE_MODEL_DIR --adapter " + shown(dir)
                        + " --out MERGED, then generate --model MERGED with the trial's --compression");
            } else {
                out.println("  a Hugging Face model folder: java -jar florence2-train/target/florence2.jar generate"
                        + " --model " + shown(dir) + " --image IMAGE --prompt PROMPT");
            }
        }
        out.flush();
        return 0;
    }

    /** A LoRA trial's checkpoint holds its adapters as a PEFT folder instead of a whole model. */
    private static boolean holdsLoraAdapters(JsonNode checkpoint) {
        for (JsonNode file : checkpoint.path("files")) {
            if (PeftAdapterFolder.CONFIG.equals(file.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /** {@code dir} as the user typed its root (relative stays relative), so the printed command works as printed. */
    private String shown(Path dir) {
        String typed = download.toString().replaceAll("/+$", "");
        Path relative = download.toAbsolutePath().normalize().relativize(dir);
        return (typed.isEmpty() ? "." : typed) + "/" + relative.toString().replace('\\', '/');
    }
}
