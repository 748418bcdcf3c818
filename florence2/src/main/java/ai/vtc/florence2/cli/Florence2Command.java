package ai.vtc.florence2.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code florence2} command line: {@code generate} (answer a prompt about an image), {@code forward} (one forward
 * pass from a safetensors file of inputs, as the golden fixtures), {@code create} (write a randomly initialised model
 * folder from a config, e.g. the tiny demo model).
 */
@Command(
        name = "florence2",
        mixinStandardHelpOptions = true,
        version = "florence2 0.1.0",
        description = "Florence-2 on DJL's PyTorch engine.",
        subcommands = {GenerateCommand.class, ForwardCommand.class, CreateCommand.class})
public final class Florence2Command implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line in this JVM and returns the exit code. */
    public static int execute(String... args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // never reach for the network
        }
        return new CommandLine(new Florence2Command()).execute(args);
    }
}
