package ai.vtc.cli;

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

    /** The command line with its error handling: scheduler refusals print their problems and exit 1. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SweepCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SchedulerClient.ApiException api) {
                Problems.print(api, commandLine.getErr());
                return 1;
            }
            if (e instanceof UserError user) {
                commandLine.getErr().println("sweep " + commandLine.getCommandName() + ": " + user.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
