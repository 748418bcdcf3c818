package ai.vtc.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code sweep}: submit sweep YAMLs to the scheduler and follow them. The scheduler's address and API token come from
 * {@code --url}/{@code --token} or {@code SWEEP_URL}/{@code SWEEP_TOKEN} (defaults: the local stack).
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        version = "sweep 0.1.0",
        description = "Submit Florence-2 compression sweeps to the scheduler and follow them.",
        subcommands = {
            SubmitCommand.class,
            ValidateCommand.class,
            ListCommand.class,
            StatusCommand.class,
            ResultsCommand.class,
            CancelCommand.class,
            RetryCommand.class,
            CheckpointsCommand.class,
            ModelsCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SweepCli {
    static final String DEFAULT_URL = "http://127.0.0.1:18081";
    static final String DEFAULT_TOKEN = "vtc-local-token";

    @Option(
            names = "--url",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:SWEEP_URL:-" + DEFAULT_URL + "}",
            description = "scheduler URL (env SWEEP_URL; default ${DEFAULT-VALUE})")
    String url;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:SWEEP_TOKEN:-" + DEFAULT_TOKEN + "}",
            description = "API token for changes (env SWEEP_TOKEN; default: the local stack's)",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    String token;

    SchedulerClient client() {
        return new SchedulerClient(url, token);
    }

    /**
     * The command line with its error handling: scheduler refusals print their problems, user errors (and files that
     * cannot be read or written) one line; both exit 1. Anything else is a bug and keeps its stack trace.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SweepCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SchedulerClient.ApiException api) {
                Problems.print(api, commandLine.getErr());
                return 1;
            }
            if (e instanceof UserError
                    || e instanceof IOException
                    || e instanceof UncheckedIOException
                    || e instanceof IllegalArgumentException) {
                // input the user can fix (a missing file, a malformed one, a name the store refuses): one line
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(e));
                return 1;
            }
            throw e;
        });
        return cli;
    }

    /** One line for a problem the user can fix; file system errors name the file and what is wrong with it. */
    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException unchecked && unchecked.getCause() != null) {
            return describe(unchecked.getCause());
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file or folder: " + missing.getFile();
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return "already exists and is not a folder: " + exists.getFile();
        }
        return e.getMessage();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
