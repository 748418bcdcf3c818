package ai.vtc.florence2.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code florence2} command line: {@code generate} (answer a prompt about an image, or run a task and print its
 * post-processed result), {@code postprocess} (a generated text to the task's result), {@code forward} (one forward
 * pass from a safetensors file of inputs, as the golden fixtures), {@code create} (write a randomly initialised model
 * folder from a config, e.g. the tiny demo model), {@code train} (fine-tune on a VQAv2-layout folder) and {@code
 * evaluate} (answer a split, write VQAv2 results, print the accuracy) and {@code merge} (fold a LoRA adapter folder
 * into a model).
 */
@Command(
        name = "florence2",
        mixinStandardHelpOptions = true,
        version = "florence2 0.1.0",
        description = "Florence-2 on DJL's PyTorch engine.",
        subcommands = {
            GenerateCommand.class,
            PostprocessCommand.class,
            ForwardCommand.class,
            CreateCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            MergeCommand.class
        })
public final class Florence2Command implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line in this JVM and returns the exit code: 0 done, 1 bad input, 2 bad usage. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The same with the commands' output and errors going to the given writers. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // never reach for the network
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // --draw renders images without a display
        }
        CommandLine cl = new CommandLine(new Florence2Command());
        OneLineErrors errors = new OneLineErrors();
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        return cl;
    }
}
