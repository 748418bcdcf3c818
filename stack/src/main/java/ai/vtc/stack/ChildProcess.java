package ai.vtc.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server the stack runs as a separate OS process: output appended to {@code logs/<name>.log}, pid written to
 * {@code run/<name>.pid} so that {@code stack down} from another JVM can stop it.
 */
public final class ChildProcess {
    private final String name;
    private final Path logFile;
    private final Path pidFile;
    private final ProcessHandle handle;

    private ChildProcess(String name, Path logFile, Path pidFile, ProcessHandle handle) {
        this.name = name;
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.handle = handle;
    }

    /** Starts {@code command}; stdout and stderr go to the log file. */
    public static ChildProcess start(
            StackConfig config, String name, List<String> command, Map<String, String> env, Path workDir) {
        Path logFile = config.logs().resolve(name + ".log");
        Path pidFile = config.run().resolve(name + ".pid");
        try {
            Files.createDirectories(config.logs());
            Files.createDirectories(config.run());
            Files.writeString(
                    logFile,
                    "---- " + java.time.Instant.now() + " starting: " + abbreviated(command) + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            return new ChildProcess(name, logFile, pidFile, process.toHandle());
        } catch (IOException e) {
            throw new StackException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** The command line with long classpaths shortened, for the log header. */
    private static String abbreviated(List<String> command) {
        return String.join(
                " ",
                command.stream()
                        .map(a -> a.length() > 300 ? "<" + a.split(":").length + " jars>" : a)
                        .toList());
    }

    /** The process recorded in {@code run/<name>.pid}, if it still runs and its command line mentions marker. */
    public static Optional<ChildProcess> adopt(StackConfig config, String name, String marker) {
        Path pidFile = config.run().resolve(name + ".pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p ->
                            p.info().commandLine().map(c -> c.contains(marker)).orElse(true))
                    .map(p -> new ChildProcess(name, config.logs().resolve(name + ".log"), pidFile, p));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return handle.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Waits for a short-lived command; fails with the end of its log unless it exits with 0. */
    public void awaitSuccess(Duration timeout) {
        try {
            ProcessHandle exited = handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // harmless
            }
            if (exited.isAlive()) {
                throw new StackException(name + " still runs");
            }
        } catch (Exception e) {
            handle.destroyForcibly();
            throw new StackException(name + " did not finish within " + timeout.toSeconds() + " s; see " + logFile, e);
        }
    }

    /** Fails with the end of the log when the process has exited. */
    public void requireAlive() {
        if (!handle.isAlive()) {
            throw new StackException(name + " exited during start-up; last lines of " + logFile + ":\n" + tail(30));
        }
    }

    /**
     * Stops the process and its descendants: {@code signal} (TERM or INT) first, KILL after {@code grace}. Returns
     * once nothing of it runs.
     */
    public void stop(String signal, Duration grace) {
        List<ProcessHandle> family = new ArrayList<>(handle.descendants().toList());
        family.add(0, handle);
        if (handle.isAlive()) {
            sendSignal(signal, handle.pid());
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : family) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception timeoutOrInterrupt) {
                // killed below
            }
        }
        for (ProcessHandle p : family) {
            if (p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new StackException("cannot kill " + name + " (pid " + p.pid() + ")", e);
                }
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is checked against the command line when read
        }
    }

    /** kill -9: the process gets no chance to run a shutdown hook, flush or commit anything (fault tests). */
    public void kill() {
        handle.destroyForcibly();
        try {
            handle.onExit().get(30, TimeUnit.SECONDS);
            Files.deleteIfExists(pidFile);
        } catch (Exception e) {
            throw new StackException("cannot kill " + name + " (pid " + handle.pid() + ")", e);
        }
    }

    private static void sendSignal(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
