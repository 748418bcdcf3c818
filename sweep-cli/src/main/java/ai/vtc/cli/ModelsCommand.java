package ai.vtc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sweep models upload | list}: the models sweeps can name, each with a manifest of its files. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Upload a model folder (checked first) or list the stored models.",
        subcommands = {ModelUploadCommand.class, ModelListCommand.class})
final class ModelsCommand implements Runnable {
    @ParentCommand
    SweepCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
