package ai.vtc.dataset.service;

/**
 * The data of an ingest is not acceptable: malformed JSON, questions and annotations that do not correspond, a
 * missing or undecodable image, a duplicate id, an unsafe file name. The message names the file and the id; it
 * becomes the failed job's message.
 */
public class IngestProblem extends RuntimeException {
    public IngestProblem(String message) {
        super(message);
    }

    public IngestProblem(String message, Throwable cause) {
        super(message, cause);
    }
}
