package ai.vtc.stack;

/** The stack could not start or stop; the message says which service, port or path and why. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
