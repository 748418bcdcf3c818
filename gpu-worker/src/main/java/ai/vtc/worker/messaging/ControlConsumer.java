package ai.vtc.worker.messaging;

import ai.vtc.contracts.Channels;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialControl;
import ai.vtc.worker.service.StopSignal;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Cancel commands from the scheduler. Every worker reads all of {@code trial-control} (its own consumer group), so
 * whichever worker runs the trial stops it at the next step, and a worker that receives it later skips it.
 */
@ApplicationScoped
public class ControlConsumer {
    private static final Logger LOG = Logger.getLogger(ControlConsumer.class);
    private final StopSignal stop;

    public ControlConsumer(StopSignal stop) {
        this.stop = stop;
    }

    @Incoming(Channels.TRIAL_CONTROL)
    public void onControl(String json) {
        TrialControl control;
        try {
            control = Json.read(json, TrialControl.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring an unreadable trial-control record: %s", e.getMessage());
            return;
        }
        if (TrialControl.CANCEL.equals(control.action()) && control.trialId() != null) {
            stop.cancel(control.trialId(), control.attempt());
        }
    }
}
