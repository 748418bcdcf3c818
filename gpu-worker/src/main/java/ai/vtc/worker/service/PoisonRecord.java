package ai.vtc.worker.service;

/** A record no worker can ever process (unparseable, unknown model or dataset): it goes to the DLQ. */
public class PoisonRecord extends RuntimeException {
    public PoisonRecord(String reason) {
        super(reason);
    }

    public PoisonRecord(String reason, Throwable cause) {
        super(reason, cause);
    }
}
