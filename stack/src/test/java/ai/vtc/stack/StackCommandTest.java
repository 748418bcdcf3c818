package ai.vtc.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code stack} command as a user runs it: each command a process of its own, from the main class. */
class StackCommandTest {
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    private static final Duration EXIT_AFTER_DOWN_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void foregroundUpExitsWithZeroOnceStackDownHasStoppedItsServers() throws Exception {
        StackConfig config = StackConfig.builder(temp.resolve("data"))
                .randomPorts()
                .prometheus("off")
                .build();
        Path upLog = temp.resolve("up.log");
        Process up = stackCommand(
                        upLog,
                        "up",
                        "--data-dir",
                        config.dataDir().toString(),
                        "--kafka-port",
                        Integer.toString(config.kafkaPort()),
                        "--kafka-controller-port",
                        Integer.toString(config.kafkaControllerPort()),
                        "--s3-port",
                        Integer.toString(config.s3Port()),
                        "--postgres-port",
                        Integer.toString(config.postgresPort()),
                        "--prometheus",
                        "off")
                .start();
        try {
            awaitReady(up, upLog);

            Path downLog = temp.resolve("down.log");
            Process down = stackCommand(
                            downLog, "down", "--data-dir", config.dataDir().toString())
                    .start();
            assertTrue(down.waitFor(2, TimeUnit.MINUTES), "stack down did not finish: " + read(downLog));
            assertEquals(0, down.exitValue(), read(downLog));

            assertTrue(
                    up.waitFor(EXIT_AFTER_DOWN_WITHIN.toSeconds(), TimeUnit.SECONDS),
                    "the foreground stack up still runs " + EXIT_AFTER_DOWN_WITHIN.toSeconds()
                            + " s after stack down; its output:\n" + read(upLog));
            assertEquals(0, up.exitValue(), read(upLog));
            for (int port : List.of(config.kafkaPort(), config.s3Port(), config.postgresPort())) {
                assertFalse(Ports.isListening(StackConfig.HOST, port), "port " + port + " still listens");
            }
        } finally {
            if (up.isAlive()) { // a failed assertion: stop the servers through their pid files, then the command
                Stack.stopDetached(config, new PrintStream(new ByteArrayOutputStream()));
                up.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            Stack.deleteTree(new PostgresServer(config).home());
        }
    }

    /** {@code java -cp <this test's classpath> ai.vtc.stack.StackCommand args}, output into {@code log}. */
    private static ProcessBuilder stackCommand(Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StackCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    /** Waits for the line {@code stack up} prints once every server answers. */
    private static void awaitReady(Process up, Path log) throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!read(log).contains("\nready;")) {
            if (!up.isAlive()) {
                throw new AssertionError(
                        "stack up exited with " + up.exitValue() + " before it was ready:\n" + read(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stack up not ready within " + READY_WITHIN.toSeconds() + " s:\n" + read(log));
            }
            Thread.sleep(200);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
