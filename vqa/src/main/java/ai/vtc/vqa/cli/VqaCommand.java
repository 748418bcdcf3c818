package ai.vtc.vqa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vqa evaluate | anls | subset | synth | synth-docvqa | baseline}: the vqa library from the command line. */
@Command(
        name = "vqa",
        mixinStandardHelpOptions = true,
        version = "vqa 0.1",
        description = "VQAv2 official accuracy, DocVQA ANLS, nested subsets and synthetic VQA and DocVQA sets.",
        subcommands = {
            EvaluateCommand.class,
            AnlsCommand.class,
            SubsetCommand.class,
            SynthCommand.class,
            SynthDocVqaCommand.class,
            BaselineCommand.class
        })
public final class VqaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 done, 1 bad input data, 2 bad usage. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VqaCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IOException || e instanceof IllegalArgumentException) {
                PrintWriter err = commandLine.getErr();
                err.println("vqa " + commandLine.getCommandName() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
