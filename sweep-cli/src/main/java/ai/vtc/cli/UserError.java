package ai.vtc.cli;

/** A problem the user can fix (input that conflicts with what is stored): printed as one line, exit code 1. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }
}
