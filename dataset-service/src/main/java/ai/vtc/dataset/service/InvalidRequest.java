package ai.vtc.dataset.service;

/** A request that cannot be carried out as asked (a bad name, a missing folder, an impossible size): HTTP 400. */
public class InvalidRequest extends RuntimeException {
    public InvalidRequest(String message) {
        super(message);
    }
}
