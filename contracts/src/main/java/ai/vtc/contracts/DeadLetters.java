package ai.vtc.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one recipe for a dead letter: a record no consumer could process goes to {@link Topics#TRIALS_DLQ} with its
 * key and value unchanged and two headers, {@link Topics#DLQ_REASON_HEADER} (why) and {@link Topics#DLQ_TOPIC_HEADER}
 * (the topic it came from). The scheduler (outbox rows), the evaluator (an emitter) and the gpu-worker (a plain
 * producer) all take their headers from here. The header names and the reason are those of SmallRye's
 * {@code dead-letter-queue} failure strategy, which dead-letters what the scheduler's channels fail on, so every
 * record on the topic reads the same whoever put it there.
 */
public final class DeadLetters {
    private DeadLetters() {}

    /** Header name to value, reason first; a missing or blank reason reads {@code "no reason given"}. */
    public static Map<String, String> headers(String sourceTopic, String reason) {
        if (sourceTopic == null || sourceTopic.isBlank()) {
            throw new IllegalArgumentException("a dead letter names the topic it came from");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Topics.DLQ_REASON_HEADER, reason == null || reason.isBlank() ? "no reason given" : reason);
        headers.put(Topics.DLQ_TOPIC_HEADER, sourceTopic);
        return Collections.unmodifiableMap(headers);
    }

    /** {@link #headers(String, String)} of a failure, with {@link #reason(Throwable)}. */
    public static Map<String, String> headers(String sourceTopic, Throwable failure) {
        return headers(sourceTopic, reason(failure));
    }

    /** A header value as Kafka carries it. */
    public static byte[] bytes(String headerValue) {
        return headerValue.getBytes(StandardCharsets.UTF_8);
    }

    /** Why a record failed: the exception's message, or the exception itself when it has none (as SmallRye does). */
    public static String reason(Throwable failure) {
        String message = failure.getMessage();
        return message != null ? message : failure.toString();
    }
}
