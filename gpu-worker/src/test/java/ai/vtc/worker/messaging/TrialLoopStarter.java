package ai.vtc.worker.messaging;

import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.service.StopSignal;
import ai.vtc.worker.service.WorkerDevice;

/** Starts a {@link TrialLoop} as Quarkus does at startup, for tests outside this package. */
public final class TrialLoopStarter {
    private TrialLoopStarter() {}

    /** A loop whose broker is unreachable (port 1 on the loopback), started; it runs no trial. */
    public static TrialLoop start(WorkerConfig config, WorkerDevice device) {
        TrialLoop loop = new TrialLoop(null, new StopSignal(), config, device, "127.0.0.1:1");
        loop.onStart(null);
        return loop;
    }
}
