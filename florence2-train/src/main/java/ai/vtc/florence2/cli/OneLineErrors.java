package ai.vtc.florence2.cli;

import ai.vtc.florence2.io.CheckpointMismatchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * How the {@code florence2} commands end on a user error: one line, {@code florence2 <command>: what is wrong}, on
 * the error stream. Bad input (a {@link UserInputException}, an {@link IllegalArgumentException} of the model library
 * such as an unknown task or an image size of zero, a file that cannot be read, a model folder whose weights do not
 * match its config) exits with 1; a bad option or argument exits with 2 and points to {@code --help} instead of
 * printing the whole usage. Anything else is a bug and keeps its stack trace.
 */
final class OneLineErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
            throws Exception {
        if (!isUserError(e)) {
            throw e;
        }
        print(commandLine, describe(e));
        return 1;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        print(
                commandLine,
                e.getMessage() + " (" + commandLine.getCommandSpec().qualifiedName() + " --help lists the options)");
        return 2;
    }

    private static boolean isUserError(Exception e) {
        return e instanceof UserInputException
                || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException
                || e instanceof IOException
                || e instanceof CheckpointMismatchException;
    }

    /** The message, with the cause's for I/O errors, whose own message often names only the file. */
    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if ((e instanceof UncheckedIOException || e instanceof IOException)
                && cause != null
                && cause.getMessage() != null
                && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message.replace('\n', ' ');
    }

    private static void print(CommandLine commandLine, String line) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + line);
        err.flush();
    }
}
