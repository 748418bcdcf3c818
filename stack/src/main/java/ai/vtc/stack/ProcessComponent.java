package ai.vtc.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A {@link Component} that is one child process with its own folder under the data directory. */
abstract class ProcessComponent implements Component {
    protected final StackConfig config;
    protected final Path home;
    private final String name;
    private final String stopSignal;
    private final Duration stopGrace;
    protected ChildProcess process;

    ProcessComponent(StackConfig config, String name, Path home, String stopSignal, Duration stopGrace) {
        this.config = config;
        this.name = name;
        this.home = home;
        this.stopSignal = stopSignal;
        this.stopGrace = stopGrace;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Text of the process' command line that identifies it as this stack's, when found through its pid file. */
    protected String processMarker() {
        return home.toString();
    }

    /** Writes a configuration file into the component's folder. */
    protected Path writeFile(String fileName, String content) {
        Path file = home.resolve(fileName);
        try {
            Files.createDirectories(home);
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new StackException("cannot write " + file + " for " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the process this object started or, when that one has exited (another handle of the stack stopped and
     * started the server again) or was started from another JVM, the one its pid file names.
     */
    @Override
    public void stop() {
        ChildProcess running = process != null && process.isAlive()
                ? process
                : ChildProcess.adopt(config, name, processMarker()).orElse(null);
        if (running != null) {
            running.stop(stopSignal, stopGrace);
        }
        process = null;
    }
}
