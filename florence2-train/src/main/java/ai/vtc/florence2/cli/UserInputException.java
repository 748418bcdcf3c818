package ai.vtc.florence2.cli;

/**
 * A mistake in what the person at the command line asked for (options that do not go together, a missing input):
 * the command ends with one line that says what is wrong and what to do, and exit code 1, never a stack trace
 * ({@link OneLineErrors}).
 */
final class UserInputException extends RuntimeException {

    UserInputException(String message) {
        super(message);
    }
}
