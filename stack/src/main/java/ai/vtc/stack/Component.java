package ai.vtc.stack;

import java.util.List;

/** One server of the stack. */
public interface Component {
    /** Short name used for logs and pid files. */
    String name();

    /** Ports this component listens on, checked before anything starts. */
    List<Integer> ports();

    /** Starts the server and returns once it really answers, or throws {@link StackException}. */
    void start();

    /** Stops the server; leaves no process behind. Safe to call when it is not running. */
    void stop();

    /** One line: what runs where. */
    String describe();
}
