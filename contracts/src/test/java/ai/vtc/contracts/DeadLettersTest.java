package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    @Test
    void headersNameTheReasonAndTheSourceTopic() {
        Map<String, String> headers = DeadLetters.headers(Topics.TRIALS, "attempt 2 of 2 failed: out of memory");
        assertEquals(List.of(Topics.DLQ_REASON_HEADER, Topics.DLQ_TOPIC_HEADER), List.copyOf(headers.keySet()));
        assertEquals("attempt 2 of 2 failed: out of memory", headers.get(Topics.DLQ_REASON_HEADER));
        assertEquals(Topics.TRIALS, headers.get(Topics.DLQ_TOPIC_HEADER));
    }

    @Test
    void theReasonOfAFailureIsItsMessageOrTheFailureItself() {
        assertEquals(
                "not a valid TrialEvent: x",
                DeadLetters.headers(Topics.TRIAL_EVENTS, new IllegalArgumentException("not a valid TrialEvent: x"))
                        .get(Topics.DLQ_REASON_HEADER));
        assertEquals("java.lang.NullPointerException", DeadLetters.reason(new NullPointerException()));
        assertEquals("no reason given", DeadLetters.headers(Topics.TRIALS, " ").get(Topics.DLQ_REASON_HEADER));
    }

    @Test
    void aDeadLetterAlwaysSaysWhereItCameFrom() {
        assertThrows(IllegalArgumentException.class, () -> DeadLetters.headers(null, "why"));
    }

    @Test
    void headerValuesTravelAsUtf8() {
        assertArrayEquals("größe".getBytes(StandardCharsets.UTF_8), DeadLetters.bytes("größe"));
    }
}
