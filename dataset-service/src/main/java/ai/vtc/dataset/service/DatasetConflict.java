package ai.vtc.dataset.service;

/** The dataset (or subset) exists already, or is being ingested, and is never overwritten: HTTP 409. */
public class DatasetConflict extends RuntimeException {
    public DatasetConflict(String message) {
        super(message);
    }
}
