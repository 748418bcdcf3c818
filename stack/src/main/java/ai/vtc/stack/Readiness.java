package ai.vtc.stack;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a check until it passes, the process dies or a deadline passes. */
final class Readiness {
    private Readiness() {}

    static void await(String what, ChildProcess process, Duration timeout, Supplier<String> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (process != null) {
                process.requireAlive();
            }
            String problem;
            try {
                problem = check.get();
            } catch (RuntimeException e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            if (problem == null) {
                return;
            }
            lastProblem = problem;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + what);
            }
        }
        String log = process == null ? "" : "; last lines of " + process.logFile() + ":\n" + process.tail(20);
        throw new StackException(
                what + " did not become ready within " + timeout.toSeconds() + " s (" + lastProblem + ")" + log);
    }
}
